package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.internal.Diagnostics.LogTopic;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiFunction;

/**
 * Runs a handler's callback tasks on its one callback thread, in the order they were emitted,
 * never on the caller's thread and never blocking the caller. The thread starts on first use and
 * is replaced at once if a fatal error kills it, so that the tasks still queued run. At close the
 * queue stops taking tasks and the thread runs what is queued for up to {@code shutdown_timeout};
 * what is left is counted as dropped ({@code callback_shutdown}).
 */
public final class CallbackDispatcher {

  /** Called when a task threw, with what it was given: the handler's {@code hookOnCallbackError}. */
  @FunctionalInterface
  public interface FailureHook {
    /** Contains what it throws itself, but what no handler can contain. */
    void failed(Object result, Map<String, ?> extra, Throwable error);
  }

  private final Lane<Task> lane;
  private final Ledger ledger;
  private final Diagnostics diagnostics;
  private final ThreadFactory threads;
  private final Object lifecycleLock;
  private final FailureHook failureHook;
  private volatile Thread thread;
  private volatile boolean abort;

  /**
   * @param capacity the callback queue's capacity ({@code callback_queue_size})
   * @param policy its policy ({@code callback_overflow_policy})
   * @param offerTimeoutNanos how long {@code block} waits
   * @param ledger where tasks are counted
   * @param diagnostics where failures and drops are logged
   * @param threads makes the callback thread
   * @param lifecycleLock the handler's lifecycle lock, held while the thread is started or replaced
   * @param failureHook the handler's hook for a failed task
   */
  public CallbackDispatcher(int capacity, OverflowPolicy policy, long offerTimeoutNanos, Ledger ledger,
      Diagnostics diagnostics, ThreadFactory threads, Object lifecycleLock, FailureHook failureHook) {
    this.lane = new Lane<>(Lane.Kind.CALLBACK, capacity, policy, offerTimeoutNanos, ledger, diagnostics);
    this.ledger = ledger;
    this.diagnostics = diagnostics;
    this.threads = threads;
    this.lifecycleLock = lifecycleLock;
    this.failureHook = failureHook;
  }

  /**
   * Schedules {@code callback(result, extra)}, counting it as emitted in every case.
   *
   * @param callback the configured callback, or null when there is none
   * @param threadsDisabled {@code disable_thread}: no thread may run it
   * @return true if queued; false if dropped and counted
   * @throws dev.maverick.handler.QueueFullException when full under {@code fail}
   */
  public boolean emit(BiFunction<Object, Map<String, ?>, Object> callback, boolean threadsDisabled, Object result,
      Map<String, ?> frozenExtra) {
    if (callback == null || threadsDisabled) {
      lane.refuse(DropReason.CALLBACK_UNAVAILABLE,
          callback == null ? "no generate_results_callback is configured" : "threads are disabled (disable_thread=true)");
      return false;
    }
    if (thread == null) {
      startThread();
    }
    return lane.offer(new Task(callback, result, frozenExtra), true);
  }

  /** The callback queue. */
  public Lane<Task> lane() {
    return lane;
  }

  /** Whether the callback thread is alive. */
  public boolean threadAlive() {
    Thread current = thread;
    return current != null && current.isAlive();
  }

  /**
   * Stops taking tasks, lets the thread run the queued ones until the deadline
   * ({@link System#nanoTime()}), then interrupts it and waits a grace period more; counts what is
   * left as dropped.
   */
  public void close(long deadlineNanos, long graceNanos) {
    BoundedQueue<Task> queue = lane.queue();
    queue.close();
    Thread current = thread;
    if (current != null && !ThreadRegistry.awaitThreads(List.of(current), deadlineNanos)) {
      abort = true;
      current.interrupt();
      ThreadRegistry.awaitThreads(List.of(current), System.nanoTime() + graceNanos);
    }
    int left = lane.dropAll(DropReason.CALLBACK_SHUTDOWN);
    if (left > 0) {
      diagnostics.logger().warn("[{}] {} pending callback(s) dropped at close: not run within shutdown_timeout",
          diagnostics.name(), left);
    }
  }

  private void startThread() {
    synchronized (lifecycleLock) {
      if (thread != null || lane.queue().isClosed()) {
        return;
      }
      Thread started = threads.newThread(this::run);
      thread = started;
      started.start();
    }
  }

  private void run() {
    BoundedQueue<Task> queue = lane.queue();
    while (!abort) {
      Task task;
      try {
        task = queue.poll(Long.MAX_VALUE, ledger.callbacksRunning);
      } catch (InterruptedException e) {
        continue;
      }
      if (task == null) {
        if (queue.isClosed()) {
          return;
        }
        continue;
      }
      try {
        task.callback.apply(task.result, task.extra);
        ledger.callbacksCompleted.increment();
      } catch (Throwable error) {
        ledger.callbackErrors.increment();
        diagnostics.failed(LogTopic.CALLBACK_ERROR, "callback failed", error);
        failureHook.failed(task.result, task.extra, error);
        if (Diagnostics.isFatal(error)) {
          died(error);
          throw Diagnostics.sneakyThrow(error);
        }
      } finally {
        ledger.callbacksRunning.decrement();
      }
    }
  }

  /** Its replacement runs the callbacks still queued; without one, none would ever run again. */
  private void died(Throwable fatal) {
    ledger.failure(fatal);
    diagnostics.logger().error("[{}] callback thread {} died; a new one takes over the queued callbacks",
        diagnostics.name(), Thread.currentThread().getName(), fatal);
    synchronized (lifecycleLock) {
      if (thread == Thread.currentThread()) {
        thread = null;
      }
    }
    startThread();
  }

  /** A callback with what it is called with. */
  public record Task(BiFunction<Object, Map<String, ?>, Object> callback, Object result, Map<String, ?> extra) {}
}
