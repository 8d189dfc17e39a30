package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.assertBalanced;
import static dev.maverick.handler.TestHandlers.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A handler that throws {@link ItemDroppedException} from its template methods has the item
 * counted dropped for the reason it names, not as an error: no error hook, no failure callback.
 */
class ItemDroppedTest {

  /** Drops every item whose value is negative; records the hooks that must not run. */
  private static final class Dropping extends ArchitectureHandler<Integer, Integer> {
    final List<String> events = new CopyOnWriteArrayList<>();

    Dropping(HandlerConfig config) {
      super(config);
    }

    @Override
    protected Integer preprocessItem(Integer item, Map<String, ?> extra) {
      if (item == -1) {
        throw new ItemDroppedException(DropReason.ENGINE_DISCONNECTED, "refused before generating");
      }
      return item;
    }

    @Override
    protected Integer generateResults(Integer item, Map<String, ?> extra) {
      if (item < 0) {
        throw new ItemDroppedException(DropReason.ENGINE_DISCONNECTED, "the server at ws://x is not reachable");
      }
      return item;
    }

    @Override
    protected void hookOnError(Integer item, Map<String, ?> extra, Throwable error) {
      events.add("hookOnError " + item);
    }

    @Override
    protected void hookAfterGenerate(Integer item, Map<String, ?> extra, Integer result) {
      events.add("hookAfterGenerate " + item);
    }
  }

  @Test
  void anItemDroppedOnAWorkerIsCountedUnderItsReasonWithItsDetailAndNotAsAnError() {
    try (Dropping handler = new Dropping(HandlerConfig.builder().runAsThread(false).build())) {
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      handler.offer(-2, Map.of(), Duration.ZERO, failures::add);
      handler.offer(-1, Map.of(), Duration.ZERO, failures::add);
      handler.feed(3);
      handler.start();
      // the last effect: hookAfterGenerate runs after the item is counted processed
      until("the three ended", () -> handler.stats().dropped(DropReason.ENGINE_DISCONNECTED) == 2
          && handler.events.size() == 1);
      HandlerStats stats = handler.stats();
      assertThat(stats.itemErrorCount()).isZero();
      assertThat(stats.lastDrop()).contains("engine_disconnected: refused before generating");
      assertThat(stats.toMap()).extractingByKey("dropped_by_reason").asInstanceOf(
          org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("engine_disconnected", 2L);
      assertThat(failures).as("dropped, not failed: the failure callback is not told").isEmpty();
      assertThat(handler.events).containsExactly("hookAfterGenerate 3");
      assertBalanced(handler);
    }
  }

  @Test
  void anItemDroppedOnTheCallersThreadIsCountedAndTheExceptionReachesTheCaller() {
    try (Dropping handler = new Dropping(HandlerConfig.builder().runAsThread(false).build())) {
      assertThatThrownBy(() -> handler.generate(-2)).isInstanceOf(ItemDroppedException.class)
          .hasMessage("engine_disconnected: the server at ws://x is not reachable")
          .satisfies(e -> assertThat(((ItemDroppedException) e).reason()).isEqualTo(DropReason.ENGINE_DISCONNECTED));
      HandlerStats stats = handler.stats();
      assertThat(stats.generateCount()).isEqualTo(1);
      assertThat(stats.dropped(DropReason.ENGINE_DISCONNECTED)).isEqualTo(1);
      assertThat(stats.itemErrorCount()).isZero();
      assertThat(handler.events).isEmpty();
      assertBalanced(handler);
    }
  }

  @Test
  void onlyAReasonOfTheItemsLedgerCanDropAnItem() {
    assertThatThrownBy(() -> new ItemDroppedException(DropReason.RESULT_QUEUE_FULL, "no"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("result_queue_full belongs to RESULTS");
    assertThat(new ItemDroppedException(DropReason.ENGINE_DISCONNECTED, "lost").detail()).isEqualTo("lost");
  }
}
