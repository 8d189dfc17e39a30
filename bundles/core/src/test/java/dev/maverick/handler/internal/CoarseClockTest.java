package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The coarse clock follows the wall clock, is never ahead of it, runs its thread only while a
 * handler is registered and someone reads, and ends it with the last unregistration. Other tests
 * in this JVM may leave handlers open (registered), so the assertions about "no handler at all"
 * run only when none is.
 */
class CoarseClockTest {

  @Test
  void followsTheWallClockWhileRegisteredAndStopsItsThreadAfterTheLastUnregister() {
    long before = System.currentTimeMillis();
    CoarseClock.register();
    Thread thread;
    try {
      long first = CoarseClock.millis();
      assertThat(first).isBetween(before, System.currentTimeMillis());
      thread = CoarseClock.ticker();
      assertThat(thread).isNotNull();
      assertThat(thread.getName()).isEqualTo("maverick-clock");
      assertThat(thread.isDaemon()).isTrue();
      long later = awaitAdvanceFrom(first);
      assertThat(later).isGreaterThan(first).isLessThanOrEqualTo(System.currentTimeMillis());
    } finally {
      CoarseClock.unregister();
    }
    if (CoarseClock.registered() == 0) {
      assertThat(CoarseClock.ticker()).isNull();
      assertThat(thread.isAlive()).as("unregister() waits for the thread to end").isFalse();
    }
  }

  @Test
  void isNeverAheadOfTheRealClock() {
    CoarseClock.register();
    try {
      long previous = 0;
      for (int i = 0; i < 200_000; i++) {
        long coarse = CoarseClock.millis();
        assertThat(coarse).isLessThanOrEqualTo(System.currentTimeMillis());
        previous = Math.max(previous, coarse);
      }
      assertThat(previous).isPositive();
    } finally {
      CoarseClock.unregister();
    }
  }

  @Test
  void parksWhenNobodyReadsAndTheNextReaderWakesIt() {
    CoarseClock.register();
    try {
      CoarseClock.millis();
      Thread thread = CoarseClock.ticker();
      // after 100 ticks without a read it parks without a deadline (WAITING, not TIMED_WAITING)
      awaitCondition("the clock thread parks", () -> thread.getState() == Thread.State.WAITING);
      long before = System.currentTimeMillis();
      long woken = CoarseClock.millis(); // wakes it, and reads the real clock this once
      assertThat(woken).isBetween(before, System.currentTimeMillis());
      assertThat(CoarseClock.ticker()).isSameAs(thread);
      assertThat(awaitAdvanceFrom(woken)).isGreaterThan(woken);
    } finally {
      CoarseClock.unregister();
    }
  }

  @Test
  void withNoHandlerRegisteredItReadsTheRealClockAndStartsNoThread() {
    if (CoarseClock.registered() != 0) {
      return; // another test left a handler open; the other tests cover the registered case
    }
    long before = System.currentTimeMillis();
    assertThat(CoarseClock.millis()).isBetween(before, System.currentTimeMillis());
    assertThat(CoarseClock.ticker()).isNull();
  }

  @Test
  void anUnbalancedUnregisterIsIgnored() {
    int registered = CoarseClock.registered();
    if (registered != 0) {
      return;
    }
    CoarseClock.unregister();
    assertThat(CoarseClock.registered()).isZero();
    CoarseClock.register();
    assertThat(CoarseClock.registered()).isEqualTo(1);
    CoarseClock.unregister();
    assertThat(CoarseClock.registered()).isZero();
  }

  private static long awaitAdvanceFrom(long value) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long now;
    while ((now = CoarseClock.millis()) == value && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // the thread advances it within about a millisecond
    }
    return now;
  }

  private static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }
}
