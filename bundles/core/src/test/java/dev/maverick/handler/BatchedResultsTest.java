package dev.maverick.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A worker's batch of results is published in order, and fully counted, whether it fits or not. */
class BatchedResultsTest {

  private static HandlerConfig.Builder config() {
    return HandlerConfig.builder().runAsThread(true).maxQueueSize(128).overflowPolicy(OverflowPolicy.BLOCK)
        .offerTimeout(Duration.ZERO);
  }

  @Test
  void resultsComeOutInTheOrderTheItemsWentInUnderBlock() {
    try (var handler = TestHandlers.of(config().resultQueueSize(16).resultOverflowPolicy(OverflowPolicy.BLOCK)
        .build(), (Integer item) -> item * 2)) {
      List<Integer> taken = new ArrayList<>();
      Thread consumer = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          taken.add(handler.getResult(TestHandlers.WAIT).orElseThrow());
        }
      });
      consumer.start();
      for (int i = 0; i < 20_000; i++) {
        assertThat(handler.feed(i)).isTrue();
      }
      try {
        consumer.join(TestHandlers.WAIT.toMillis());
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertThat(taken).hasSize(20_000);
      for (int i = 0; i < taken.size(); i++) {
        assertThat(taken.get(i)).isEqualTo(i * 2);
      }
      TestHandlers.until("idle", () -> handler.stats().inFlight() == 0);
      assertThat(handler.stats().isBalanced()).isTrue();
      assertThat(handler.stats().droppedCount()).isZero();
    }
  }

  @Test
  void resultsThatDoNotFitAreCountedDroppedAndTheBooksBalance() {
    try (var handler = TestHandlers.of(config().resultQueueSize(4).resultOverflowPolicy(OverflowPolicy.DROP_NEWEST)
        .build(), (Integer item) -> item)) {
      for (int i = 0; i < 5_000; i++) {
        handler.feed(i);
      }
      TestHandlers.until("all processed", () -> handler.stats().processedCount() == 5_000);
      HandlerStats stats = handler.stats();
      assertThat(stats.resultQueueSize()).isEqualTo(4);
      assertThat(stats.dropped(DropReason.RESULT_QUEUE_FULL)).isEqualTo(4_996L);
      assertThat(stats.isBalanced()).isTrue();
      assertThat(handler.getResult(Duration.ZERO)).contains(0);
    }
  }

  @Test
  void aSubclassWatchingEachItemFindsItsResultQueuedWhenItsAfterGenerateHookRuns() {
    List<Long> publishedWhenHookRan = new CopyOnWriteArrayList<>();
    try (var handler = new ArchitectureHandler<Integer, Integer>(config().resultQueueSize(0).build()) {
      @Override
      protected Integer generateResults(Integer item, Map<String, ?> extra) {
        return item;
      }

      @Override
      protected void hookAfterGenerate(Integer item, Map<String, ?> extra, Integer result) {
        publishedWhenHookRan.add(stats().resultsPublished() - item);
      }
    }) {
      for (int i = 0; i < 2_000; i++) {
        handler.feed(i);
      }
      TestHandlers.until("all processed", () -> publishedWhenHookRan.size() == 2_000);
      assertThat(publishedWhenHookRan).as("results published when item i's hook ran, minus i").allMatch(n -> n == 1);
    }
  }
}
