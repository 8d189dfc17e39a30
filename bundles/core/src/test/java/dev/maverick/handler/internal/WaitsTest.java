package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.OverflowPolicy;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class WaitsTest {

  @Test
  void nullWaitsWithoutLimitZeroNotAtAllAndANegativeTimeoutIsRefused() {
    assertThat(Waits.timeoutNanos(null)).isEqualTo(Waits.FOREVER);
    assertThat(Waits.timeoutNanos(Duration.ZERO)).isZero();
    assertThat(Waits.timeoutNanos(Duration.ofMillis(3))).isEqualTo(3_000_000);
    assertThat(Waits.timeoutNanos(ChronoUnit.FOREVER.getDuration())).isEqualTo(Waits.FOREVER);
    assertThatThrownBy(() -> Waits.timeoutNanos(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be zero or positive");
  }

  @Test
  void anInterruptedPollReturnsNothingAndKeepsTheFlag() {
    BoundedQueue<String> queue = new BoundedQueue<>(1, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), () -> { });
    Thread.currentThread().interrupt();
    try {
      assertThat(Waits.poll(queue, Waits.FOREVER, null)).isNull();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    queue.offer("x", null);
    LongAdder taken = new LongAdder();
    assertThat(Waits.poll(queue, 0, taken)).isEqualTo("x");
    assertThat(taken.sum()).isEqualTo(1);
  }
}
