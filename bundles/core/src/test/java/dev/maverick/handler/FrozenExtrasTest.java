package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A queued item's extras are a snapshot: what the caller does to its map afterwards does not reach
 * it. Maps that cannot change ({@code Map.of}, {@code Map.copyOf}) are passed as they are, without
 * a copy (benchmarks/PROFILE.md, P4).
 */
class FrozenExtrasTest {

  static final class ExtrasOut extends ArchitectureHandler<String, Map<String, ?>> {
    ExtrasOut() {
      super(HandlerConfig.builder().name("extras").runAsThread(false).build());
    }

    @Override
    protected Map<String, ?> generateResults(String item, Map<String, ?> extra) {
      return extra;
    }
  }

  @Test
  void aMutableMapIsCopiedAndTheCopyCannotChange() {
    try (ExtrasOut handler = new ExtrasOut()) {
      Map<String, Object> extra = new HashMap<>(Map.of("tag", 1));
      handler.feed("a", extra);
      extra.put("tag", 2);
      handler.start();
      Map<String, ?> seen = handler.getResult(WAIT).orElseThrow();
      assertThat(seen).isEqualTo(Map.of("tag", 1));
      assertThatThrownBy(seen::clear).isInstanceOf(UnsupportedOperationException.class);
      Map<String, ?> direct = handler.generate("b", extra);
      assertThat(direct).isNotSameAs(extra).isEqualTo(Map.of("tag", 2));
      extra.put("tag", 3);
      assertThat(direct).isEqualTo(Map.of("tag", 2));
    }
  }

  @Test
  void anImmutableMapIsPassedAsItIs() {
    try (ExtrasOut handler = new ExtrasOut()) {
      Map<String, Object> one = Map.of("tag", 1);
      Map<String, Object> two = Map.of("tag", 1, "lang", "en");
      assertThat(handler.generate("a", one)).isSameAs(one);
      assertThat(handler.generate("a", two)).isSameAs(two);
      Map<String, Object> copied = Map.copyOf(new HashMap<>(two));
      assertThat(handler.generate("a", copied)).isSameAs(copied);
      assertThat(handler.generate("a", null)).isEqualTo(Map.of());
    }
  }
}
