package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  @Test
  void aValueWithoutExtrasOrCallbackIsQueuedAsItIs() {
    Object item = new Object();
    assertThat(Envelope.wrap(item, Map.of(), null)).isSameAs(item);
    assertThat(Envelope.valueOf(item)).isSameAs(item);
    assertThat(Envelope.extraOf(item)).isEmpty();
    assertThat(Envelope.onFailureOf(item)).isNull();
  }

  @Test
  void extrasACallbackOrNullNeedAnEnvelopeThatGivesThemBack() {
    Map<String, ?> extra = Map.of("k", 1);
    Consumer<Throwable> onFailure = error -> { };
    Object withExtra = Envelope.wrap("a", extra, null);
    Object withCallback = Envelope.wrap("b", Map.of(), onFailure);
    Object nothing = Envelope.wrap(null, Map.of(), null);
    assertThat(withExtra).isNotEqualTo("a");
    assertThat(Envelope.valueOf(withExtra)).isEqualTo("a");
    assertThat(Envelope.extraOf(withExtra)).isSameAs(extra);
    assertThat(Envelope.onFailureOf(withCallback)).isSameAs(onFailure);
    assertThat(nothing).isNotNull();
    assertThat(Envelope.valueOf(nothing)).isNull();
  }

  @Test
  void freezingCopiesAMapThatCanChangeOnceAndKeepsOnesThatCannot() {
    Map<String, Object> mutable = new HashMap<>(Map.of("k", 1));
    Map<String, ?> frozen = Envelope.freeze(mutable);
    mutable.put("k", 2);
    assertThat(frozen).isEqualTo(Map.of("k", 1));
    assertThatThrownBy(frozen::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThat(Envelope.freeze(frozen)).as("already frozen: no second copy").isSameAs(frozen);
    Map<String, Object> immutable = Map.of("a", 1, "b", 2);
    assertThat(Envelope.freeze(immutable)).isSameAs(immutable);
    assertThat(Envelope.freeze(null)).isEmpty();
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("n", null);
    assertThat(Envelope.freeze(withNull)).containsEntry("n", null);
  }
}
