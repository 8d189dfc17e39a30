package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.assertBalanced;
import static dev.maverick.handler.TestHandlers.drainResults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Point 4: overflow_policy on the input, result and callback queues. */
class OverflowPolicyTest {

  private static HandlerConfig.Builder idleQueueOf(int size, OverflowPolicy policy) {
    return HandlerConfig.builder().runAsThread(false).maxQueueSize(size).overflowPolicy(policy);
  }

  @Test
  void dropNewestRejectsTheIncomingItem() {
    try (ArchitectureHandler<Integer, Integer> handler =
        TestHandlers.of(idleQueueOf(2, OverflowPolicy.DROP_NEWEST).build(), i -> i)) {
      handler.feed(1);
      handler.feed(2);
      assertThat(handler.feed(3)).isFalse();
      handler.start();
      assertThat(drainResults(handler, 2)).containsExactly(1, 2);
      assertThat(handler.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
      assertBalanced(handler);
    }
  }

  @Test
  void dropOldestEvictsTheHeadAndAcceptsTheNewItem() {
    try (ArchitectureHandler<Integer, Integer> handler =
        TestHandlers.of(idleQueueOf(2, OverflowPolicy.DROP_OLDEST).build(), i -> i)) {
      assertThat(handler.feed(1)).isTrue();
      assertThat(handler.feed(2)).isTrue();
      assertThat(handler.feed(3)).isTrue();
      assertThat(handler.feed(4)).isTrue();
      handler.start();
      assertThat(drainResults(handler, 2)).containsExactly(3, 4);
      HandlerStats stats = handler.stats();
      assertThat(stats.dropped(DropReason.EVICTED)).isEqualTo(2);
      assertThat(stats.droppedCount()).isEqualTo(2);
      assertBalanced(handler);
    }
  }

  @Test
  void blockWaitsForRoomAndGivesUpAfterOfferTimeout() throws Exception {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(
        idleQueueOf(1, OverflowPolicy.BLOCK).offerTimeout(Duration.ofMillis(50)).build(), i -> i)) {
      assertThat(handler.feed(1)).isTrue();
      assertThat(handler.feed(2)).as("no room within offer_timeout").isFalse();
      assertThat(handler.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
      assertBalanced(handler);
    }
  }

  @Test
  void blockSucceedsOnceTheWorkerMakesRoom() throws Exception {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(
        idleQueueOf(1, OverflowPolicy.BLOCK).offerTimeout(Duration.ZERO).build(), i -> i)) {
      handler.feed(1);
      CompletableFuture<Boolean> blocked = feedInThread(handler, 2);
      assertThat(blocked.isDone()).isFalse();
      handler.start();
      assertThat(blocked.get(20, TimeUnit.SECONDS)).isTrue();
      assertThat(drainResults(handler, 2)).containsExactly(1, 2);
      assertThat(handler.stats().droppedCount()).isZero();
    }
  }

  @Test
  void aProducerBlockedWithoutLimitIsReleasedByCloseAndItsItemCounted() throws Exception {
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(
        idleQueueOf(1, OverflowPolicy.BLOCK).offerTimeout(Duration.ZERO).shutdownTimeout(Duration.ZERO).build(), i -> i);
    handler.feed(1);
    CompletableFuture<Boolean> blocked = feedInThread(handler, 2);
    handler.close();
    assertThat(blocked.get(20, TimeUnit.SECONDS)).isFalse();
    HandlerStats stats = handler.stats();
    assertThat(stats.dropped(DropReason.CLOSED)).isEqualTo(1);
    assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(1);
    assertBalanced(handler);
  }

  @Test
  void failThrowsQueueFullAndStillCountsTheDrop() {
    try (ArchitectureHandler<Integer, Integer> handler =
        TestHandlers.of(idleQueueOf(1, OverflowPolicy.FAIL).build(), i -> i)) {
      handler.feed(1);
      assertThatThrownBy(() -> handler.feed(2))
          .isInstanceOfSatisfying(QueueFullException.class, e -> {
            assertThat(e.queue()).isEqualTo("input");
            assertThat(e.capacity()).isEqualTo(1);
          })
          .hasMessageContaining("input queue full (capacity 1, overflow_policy=fail)");
      assertThat(handler.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
      assertBalanced(handler);
    }
  }

  @Test
  void zeroCapacityIsUnbounded() {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(idleQueueOf(0, OverflowPolicy.FAIL).build(), i -> i)) {
      for (int i = 0; i < 10_000; i++) {
        assertThat(handler.feed(i)).isTrue();
      }
      assertThat(handler.stats().inputQueueSize()).isEqualTo(10_000);
      assertThat(handler.stats().inputQueueCapacity()).isZero();
    }
  }

