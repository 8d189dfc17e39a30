package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.OverflowPolicy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
  private final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
  private final Diagnostics diagnostics = new Diagnostics(log, "pool", false);
  private final Ledger ledger = new Ledger(diagnostics);
  private final Lane<Object> input = new Lane<>(Lane.Kind.INPUT, 0, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
  private final HandlerLifecycle lifecycle = new HandlerLifecycle(false);
  private final ThreadRegistry threads = new ThreadRegistry(() -> "pool");
  private final List<Object> processed = new CopyOnWriteArrayList<>();

  private WorkerPool pool(WorkerPool.Processor processor) {
    return new WorkerPool(input.queue(), ledger, processor, threads.factory("worker", (t, e) -> { }), lifecycle,
        diagnostics);
  }

  private HandlerStats stats() {
    return Parts.snapshot(ledger, diagnostics, input, null, null);
  }

  @Test
  void workersTakeItemsInFlightAndCountTheirOutcomeInTheTallyTheyAreGiven() {
    WorkerPool pool = pool((queued, tally) -> {
      tally.started();
      processed.add(queued);
      tally.processed();
    });
    synchronized (lifecycle.lock()) {
      pool.resize(2);
    }
    for (int i = 0; i < 100; i++) {
      input.offer(i, true);
    }
    Parts.until(() -> processed.size() == 100);
    Parts.until(() -> stats().processedCount() == 100 && stats().isBalanced());
    assertThat(stats().processedCount()).isEqualTo(100);
    assertThat(pool.alive()).isEqualTo(2);
    synchronized (lifecycle.lock()) {
      pool.resize(1);
    }
    Parts.until(() -> pool.alive() == 1);
    input.queue().close();
    pool.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(20), 0);
    assertThat(pool.alive()).isZero();
  }

  @Test
  void abortFinishesTheItemInHandAndLeavesTheQueueAsItIs() throws Exception {
    CountDownLatch inHand = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WorkerPool pool = pool((queued, tally) -> {
      inHand.countDown();
      awaitQuietly(release);
      processed.add(queued);
      tally.processed();
    });
    input.offer("first", true);
    input.offer("second", true);
    synchronized (lifecycle.lock()) {
      pool.resize(1);
    }
    assertThat(inHand.await(20, TimeUnit.SECONDS)).isTrue();
    pool.abort();
    release.countDown();
    pool.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(20), 0);
    assertThat(processed).containsExactly("first");
    assertThat(input.queue().size()).isEqualTo(1);
  }

  @Test
  void aWorkerStuckPastTheDeadlineIsInterrupted() {
    WorkerPool pool = pool((queued, tally) -> {
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
      } catch (InterruptedException e) {
        processed.add("interrupted");
      }
      tally.failed();
    });
    input.offer("stuck", true);
    synchronized (lifecycle.lock()) {
      pool.resize(1);
    }
    Parts.until(() -> stats().inFlight() == 1);
    input.queue().close();
    pool.stop(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.SECONDS.toNanos(20));
    assertThat(processed).containsExactly("interrupted");
    assertThat(pool.alive()).isZero();
  }

  @Test
  void aWorkerKilledByAFatalErrorLeavesTheHandlerFailedAndIsNotCountedAsRunning() {
    WorkerPool pool = pool((queued, tally) -> {
      tally.failed();
      throw new OutOfMemoryError("simulated");
    });
    synchronized (lifecycle.lock()) {
      pool.resize(1);
      lifecycle.moveTo(HandlerState.RUNNING);
    }
    input.offer("fatal", true);
    Parts.until(() -> lifecycle.state() == HandlerState.FAILED);
    assertThat(stats().failure()).hasValueSatisfying(text -> assertThat(text).contains("simulated"));
    assertThat(log.lines).anySatisfy(line -> assertThat(line).startsWith("ERROR [pool] worker thread pool-worker-1 died"));
    synchronized (lifecycle.lock()) {
      pool.resize(1); // the dying one is retired: a new one takes its place
    }
    Parts.until(() -> pool.alive() == 1);
    input.offer("after", true);
    Parts.until(() -> stats().itemErrorCount() == 2);
  }

  /** Warms the pool's one worker on quick items until it takes batches, then queues {@code batch} at once. */
  private void queueAsOneBatchAfterQuickItems(List<Object> batch) {
    for (int i = 0; i < 400; i++) {
      input.offer("quick-" + i, true);
    }
    Parts.until(() -> input.queue().size() == 0 && stats().inFlight() == 0);
    input.queue().addAllFirst(batch); // under one lock: the waiting worker sees them all at once
  }

  @Test
  void anAbortFinishesTheItemInHandAndPutsTheRestOfItsBatchBackAtTheHeadInOrder() throws Exception {
    CountDownLatch inHand = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Long> inFlightWhileHeld = new CopyOnWriteArrayList<>();
    WorkerPool pool = pool((queued, tally) -> {
      if ("hold".equals(queued)) {
        inFlightWhileHeld.add(stats().inFlight());
        inHand.countDown();
        awaitQuietly(release);
      }
      if (!queued.toString().startsWith("quick-")) {
        processed.add(queued);
      }
      tally.processed();
    });
    synchronized (lifecycle.lock()) {
      pool.resize(1);
    }
    queueAsOneBatchAfterQuickItems(List.of("hold", "a", "b", "c", "d"));
    assertThat(inHand.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(inFlightWhileHeld).as("the worker took more than the item in hand")
        .singleElement().satisfies(inFlight -> assertThat(inFlight).isBetween(2L, 5L));
    input.offer("e", true);
    pool.abort();
    release.countDown();
    pool.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(20), 0);
    assertThat(processed).last().isEqualTo("hold");
    assertThat(input.queue().drain(null)).containsExactly("a", "b", "c", "d", "e");
    assertThat(stats().inFlight()).isZero();
  }

  @Test
  void aWorkerKilledInTheMiddleOfABatchPutsTheRestBack() throws Exception {
    WorkerPool pool = pool((queued, tally) -> {
      if ("fatal".equals(queued)) {
        tally.failed();
        throw new OutOfMemoryError("simulated");
      }
      tally.processed();
    });
    synchronized (lifecycle.lock()) {
      pool.resize(1);
      lifecycle.moveTo(HandlerState.RUNNING);
    }
    queueAsOneBatchAfterQuickItems(List.of("fatal", "x", "y"));
    Parts.until(() -> lifecycle.state() == HandlerState.FAILED);
    Parts.until(() -> pool.alive() == 0);
    assertThat(input.queue().drain(null)).containsExactly("x", "y");
    assertThat(stats().inFlight()).isZero();
    assertThat(stats().itemErrorCount()).isEqualTo(1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
