package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.QueueFullException;
import dev.maverick.handler.internal.BoundedQueue.Offer;
import org.junit.jupiter.api.Test;

class LaneTest {
  private final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
  private final Diagnostics diagnostics = new Diagnostics(log, "lanes", false);
  private final Ledger ledger = new Ledger(diagnostics);

  private HandlerStats stats(Lane<Object> input, Lane<Object> results, Lane<Object> callbacks) {
    var builder = HandlerStats.builder();
    ledger.snapshot(builder, input, results, callbacks, new Settlement((r, e) -> { }));
    return builder.build();
  }

  @Test
  void everyOutcomeOfAnOfferIsCountedWithItsReason() {
    Lane<Object> input = new Lane<>(Lane.Kind.INPUT, 1, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    Lane<Object> results = new Lane<>(Lane.Kind.RESULT, 1, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    Lane<Object> callbacks = new Lane<>(Lane.Kind.CALLBACK, 1, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    assertThat(input.offer("a", true)).isTrue();
    assertThat(input.offer("b", true)).as("full").isFalse();
    input.refuse(DropReason.INVALID, "wrong type");
    input.queue().close();
    assertThat(input.offer("c", true)).as("closed").isFalse();
    assertThat(results.offer("r", false)).isTrue();
    assertThat(results.offer("s", false)).isFalse();
    assertThat(callbacks.offer("t", true)).isTrue();
    callbacks.queue().close();
    assertThat(callbacks.offer("u", true)).isFalse();
    HandlerStats stats = stats(input, results, callbacks);
    assertThat(stats.fedCount()).isEqualTo(4);
    assertThat(stats.acceptedCount()).isEqualTo(1);
    assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(stats.dropped(DropReason.CLOSED)).isEqualTo(1);
    assertThat(stats.resultsPublished()).isEqualTo(2);
    assertThat(stats.dropped(DropReason.RESULT_QUEUE_FULL)).isEqualTo(1);
    assertThat(stats.callbacksEmitted()).isEqualTo(2);
    assertThat(stats.dropped(DropReason.CALLBACK_CLOSED)).isEqualTo(1);
    assertThat(stats.unaccountedItems()).isZero();
    assertThat(stats.unaccountedResults()).isZero();
    assertThat(stats.unaccountedCallbacks()).isZero();
  }

  @Test
  void aFullQueueUnderFailThrowsAfterTheRefusalIsCountedAndNamesTheQueue() {
    Lane<Object> input = new Lane<>(Lane.Kind.INPUT, 1, OverflowPolicy.FAIL, 0, ledger, diagnostics);
    Lane<Object> results = new Lane<>(Lane.Kind.RESULT, 1, OverflowPolicy.FAIL, 0, ledger, diagnostics);
    Lane<Object> callbacks = new Lane<>(Lane.Kind.CALLBACK, 0, OverflowPolicy.FAIL, 0, ledger, diagnostics);
    input.offer("a", true);
    assertThatThrownBy(() -> input.offer("b", true)).isInstanceOf(QueueFullException.class)
        .hasMessage("handler 'lanes': input queue full (capacity 1, overflow_policy=fail); element dropped");
    assertThat(stats(input, results, callbacks).dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
    results.offer("r", false);
    assertThat(results.offer("s", false)).as("the worker's results never throw").isFalse();
    assertThat(stats(input, results, callbacks).isBalanced()).isTrue();
  }

  @Test
  void aFullQueueIsLoggedWithItsCapacityAndPolicyAsTheyAreNow() {
    Lane<Object> input = new Lane<>(Lane.Kind.INPUT, 1, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    input.offer("a", true);
    input.offer("b", true);
    assertThat(log.lines).containsExactly("WARN [lanes] input queue full (capacity 1, overflow_policy=drop_newest); item dropped");
    input.reconfigure(1, OverflowPolicy.DROP_OLDEST, 0);
    assertThat(input.offer("c", true)).isTrue();
    assertThat(log.lines).last().isEqualTo("WARN [lanes] input queue full; oldest item evicted (drop_oldest)");
  }

  @Test
  void offerWaitingCountsOnlyWhatItQueuesAndDropAllCountsEachElement() {
    Lane<Object> input = new Lane<>(Lane.Kind.INPUT, 2, OverflowPolicy.DROP_OLDEST, 0, ledger, diagnostics);
    Lane<Object> results = new Lane<>(Lane.Kind.RESULT, 0, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    Lane<Object> callbacks = new Lane<>(Lane.Kind.CALLBACK, 0, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    assertThat(input.offerWaiting("a", 0)).isEqualTo(Offer.ACCEPTED);
    assertThat(input.offerWaiting("b", 0)).isEqualTo(Offer.ACCEPTED);
    assertThat(input.offerWaiting("c", 1_000_000)).isEqualTo(Offer.REJECTED);
    assertThat(stats(input, results, callbacks).fedCount()).isEqualTo(2);
    assertThat(input.dropAll(DropReason.CLEARED)).isEqualTo(2);
    HandlerStats stats = stats(input, results, callbacks);
    assertThat(stats.dropped(DropReason.CLEARED)).isEqualTo(2);
    assertThat(stats.droppedCount()).isEqualTo(2);
    assertThat(stats.lastDrop()).contains("cleared: 2 at once");
    assertThat(stats.isBalanced()).isTrue();
  }
}
