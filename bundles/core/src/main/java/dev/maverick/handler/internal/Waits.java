package dev.maverick.handler.internal;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** How long a caller asked to wait, as nanoseconds: one rule for every wait a handler offers. */
public final class Waits {
  /** Stands for "without limit". */
  public static final long FOREVER = Long.MAX_VALUE;

  private Waits() {}

  /**
   * A caller's timeout: {@code null} waits without limit ({@link #FOREVER}), zero does not wait.
   *
   * @throws IllegalArgumentException if it is negative
   */
  public static long timeoutNanos(Duration timeout) {
    if (timeout == null) {
      return FOREVER;
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException(
          "timeout must be zero or positive (or null to wait without limit); got " + timeout);
    }
    return saturatedNanos(timeout);
  }

  /** A duration in nanoseconds, {@link #FOREVER} when it is too long to count so. */
  public static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return FOREVER;
    }
  }

  /**
   * Takes the head of {@code queue} for a caller that must not be interrupted out of its wait by
   * an exception: waits up to {@code timeoutNanos}, counting what it takes in {@code takenInto}.
   *
   * @return the head, or null on timeout, when closed (or released) and empty, or when
   *     interrupted (the interrupt flag is then set again)
   */
  public static <E> E poll(BoundedQueue<E> queue, long timeoutNanos, LongAdder takenInto) {
    try {
      return queue.poll(timeoutNanos, takenInto);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
