package dev.maverick.handler.internal;

import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.OverflowPolicy;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** What the parts' tests share: a snapshot of a ledger, a wait on a condition, a subclass that does nothing. */
final class Parts {
  private Parts() {}

  /** A snapshot of {@code ledger}, the queues not given read as empty ones. */
  static HandlerStats snapshot(Ledger ledger, Diagnostics diagnostics, Lane<?> input, Lane<?> results,
      Lane<?> callbacks) {
    Lane<Object> none = new Lane<>(Lane.Kind.INPUT, 0, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    var builder = HandlerStats.builder();
    ledger.snapshot(builder, input == null ? none : input, results == null ? none : results,
        callbacks == null ? none : callbacks, new Settlement((result, extra) -> { }));
    return builder.build();
  }

  /** Waits until the condition holds; fails after 20 s. */
  static void until(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in time");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  /** A subclass with no hooks, every item valid, nothing processed; tests override what they watch. */
  static class NoSubclass implements Subclass {
    @Override
    public Object fire(Hook hook, Object a, Object b, Object c) {
      return null;
    }

    @Override
    public InvalidItemException check(Object item, Map<String, ?> extra) {
      return null;
    }

    @Override
    public Object run(Object item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, Tally tally,
        boolean direct) {
      return null;
    }

    @Override
    public void startUp() {}
  }
}
