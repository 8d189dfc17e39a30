package dev.maverick.handler.stt.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Condition waits with a deadline: tests wait for what they need, never for a fixed time. */
final class Waits {
  static final Duration DEFAULT = Duration.ofSeconds(60);

  private Waits() {}

  static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition);
  }

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
