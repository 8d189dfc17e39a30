package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.assertBalanced;
import static dev.maverick.handler.TestHandlers.drainResults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.internal.CoarseClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each overflow_policy does what it says on the input, result and callback queues, and counts each drop. */
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
      // published is counted after an eviction, processed before the result is queued
      TestHandlers.until("all published", () -> handler.stats().resultsPublished() == 5);
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
  void resultQueueBlockGivesUpAfterOfferTimeoutAndCountsTheResultDropped() {
    Duration offerTimeout = Duration.ofMillis(200);
    HandlerConfig config = HandlerConfig.builder().resultQueueSize(1).overflowPolicy(OverflowPolicy.BLOCK)
        .offerTimeout(offerTimeout).build();
    assertThat(config.resultOverflowPolicy()).isEqualTo(OverflowPolicy.BLOCK);
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(config, i -> i)) {
      handler.feed(1);
      TestHandlers.until("first result queued", () -> handler.stats().resultQueueSize() == 1);
      long fedAt = System.nanoTime();
      handler.feed(2); // nobody takes results: the worker waits for room, then gives up
      // published counts a refused result after its drop: once it shows 2, the drop is counted too
      TestHandlers.until("second result refused", () -> handler.stats().resultsPublished() == 2);
      // a lower bound only: the worker waited at least offer_timeout before it dropped the result
      assertThat(Duration.ofNanos(System.nanoTime() - fedAt)).isGreaterThanOrEqualTo(offerTimeout);
      HandlerStats stats = handler.stats();
      assertThat(stats.processedCount()).isEqualTo(2);
      assertThat(stats.droppedCount()).isEqualTo(1);
      assertThat(stats.dropped(DropReason.RESULT_QUEUE_FULL)).isEqualTo(1);
      assertThat(stats.lastDrop()).hasValueSatisfying(text -> assertThat(text).startsWith("result_queue_full"));
      assertBalanced(handler);
      assertThat(drainResults(handler, 1)).containsExactly(1);
      // the worker lives on: the next result finds room
      handler.feed(3);
      assertThat(drainResults(handler, 1)).containsExactly(3);
      assertThat(handler.stats().state()).isEqualTo(HandlerState.RUNNING);
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

  @Test
  void dropLinesAreWarningsAtMostOncePerSecondPerReasonAndAddUpToTheDropsAtClose() {
    TestHandlers.logLevelOf(LoggedDrops.class, "warn");
    HandlerConfig config = idleQueueOf(1, OverflowPolicy.DROP_NEWEST).name("logged-drops")
        .expectedType(Integer.class).build();
    String queueFull = "queue_full";
    String invalid = "invalid";
    Map<String, List<String>> duringFeed;
    Map<String, List<String>> all;
    long elapsedMillis;
    HandlerStats stats;
    try (TestHandlers.StderrCapture stderr = new TestHandlers.StderrCapture()) {
      LoggedDrops handler = new LoggedDrops(config);
      try {
        long coarseStart = CoarseClock.millis(); // the clock the rate limit is kept by
        long realStart = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
          handler.feed(i % 10 == 9 ? "not a number " + i : i); // one invalid in ten; the rest fill the queue
        }
        // at most one line per reason per whole second of either clock (with the one that starts it)
        elapsedMillis = Math.max(CoarseClock.millis() - coarseStart,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - realStart));
        duringFeed = dropLinesByReason(stderr.linesWith("[logged-drops] "));
      } finally {
        handler.close();
      }
      stats = handler.stats();
      all = dropLinesByReason(stderr.linesWith("[logged-drops] "));
    }
    assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(899);
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(100);
    long mostLinesPerReason = 1 + elapsedMillis / 1000;
    for (String reason : List.of(queueFull, invalid)) {
      assertThat(duringFeed.get(reason)).as("%s lines while feeding for %s ms", reason, elapsedMillis)
          .isNotEmpty().hasSizeLessThanOrEqualTo((int) mostLinesPerReason);
      assertThat(all.get(reason)).as("%s lines after close: at most one more, the summary", reason)
          .hasSizeLessThanOrEqualTo(duringFeed.get(reason).size() + 1)
          .allSatisfy(line -> assertThat(line).contains(" WARN "));
    }
    assertThat(all.get(queueFull)).first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("input queue full (capacity 1, overflow_policy=drop_newest); item dropped");
    assertThat(all.get(invalid)).first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("] invalid item dropped: ", "expected java.lang.Integer (expected_type); got java.lang.String");
    assertThat(all.get(queueFull).stream().mapToLong(TestHandlers::eventsIn).sum())
        .as("queue_full drops reported in %s", all.get(queueFull)).isEqualTo(stats.dropped(DropReason.QUEUE_FULL));
    assertThat(all.get(invalid).stream().mapToLong(TestHandlers::eventsIn).sum())
        .as("invalid drops reported in %s", all.get(invalid)).isEqualTo(stats.dropped(DropReason.INVALID));
    assertThat(stats.isBalanced()).as("books of %s", stats).isTrue();
  }

  /** The log lines of input-queue-full and invalid drops: each reason's own lines and its summary at close. */
  private static Map<String, List<String>> dropLinesByReason(List<String> lines) {
    return Map.of(
        "queue_full", lines.stream().filter(line -> line.contains("] input queue full (capacity ")
            || line.contains("] drops with reason queue_full (")).toList(),
        "invalid", lines.stream().filter(line -> line.contains("] invalid item dropped")
            || line.contains("] drops with reason invalid (")).toList());
  }

  /** A handler class of its own, so that its logger (named after the class) can log warnings. */
  static final class LoggedDrops extends TestHandlers.FunctionHandler<Object, Object> {
    LoggedDrops(HandlerConfig config) {
      super(config, item -> item);
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
