package dev.maverick.handler.admin.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Lets a write wait for the service registry to show its effect without sleeping: trackers call
 * {@link #changed()} on every service event, and {@link #await} re-checks its condition on each.
 */
final class ChangeSignal {
  private final AtomicLong version = new AtomicLong();
  private final Object lock = new Object();

  /** Wakes every waiter, to check its condition again. */
  void changed() {
    synchronized (lock) {
      version.incrementAndGet();
      lock.notifyAll();
    }
  }

  /** Waits up to {@code timeout} for a condition, checked now and after every change. */
  boolean await(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen = version.get();
      if (condition.getAsBoolean()) {
        return true;
      }
      synchronized (lock) {
        while (version.get() == seen) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          try {
            lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }
    }
  }
}
