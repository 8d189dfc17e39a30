package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.OverflowPolicy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class CallbackDispatcherTest {
  private final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
  private final Diagnostics diagnostics = new Diagnostics(log, "calls", false);
  private final Ledger ledger = new Ledger(diagnostics);
  private final ThreadRegistry threads = new ThreadRegistry(() -> "calls");
  private final Object lock = new Object();
  private final List<String> failures = new CopyOnWriteArrayList<>();

  private CallbackDispatcher dispatcher(int capacity) {
    return new CallbackDispatcher(capacity, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics,
        threads.factory("callback", (t, e) -> { }), lock,
        (result, extra, error) -> failures.add(result + ":" + error.getMessage()));
  }

  private HandlerStats stats(CallbackDispatcher dispatcher) {
    return Parts.snapshot(ledger, diagnostics, null, null, dispatcher.lane());
  }

  @Test
  void tasksRunInOrderOnOneThreadOfTheirOwnAndAFailureReachesTheHook() {
    CallbackDispatcher dispatcher = dispatcher(0);
    List<String> ran = new CopyOnWriteArrayList<>();
    BiFunction<Object, Map<String, ?>, Object> callback = (result, extra) -> {
      if (result.equals("bad")) {
        throw new IllegalStateException("refused");
      }
      return ran.add(result + "@" + Thread.currentThread().getName());
    };
    for (int i = 0; i < 50; i++) {
      assertThat(dispatcher.emit(callback, false, i == 25 ? "bad" : "r" + i, Map.of())).isTrue();
    }
    Parts.until(() -> stats(dispatcher).callbacksCompleted() + stats(dispatcher).callbackErrorCount() == 50);
    assertThat(ran).hasSize(49).allSatisfy(line -> assertThat(line).endsWith("@calls-callback-1"));
    assertThat(ran.get(0)).startsWith("r0@");
    assertThat(ran.get(48)).startsWith("r49@");
    assertThat(failures).containsExactly("bad:refused");
    assertThat(dispatcher.threadAlive()).isTrue();
    dispatcher.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(20), 0);
    assertThat(dispatcher.threadAlive()).isFalse();
    assertThat(stats(dispatcher).isBalanced()).isTrue();
  }

  @Test
  void withoutACallbackOrWithThreadsDisabledATaskIsDroppedAndCountedAndNoThreadStarts() {
    CallbackDispatcher dispatcher = dispatcher(8);
    assertThat(dispatcher.emit(null, false, "x", Map.of())).isFalse();
    assertThat(dispatcher.emit((r, e) -> r, true, "y", Map.of())).isFalse();
    HandlerStats stats = stats(dispatcher);
    assertThat(stats.callbacksEmitted()).isEqualTo(2);
    assertThat(stats.dropped(DropReason.CALLBACK_UNAVAILABLE)).isEqualTo(2);
    assertThat(stats.lastDrop()).contains("callback_unavailable: threads are disabled (disable_thread=true)");
    assertThat(dispatcher.threadAlive()).isFalse();
    assertThat(stats.isBalanced()).isTrue();
  }

  @Test
  void atCloseWhatDidNotRunBeforeTheDeadlineIsCountedDropped() throws Exception {
    CallbackDispatcher dispatcher = dispatcher(8);
    CountDownLatch running = new CountDownLatch(1);
    BiFunction<Object, Map<String, ?>, Object> slow = (result, extra) -> {
      running.countDown();
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return result;
    };
    dispatcher.emit(slow, false, "slow", Map.of());
    dispatcher.emit(slow, false, "waiting", Map.of());
    assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
    dispatcher.close(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.SECONDS.toNanos(20));
    HandlerStats stats = stats(dispatcher);
    assertThat(stats.dropped(DropReason.CALLBACK_SHUTDOWN)).isEqualTo(1);
    assertThat(stats.isBalanced()).isTrue();
    assertThat(dispatcher.emit(slow, false, "late", Map.of())).isFalse();
    assertThat(stats(dispatcher).dropped(DropReason.CALLBACK_CLOSED)).isEqualTo(1);
    assertThat(log.lines).anySatisfy(line -> assertThat(line)
        .isEqualTo("WARN [calls] 1 pending callback(s) dropped at close: not run within shutdown_timeout"));
  }

  @Test
  void aThreadKilledByAFatalErrorIsReplacedAndTheQueuedTasksRun() {
    CallbackDispatcher dispatcher = dispatcher(0);
    List<Object> ran = new CopyOnWriteArrayList<>();
    BiFunction<Object, Map<String, ?>, Object> callback = (result, extra) -> {
      if (result.equals("fatal")) {
        throw new OutOfMemoryError("simulated");
      }
      return ran.add(result);
    };
    dispatcher.emit(callback, false, "fatal", Map.of());
    dispatcher.emit(callback, false, "after", Map.of());
    Parts.until(() -> ran.contains("after"));
    assertThat(stats(dispatcher).failure()).hasValueSatisfying(text -> assertThat(text).contains("simulated"));
    Parts.until(() -> stats(dispatcher).callbackErrorCount() == 1 && stats(dispatcher).isBalanced());
  }
}
