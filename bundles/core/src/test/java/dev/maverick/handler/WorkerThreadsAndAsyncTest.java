package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static dev.maverick.handler.TestHandlers.drainResults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Points 6 and 14: async wrappers on the handler's executor; worker_threads. */
class WorkerThreadsAndAsyncTest {

  @Test
  void fourWorkersProcessFourItemsAtOnce() {
    // each item waits at a barrier of four: only four concurrent workers can ever pass it
    CyclicBarrier barrier = new CyclicBarrier(4);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    HandlerConfig config = HandlerConfig.builder().name("pool").workerThreads(4).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(config, item -> {
      threads.add(Thread.currentThread().getName());
      try {
        barrier.await(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("fewer than four workers ran at once", e);
      }
      return item;
    })) {
      for (int i = 0; i < 8; i++) {
        handler.feed(i);
      }
      assertThat(drainResults(handler, 8)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
      assertThat(threads).containsExactlyInAnyOrder("pool-worker-1", "pool-worker-2", "pool-worker-3", "pool-worker-4");
      assertThat(handler.stats().itemErrorCount()).isZero();
      assertBalanced(handler);
    }
  }

  @Test
  void withTwoWorkersResultsCanComeOutOfFeedOrder() {
    // worker_threads > 1 does not keep feed order: item 0 is held while item 1 overtakes it
    CountDownLatch zeroStarted = new CountDownLatch(1);
    CountDownLatch releaseZero = new CountDownLatch(1);
    HandlerConfig config = HandlerConfig.builder().workerThreads(2).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(config, item -> {
      if (item == 0) {
        zeroStarted.countDown();
        TestHandlers.await(releaseZero);
      }
      return item;
    })) {
      handler.feed(0);
      TestHandlers.await(zeroStarted); // one worker holds item 0; only the other can take item 1
      handler.feed(1);
      assertThat(handler.getResult(WAIT)).as("the later item's result first").contains(1);
      releaseZero.countDown();
      assertThat(handler.getResult(WAIT)).contains(0);
      assertBalanced(handler);
    }
  }

  @Test
  void asyncWrappersRunOnTheHandlersOwnExecutor() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    HandlerConfig config = HandlerConfig.builder().name("asyncs").build();
    try (ArchitectureHandler<String, String> handler = TestHandlers.of(config, item -> {
      threads.add(Thread.currentThread().getName());
      return item.toUpperCase();
    })) {
      assertThat(handler.startAsync().get(20, TimeUnit.SECONDS)).isNull();
      assertThat(handler.state()).isEqualTo(HandlerState.RUNNING);
      assertThat(handler.feedAsync("a", Map.of()).get(20, TimeUnit.SECONDS)).isTrue();
      assertThat(handler.getResultAsync(WAIT).get(20, TimeUnit.SECONDS)).contains("A");
      assertThat(handler.generateAsync("b", Map.of()).get(20, TimeUnit.SECONDS)).isEqualTo("B");
      assertThat(threads).contains("asyncs-worker-1").anyMatch(name -> name.startsWith("asyncs-async-"));
      assertThat(threads).noneMatch(name -> name.contains("ForkJoinPool"));
    }
  }

  @Test
  void asyncFailuresCompleteTheFutureExceptionally() {
    try (ArchitectureHandler<String, String> handler =
        TestHandlers.of(HandlerConfig.builder().expectedType(String.class).build(), item -> item)) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      ArchitectureHandler<Object, String> raw = (ArchitectureHandler) handler;
      assertThatThrownBy(() -> raw.generateAsync(42, Map.of()).join())
          .isInstanceOf(CompletionException.class).hasCauseInstanceOf(InvalidItemException.class);
    }
  }

  @Test
  void afterCloseAsyncCallsAnswerAtOnceWithoutAThread() throws Exception {
    ArchitectureHandler<String, String> handler = TestHandlers.of(HandlerConfig.defaults(), item -> item);
    handler.close();
    assertThat(handler.feedAsync("x", Map.of()).get(5, TimeUnit.SECONDS)).isFalse();
    assertThat(handler.getResultAsync(Duration.ofSeconds(30)).get(5, TimeUnit.SECONDS)).isEqualTo(Optional.empty());
    assertThatThrownBy(() -> handler.generateAsync("x", Map.of()).join()).hasCauseInstanceOf(HandlerClosedException.class);
    assertThatThrownBy(() -> handler.startAsync().join()).hasCauseInstanceOf(HandlerClosedException.class);
    assertThat(handler.liveThreads()).isEmpty();
  }

  @Test
  void aFatalErrorKillsTheWorkerMarksTheHandlerFailedAndStartRecovers() {
    try (QuietlyDying handler = new QuietlyDying()) {
      handler.feed("oom");
      // FAILED comes a moment before the dying thread has ended
      TestHandlers.until("failed and the worker gone",
          () -> handler.state() == HandlerState.FAILED && handler.stats().workersAlive() == 0);
      HandlerStats stats = handler.stats();
      assertThat(stats.failure()).hasValueSatisfying(f -> assertThat(f).contains("simulated"));
      assertThat(stats.workersAlive()).isZero();
      assertThat(stats.itemErrorCount()).isEqualTo(1);
      handler.start();
      assertThat(handler.state()).isEqualTo(HandlerState.RUNNING);
      handler.feed("ok");
      assertThat(handler.getResult(WAIT)).contains("ok");
      assertBalanced(handler);
    }
  }

  /** Dies of "oom". Its own logger, silenced: worker deaths would fill the build log with stack traces. */
  static final class QuietlyDying extends TestHandlers.FunctionHandler<String, String> {
    static {
      TestHandlers.logLevelOf(QuietlyDying.class, "off"); // before the first instance makes its logger
    }

    QuietlyDying() {
      super(HandlerConfig.defaults(), item -> {
        if (item.equals("oom")) {
          throw new OutOfMemoryError("simulated");
        }
        return item;
      });
    }
  }

  @Test
  void startRightAfterAFatalErrorReplacesTheDyingWorker() {
    try (QuietlyDying handler = new QuietlyDying()) {
      // start() as soon as FAILED shows, often while the dead worker's thread is still unwinding:
      // that thread must not count as a running worker, or no item would be processed again
      for (int round = 0; round < 200; round++) {
        handler.feed("oom");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (handler.state() != HandlerState.FAILED) { // spinning, to see FAILED at once
          assertThat(System.nanoTime() - deadline).as("round %s: FAILED in time", round).isNegative();
          Thread.onSpinWait();
        }
        handler.start();
        handler.feed("ok " + round);
        assertThat(handler.getResult(Duration.ofSeconds(5))).as("round %s", round).contains("ok " + round);
      }
      assertThat(handler.stats().itemErrorCount()).isEqualTo(200);
      assertBalanced(handler);
    }
  }
}
