package dev.maverick.handler.ds.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a generous deadline, for unit tests of handlers: tests wait on what
 * they need (a counter, a queue), never for a fixed time. The deadline only bounds a broken test.
 */
public final class Eventually {
  /** How long a condition may take on a busy two-core machine before the test fails. */
  public static final Duration DEADLINE = Duration.ofSeconds(30);

  private Eventually() {}

  /** Waits until {@code condition} holds; fails naming {@code what} after {@link #DEADLINE}. */
  public static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + DEADLINE + " waiting for: " + what);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what, e);
      }
    }
  }
}
