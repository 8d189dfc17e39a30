package dev.maverick.handler.internal;

import java.time.Duration;

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
}
