package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the worker gets is what feed() was given: the item, null included, and its extras. The
 * input queue holds a plain item without an envelope (benchmarks/PROFILE.md, P2); these tests
 * check that nothing of an item is lost on the way, in the queue and through a hand-over.
 */
class QueuedItemsTest {

  /** Returns [item, extra] for each item. */
  static final class Pairs extends ArchitectureHandler<Object, List<Object>> {
    Pairs(String name) {
      super(HandlerConfig.builder().name(name).runAsThread(false).build());
    }

    @Override
    protected List<Object> generateResults(Object item, Map<String, ?> extra) {
      return new ArrayList<>(Arrays.asList(item, extra));
    }
  }

  @Test
  void itemsReachTheWorkerWithTheirExtrasNullIncluded() {
    try (Pairs handler = new Pairs("pairs")) {
      feedMixed(handler);
      assertThat(handler.stats().inputQueueSize()).isEqualTo(4); // all wait together: no worker yet
      handler.start();
      assertMixedResults(handler);
      assertBalanced(handler);
    }
  }

  @Test
  void plainAndWrappedItemsSurviveAHandOverInOrder() {
    String key = "pid-" + UUID.randomUUID();
    Pairs old = new Pairs("old");
    feedMixed(old);
    old.closeAndHandOver(key);
    assertThat(old.stats().handedOffCount()).isEqualTo(4);
    try (Pairs successor = new Pairs("new")) {
      assertThat(successor.adoptHandover(key)).isEqualTo(4);
      successor.start();
      assertMixedResults(successor);
      assertBalanced(successor);
    }
    assertBalanced(old);
  }

  private static void feedMixed(Pairs handler) {
    assertThat(handler.feed("a")).isTrue();
    assertThat(handler.feed(null)).isTrue();
    assertThat(handler.feed("b", Map.of("tag", 1))).isTrue();
    assertThat(handler.feed(List.of("c"), new HashMap<>(Map.of("lang", "en")))).isTrue();
  }

  private static void assertMixedResults(Pairs handler) {
    assertThat(handler.getResult(WAIT)).contains(Arrays.asList("a", Map.of()));
    assertThat(handler.getResult(WAIT)).contains(Arrays.asList(null, Map.of()));
    assertThat(handler.getResult(WAIT)).contains(Arrays.asList("b", Map.of("tag", 1)));
    assertThat(handler.getResult(WAIT)).contains(Arrays.asList(List.of("c"), Map.of("lang", "en")));
  }
}
