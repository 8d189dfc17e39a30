package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * offer(): the caller keeps an item the handler will not take, so the handler counts nothing for
 * it; an accepted item is the handler's and counted as any fed item, and its failure is reported
 * back to the caller.
 */
class OfferTest {

  private static HandlerConfig idleQueueOf(int capacity, OverflowPolicy policy) {
    return HandlerConfig.builder().runAsThread(false).maxQueueSize(capacity).overflowPolicy(policy)
        .offerTimeout(Duration.ofMillis(1)).expectedType(Integer.class).build();
  }

  @ParameterizedTest
  @EnumSource(OverflowPolicy.class)
  void aFullQueueRefusesWithoutADropWhateverThePolicyAndNeverEvicts(OverflowPolicy policy) {
    try (ArchitectureHandler<Object, Object> handler = TestHandlers.of(idleQueueOf(2, policy), i -> i)) {
      assertThat(handler.offer(1, Map.of(), Duration.ZERO, null)).isEqualTo(Admission.ACCEPTED);
      assertThat(handler.offer(2, Map.of(), Duration.ZERO, null)).isEqualTo(Admission.ACCEPTED);
      Admission full = handler.offer(3, Map.of(), Duration.ofMillis(20), null);
      assertThat(full).isEqualTo(Admission.FULL);
      assertThat(full.isAccepted()).isFalse();
      assertThat(full.message()).isEmpty();
      HandlerStats stats = handler.stats();
      assertThat(stats.fedCount()).as("the refused item is not counted").isEqualTo(2);
      assertThat(stats.acceptedCount()).isEqualTo(2);
      assertThat(stats.droppedCount()).isZero();
      assertThat(stats.inputQueueSize()).isEqualTo(2);
      handler.start();
      assertThat(TestHandlers.drainResults(handler, 2)).containsExactly(1, 2);
      assertBalanced(handler);
    }
  }

  @Test
  void anInvalidItemIsRefusedWithTheReasonAndNotCounted() {
    try (ArchitectureHandler<Object, Object> handler = TestHandlers.of(idleQueueOf(2, OverflowPolicy.DROP_NEWEST), i -> i)) {
      Admission invalid = handler.offer("text", Map.of(), Duration.ZERO, null);
      assertThat(invalid.outcome()).isEqualTo(Admission.Outcome.INVALID);
      assertThat(invalid.message()).hasValueSatisfying(message -> assertThat(message)
          .contains("expected java.lang.Integer (expected_type); got java.lang.String"));
      assertThat(handler.stats().fedCount()).isZero();
      assertThat(handler.stats().droppedCount()).isZero();
      assertBalanced(handler);
    }
  }

  @Test
  void aClosedHandlerRefusesAsClosedAndCountsNothing() {
    ArchitectureHandler<Object, Object> handler = TestHandlers.of(idleQueueOf(2, OverflowPolicy.DROP_NEWEST), i -> i);
    handler.close();
    assertThat(handler.offer(1, Map.of(), WAIT, null)).isEqualTo(Admission.CLOSED);
    assertThat(handler.stats().fedCount()).isZero();
    assertThat(handler.stats().dropped(DropReason.CLOSED)).isZero();
    assertBalanced(handler);
  }

  @Test
  void anOfferWaitsForRoomAndIsAcceptedWhenTheWorkerMakesSome() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    HandlerConfig config = HandlerConfig.builder().maxQueueSize(1).resultQueueSize(8)
        .overflowPolicy(OverflowPolicy.DROP_NEWEST).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.gated(config, gate)) {
      handler.feed(1);
      TestHandlers.until("item 1 in flight", () -> handler.stats().inFlight() == 1);
      handler.feed(2); // fills the queue
      CompletableFuture<Admission> waiting = CompletableFuture.supplyAsync(() -> handler.offer(3, Map.of(), WAIT, null));
      TestHandlers.until("the offer waits", () -> !waiting.isDone());
      gate.countDown();
      assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(Admission.ACCEPTED);
      assertThat(TestHandlers.drainResults(handler, 3)).containsExactly(1, 2, 3);
      assertThat(handler.stats().fedCount()).isEqualTo(3);
      assertBalanced(handler);
    }
  }

  /** Records the order of hookOnError and the caller's failure callback. */
  static final class Failing extends ArchitectureHandler<String, String> {
    final List<String> events = new CopyOnWriteArrayList<>();

    Failing() {
      super(HandlerConfig.builder().name("failing").build());
    }

    @Override
    protected String generateResults(String item, Map<String, ?> extra) {
      if (item.startsWith("bad")) {
        throw new IllegalStateException(item + " failed");
      }
      return item;
    }

    @Override
    protected void hookOnError(String item, Map<String, ?> extra, Throwable error) {
      events.add("hookOnError:" + item);
    }
  }

  @Test
  void anAcceptedItemThatFailsIsReportedOnceToTheCallerAfterHookOnError() {
    try (Failing handler = new Failing()) {
      assertThat(handler.offer("good", Map.of(), WAIT, error -> handler.events.add("never"))).isEqualTo(Admission.ACCEPTED);
      assertThat(handler.offer("bad1", Map.of("n", 1), WAIT, error -> handler.events.add("onFailure:" + error.getMessage())))
          .isEqualTo(Admission.ACCEPTED);
      assertThat(handler.feed("bad2")).isTrue(); // a plain feed has nobody to tell
      assertThat(handler.getResult(WAIT)).contains("good");
      TestHandlers.until("both failures counted", () -> handler.stats().itemErrorCount() == 2);
      assertThat(handler.events).containsExactly("hookOnError:bad1", "onFailure:bad1 failed", "hookOnError:bad2");
      HandlerStats stats = handler.stats();
      assertThat(stats.fedCount()).isEqualTo(3);
      assertThat(stats.acceptedCount()).isEqualTo(3);
      assertBalanced(handler);
    }
  }

  @Test
  void aNegativeTimeoutIsRefused() {
    try (ArchitectureHandler<Object, Object> handler = TestHandlers.of(HandlerConfig.defaults(), i -> i)) {
      assertThatThrownBy(() -> handler.offer(1, Map.of(), Duration.ofMillis(-1), null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
      assertThat(handler.stats().fedCount()).isZero();
    }
  }
}
