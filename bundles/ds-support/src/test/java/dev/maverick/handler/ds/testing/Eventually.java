package dev.maverick.handler.ds.testing;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerStats;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a generous deadline, for unit tests of handlers: tests wait on what
 * they need (a counter, a queue), never for a fixed time. The deadline only bounds a broken test.
 */
public final class Eventually {
  /** How long a condition may take on a busy two-core machine before the test fails. */
  public static final Duration DEADLINE = Duration.ofSeconds(30);

  private Eventually() {}

  /**
   * Waits until the handler is quiescent (nothing in flight) and its three ledgers balance, and
   * returns that snapshot; fails with the last snapshot when they never do. A snapshot taken while
   * a worker is between queuing a result and leaving the item may count the item twice, which is
   * why a test waits for this instead of asserting at once.
   */
  public static HandlerStats balanced(Handler<?, ?> handler) {
    HandlerStats[] last = new HandlerStats[1];
    until("a balanced, quiescent handler", () -> {
      last[0] = handler.stats();
      return last[0].inFlight() == 0 && last[0].isBalanced();
    }, () -> String.valueOf(last[0]));
    return last[0];
  }

  /** Waits until {@code condition} holds; fails naming {@code what} after {@link #DEADLINE}. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, condition, () -> "");
  }

  private static void until(String what, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + DEADLINE + " waiting for: " + what + " " + state.get());
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
