package dev.maverick.handler.network.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a blocking call made on the calling thread: when the time is up before {@link #finish}
 * the thread is interrupted. {@code HttpClient.send} answers an interrupt by cancelling the
 * exchange, so a server that stalls in the middle of a body cannot hold the worker past
 * {@code network_timeout} (the request's own timeout ends when the response headers arrive).
 *
 * <p>Why not {@code sendAsync(...).get(timeout)}: the public {@code sendAsync} completes its
 * future on another pool, one more thread hand-off per request; on loopback that made a request
 * cost about twice what {@code send} costs (benchmark 8).
 *
 * <p>The interrupt is ours only while the watch is on: {@link #finish} and {@link #expire} agree
 * under one lock, and {@link #finish} clears an interrupt this deadline delivered, so it never
 * leaks into the caller's next blocking call.
 */
final class Deadline {
  private final Thread caller = Thread.currentThread();
  private ScheduledFuture<?> timer;
  private boolean expired;
  private boolean finished;

  private Deadline() {}

  /** Starts watching the calling thread; call {@link #finish} on that thread when the call returns or throws. */
  static Deadline start(ScheduledExecutorService timers, Duration timeout) {
    Deadline deadline = new Deadline();
    ScheduledFuture<?> timer = timers.schedule(deadline::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    synchronized (deadline) {
      deadline.timer = timer;
    }
    return deadline;
  }

  private synchronized void expire() {
    if (!finished) {
      expired = true;
      caller.interrupt();
    }
  }

  /**
   * Ends the watch.
   *
   * @return true when the time ran out first; the interrupt it delivered is cleared
   */
  synchronized boolean finish() {
    finished = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (expired) {
      Thread.interrupted();
    }
    return expired;
  }
}