  @Test
  void resultQueueDropOldestKeepsTheNewestResults() {
    HandlerConfig config = HandlerConfig.builder().resultQueueSize(2).resultOverflowPolicy(OverflowPolicy.DROP_OLDEST).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(config, i -> i)) {
      for (int i = 1; i <= 5; i++) {
        handler.feed(i);
      }
      TestHandlers.until("all processed", () -> handler.stats().processedCount() == 5);
      assertThat(drainResults(handler, 2)).containsExactly(4, 5);
      assertThat(handler.stats().dropped(DropReason.RESULT_EVICTED)).isEqualTo(3);
      assertBalanced(handler);
    }
  }

  @Test
  void resultQueueBlockHoldsTheWorkerUntilAConsumerTakesAResult() {
    HandlerConfig config = HandlerConfig.builder().resultQueueSize(1).overflowPolicy(OverflowPolicy.BLOCK)
        .offerTimeout(Duration.ZERO).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(config, i -> i)) {
      for (int i = 1; i <= 3; i++) {
        handler.feed(i);
      }
      TestHandlers.until("worker blocked on the full result queue",
          () -> handler.stats().processedCount() == 2 && handler.stats().resultQueueSize() == 1);
      assertThat(drainResults(handler, 3)).containsExactly(1, 2, 3);
      assertThat(handler.stats().droppedCount()).isZero();
      assertBalanced(handler);
    }
  }

  @Test
  void callbackQueueDropsWhenFullAndNeverBlocksTheCaller() {
    CountDownLatch release = new CountDownLatch(1);
    HandlerConfig config = HandlerConfig.builder().runAsThread(false).callbackQueueSize(1)
        .overflowPolicy(OverflowPolicy.BLOCK).offerTimeout(Duration.ZERO)
        .generateResultsCallback((result, extra) -> {
          TestHandlers.await(release);
          return null;
        }).build();
    assertThat(config.callbackOverflowPolicy()).isEqualTo(OverflowPolicy.DROP_NEWEST);
    try (Emitter handler = new Emitter(config)) {
      int accepted = 0;
      for (int i = 0; i < 10; i++) {
        accepted += handler.emit("r" + i) ? 1 : 0;
      }
      int queued = accepted;
      // one task running (blocked in the callback), at most one queued; the rest dropped, no wait
      assertThat(queued).isBetween(1, 2);
      assertThat(handler.stats().dropped(DropReason.CALLBACK_QUEUE_FULL)).isEqualTo(10 - queued);
      release.countDown();
      TestHandlers.until("callbacks done", () -> handler.stats().callbacksCompleted() == queued);
      assertBalanced(handler);
    }
  }

  @Test
  void callbackQueueDropOldestAndFailAreHonoured() {
    CountDownLatch release = new CountDownLatch(1);
    HandlerConfig.Builder base = HandlerConfig.builder().runAsThread(false).callbackQueueSize(1)
        .generateResultsCallback((result, extra) -> {
          TestHandlers.await(release);
          return null;
        });
    try (Emitter oldest = new Emitter(base.callbackOverflowPolicy(OverflowPolicy.DROP_OLDEST).build());
        Emitter failing = new Emitter(base.callbackOverflowPolicy(OverflowPolicy.FAIL).build())) {
      oldest.emit("running");
      TestHandlers.until("first callback running", () -> oldest.stats().callbacksRunning() == 1);
      assertThat(oldest.emit("a")).isTrue();
      assertThat(oldest.emit("b")).isTrue();
      assertThat(oldest.stats().dropped(DropReason.CALLBACK_EVICTED)).isEqualTo(1);

      failing.emit("running");
      TestHandlers.until("first callback running", () -> failing.stats().callbacksRunning() == 1);
      failing.emit("queued");
      assertThatThrownBy(() -> failing.emit("overflow")).isInstanceOf(QueueFullException.class)
          .hasMessageContaining("callback queue full");
      assertThat(failing.stats().dropped(DropReason.CALLBACK_QUEUE_FULL)).isEqualTo(1);
      release.countDown();
    }
  }

  @Test
  void everyDropIsLoggedRateLimitedPerReason() {
    // the RateLimitedLog itself is tested in internal.RateLimitedLogTest; here: a flood costs no errors
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(idleQueueOf(1, OverflowPolicy.DROP_NEWEST).build(), i -> i)) {
      handler.feed(0);
      for (int i = 0; i < 100_000; i++) {
        handler.feed(i);
      }
      assertThat(handler.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(100_000);
      assertBalanced(handler);
    }
  }

  /** Feeds from a thread of its own and returns once that thread waits inside feed. */
  private static CompletableFuture<Boolean> feedInThread(ArchitectureHandler<Integer, Integer> handler, int item) {
    CompletableFuture<Boolean> outcome = new CompletableFuture<>();
    Thread producer = new Thread(() -> outcome.complete(handler.feed(item)), "blocked-producer");
    producer.start();
    TestHandlers.until("producer waiting for room", () -> producer.getState() == Thread.State.WAITING);
    return outcome;
  }

  /** Exposes emitAsyncCallback to the test, as a producer subclass would use it. */
  static class Emitter extends ArchitectureHandler<String, String> {
    Emitter(HandlerConfig config) {
      super(config);
    }

    boolean emit(String result) {
      return emitAsyncCallback(result, Map.of());
    }

    boolean publish(String result) {
      return publishResult(result, Map.of("source", "test"));
    }

    @Override
    protected String generateResults(String item, Map<String, ?> extra) {
      return item;
    }
  }
}
