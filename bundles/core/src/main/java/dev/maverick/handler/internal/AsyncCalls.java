package dev.maverick.handler.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The executor a handler runs its async calls ({@code feedAsync}, {@code getResultAsync}, ...) and
 * its timed network calls on: never the caller's thread and never the common pool. Made on first
 * use, its threads end when idle, and it is retired at close: calls under way get a grace period
 * to finish, calls still waiting for a thread are run then (after the close, each answers at
 * once: refused, empty, or closed), so that no future is left pending.
 */
public final class AsyncCalls {
  private static final int THREADS = 8;

  private final ThreadFactory threads;
  private final Object lifecycleLock;
  private volatile ThreadPoolExecutor executor;
  /** Set when the executor is retired; none is made after that. Guarded by lifecycleLock. */
  private boolean retired;

  /**
   * @param threads makes the executor's threads
   * @param lifecycleLock the handler's lifecycle lock, held while the executor is made or retired
   */
  public AsyncCalls(ThreadFactory threads, Object lifecycleLock) {
    this.threads = threads;
    this.lifecycleLock = lifecycleLock;
  }

  /** Runs {@code work} on the executor; once retired, on the caller's thread (everything is then non-blocking). */
  public <T> CompletableFuture<T> run(Supplier<T> work) {
    ThreadPoolExecutor current = executor();
    if (current != null) {
      try {
        return CompletableFuture.supplyAsync(work, current);
      } catch (RejectedExecutionException retiredMeanwhile) {
        // fall through: retired between the two lines
      }
    }
    try {
      return CompletableFuture.completedFuture(work.get());
    } catch (Throwable error) {
      return CompletableFuture.failedFuture(error);
    }
  }

  /**
   * Runs {@code call} on the executor and waits for it up to {@code timeoutNanos}; cancels
   * (interrupts) it when the time is up. Once retired, runs it on the caller's thread, untimed.
   *
   * @throws TimeoutException when the time is up
   * @throws Exception what the call threw, unwrapped
   */
  public <T> T callWithin(Callable<T> call, long timeoutNanos) throws Exception {
    ThreadPoolExecutor current = executor();
    if (current == null) {
      return call.call();
    }
    Future<T> running = current.submit(call);
    try {
      return running.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | InterruptedException e) {
      running.cancel(true);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw Diagnostics.sneakyThrow(cause);
    }
  }

  /**
   * Lets the calls under way finish for {@code graceNanos} (not interrupted: a getResult about to
   * take a result still takes it), then interrupts the rest and runs the calls still waiting.
   *
   * @return true if there was an executor to retire
   */
  public boolean retire(long graceNanos) {
    ThreadPoolExecutor current;
    synchronized (lifecycleLock) {
      current = executor;
      executor = null;
      retired = true;
    }
    if (current == null) {
      return false;
    }
    current.shutdown();
    boolean finished = false;
    try {
      finished = current.awaitTermination(graceNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!finished) {
      for (Runnable waiting : current.shutdownNow()) {
        waiting.run();
      }
    }
    return true;
  }

  private ThreadPoolExecutor executor() {
    ThreadPoolExecutor current = executor;
    if (current != null) {
      return current;
    }
    synchronized (lifecycleLock) {
      // still made while closing: async calls then must not run (and block) on the caller's thread
      if (executor == null && !retired) {
        ThreadPoolExecutor created = new ThreadPoolExecutor(THREADS, THREADS, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), threads);
        created.allowCoreThreadTimeOut(true);
        executor = created;
      }
      return executor;
    }
  }
}
