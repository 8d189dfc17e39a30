package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static dev.maverick.handler.TestHandlers.drainResults;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Zero-loss hand-over from a closing handler to its successor (bundle update, DS reactivation). */
class HandoverTest {

  @Test
  void queuedItemsAndUntakenResultsMoveToTheSuccessorInOrder() throws InterruptedException {
    String key = "pid-" + UUID.randomUUID();
    CountDownLatch gate = new CountDownLatch(1);
    ArchitectureHandler<Integer, Integer> old = TestHandlers.gated(HandlerConfig.builder().name("old").build(), gate);
    old.feed(0);
    TestHandlers.until("item 0 in flight", () -> old.stats().inFlight() == 1);
    for (int i = 1; i <= 20; i++) {
      old.feed(i);
    }
    Thread closer = new Thread(() -> old.closeAndHandOver(key), "closer");
    closer.start();
    // CLOSING shows a moment before intake closes and the workers are told to stop; once the
    // closer waits for the worker, both have happened, however busy the machine
    TestHandlers.until("the closer waits for the worker", () -> isAwaitingThreads(closer));
    assertThat(old.feed(99)).isFalse();
    gate.countDown(); // the item in hand finishes on the old instance
    closer.join(WAIT.toMillis());
    assertThat(closer.isAlive()).as("close returned").isFalse();

    HandlerStats before = old.stats();
    assertThat(before.processedCount()).isEqualTo(1);
    assertThat(before.handedOffCount()).isEqualTo(20);
    assertThat(before.resultsHandedOff()).isEqualTo(1);
    assertThat(before.dropped(DropReason.SHUTDOWN)).isZero();
    assertBalanced(old);

    try (ArchitectureHandler<Integer, Integer> successor = TestHandlers.of(HandlerConfig.builder().name("new").build(), i -> i)) {
      assertThat(successor.adoptHandover(key)).isEqualTo(20);
      List<Integer> results = drainResults(successor, 21);
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i <= 20; i++) {
        expected.add(i);
      }
      assertThat(results).isEqualTo(expected);
      HandlerStats after = successor.stats();
      assertThat(after.handedInCount()).isEqualTo(20);
      assertThat(after.resultsHandedIn()).isEqualTo(1);
      assertBalanced(successor);
      assertThat(successor.adoptHandover(key)).as("a parcel is taken once").isZero();
    }
    assertThat(old.stats().dropped(DropReason.SHUTDOWN)).isZero();
  }

  @Test
  void whatNobodyTakesWithinShutdownTimeoutIsCountedAsShutdownDrops() {
    String key = "pid-" + UUID.randomUUID();
    TestHandlers.FunctionHandler<Integer, Integer> old = TestHandlers.of(
        HandlerConfig.builder().runAsThread(false).shutdownTimeout(Duration.ofMillis(50)).build(), i -> i);
    old.feed(1);
    old.feed(2);
    old.publishForTest(7);
    old.closeAndHandOver(key);
    TestHandlers.until("parcel expired", () -> old.stats().dropped(DropReason.SHUTDOWN) == 2
        && old.stats().dropped(DropReason.RESULT_SHUTDOWN) == 1 && old.stats().handedOffCount() == 0
        && old.stats().resultsHandedOff() == 0);
    HandlerStats stats = old.stats();
    assertThat(stats.handedOffCount()).isZero();
    assertThat(stats.resultsHandedOff()).isZero();
    assertThat(stats.dropped(DropReason.RESULT_SHUTDOWN)).isEqualTo(1);
    assertBalanced(old);
  }

  @Test
  void takenOverItemsAreValidatedAgainAndTheMisfitsCounted() {
    String key = "pid-" + UUID.randomUUID();
    ArchitectureHandler<Object, Object> old = TestHandlers.of(HandlerConfig.builder().runAsThread(false).build(), i -> i);
    old.feed("text");
    old.feed(5);
    old.closeAndHandOver(key);
    try (ArchitectureHandler<Object, Object> strict = TestHandlers.of(
        HandlerConfig.builder().expectedType(Integer.class).build(), i -> i)) {
      assertThat(strict.adoptHandover(key)).isEqualTo(2);
      assertThat(strict.getResult(WAIT)).contains(5);
      assertThat(strict.stats().dropped(DropReason.INVALID)).isEqualTo(1);
      assertThat(strict.stats().lastDrop()).hasValueSatisfying(text -> assertThat(text).contains("taken over from"));
      assertBalanced(strict);
    }
  }

  @Test
  void aPlainCloseDrainsAndHandsNothingOver() {
    String key = "pid-" + UUID.randomUUID();
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(HandlerConfig.defaults(), i -> i);
    handler.feed(1);
    handler.close();
    handler.closeAndHandOver(key); // already closed: nothing happens
    try (ArchitectureHandler<Integer, Integer> successor = TestHandlers.of(HandlerConfig.defaults(), i -> i)) {
      assertThat(successor.adoptHandover(key)).isZero();
    }
    assertThat(handler.getResult(Duration.ZERO)).contains(1);
  }

  @Test
  void aNewerParcelUnderTheSameKeyExpiresTheOlderAtOnce() {
    String key = "pid-" + UUID.randomUUID();
    ArchitectureHandler<Integer, Integer> first = TestHandlers.of(
        HandlerConfig.builder().runAsThread(false).shutdownTimeout(Duration.ofMinutes(5)).build(), i -> i);
    first.feed(1);
    first.closeAndHandOver(key);
    ArchitectureHandler<Integer, Integer> second = TestHandlers.of(
        HandlerConfig.builder().runAsThread(false).shutdownTimeout(Duration.ofMinutes(5)).build(), i -> i);
    second.feed(2);
    second.closeAndHandOver(key);
    assertThat(first.stats().dropped(DropReason.SHUTDOWN)).isEqualTo(1);
    try (ArchitectureHandler<Integer, Integer> successor = TestHandlers.of(HandlerConfig.defaults(), i -> i)) {
      assertThat(successor.adoptHandover(key)).isEqualTo(1);
      assertThat(successor.getResult(WAIT)).contains(2);
    }
    assertBalanced(first);
    assertBalanced(second);
  }

  private static boolean isAwaitingThreads(Thread closer) {
    return closer.getState() == Thread.State.TIMED_WAITING && Arrays.stream(closer.getStackTrace())
        .anyMatch(frame -> frame.getMethodName().equals("awaitThreads"));
  }
}
