package dev.maverick.handler.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);

  DeadlineTest() {
    timers.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void stop() {
    timers.shutdownNow();
    Thread.interrupted();
  }

  @Test
  void aCallThatEndsInTimeCancelsItsTimerAndIsNotInterrupted() {
    Deadline deadline = Deadline.start(timers, Duration.ofSeconds(30));
    assertThat(deadline.finish()).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(timers.getQueue()).as("no timer left to fire later").isEmpty();
  }

  @Test
  void aCallPastItsTimeIsInterruptedAndTheInterruptIsClearedByFinish() {
    Deadline deadline = Deadline.start(timers, Duration.ofMillis(50));
    assertThatThrownBy(() -> new CountDownLatch(1).await(30, TimeUnit.SECONDS))
        .isInstanceOf(InterruptedException.class);
    assertThat(deadline.finish()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void anInterruptFromSomeoneElseIsNotTakenForTheDeadlineAndIsKept() {
    Deadline deadline = Deadline.start(timers, Duration.ofSeconds(30));
    Thread.currentThread().interrupt();
    assertThat(deadline.finish()).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).as("the caller's own interrupt stays").isTrue();
  }
}
