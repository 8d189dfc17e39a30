package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.Admission;
import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerClosedException;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.QueueFullException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class IntakeTest {
  private final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
  private final Diagnostics diagnostics = new Diagnostics(log, "in", false);
  private final Ledger ledger = new Ledger(diagnostics);
  private final Lane<Object> input = new Lane<>(Lane.Kind.INPUT, 1, OverflowPolicy.FAIL, 0, ledger, diagnostics);
  private final HandlerLifecycle lifecycle = new HandlerLifecycle(true);
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final Intake intake = new Intake(input, ledger, lifecycle, diagnostics, new Recording(),
      () -> {
        events.add("start");
        lifecycle.autoStart(false);
      });

  /** Records the hooks and runs; items that are not strings are invalid. */
  private final class Recording extends Parts.NoSubclass {
    @Override
    public Object fire(Hook hook, Object a, Object b, Object c) {
      events.add(hook.method() + ":" + a + (c == null ? "" : ":" + c));
      return null;
    }

    @Override
    public InvalidItemException check(Object item, Map<String, ?> extra) {
      return item instanceof String ? null : new InvalidItemException("not a string: " + item);
    }

    @Override
    public Object run(Object item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, Tally tally,
        boolean direct) {
      events.add("run:" + item + extra + ":" + direct);
      tally.processed();
      return item + "!";
    }
  }

  private HandlerStats stats() {
    return Parts.snapshot(ledger, diagnostics, input, null, null);
  }

  @Test
  void aFeedChecksStartsTheWorkersOnceQueuesAndRunsTheHooksAroundIt() {
    assertThat(intake.feed("a", Map.of())).isTrue();
    assertThat(intake.feed(5, Map.of())).isFalse();
    assertThatThrownBy(() -> intake.feed("b", Map.of())).isInstanceOf(QueueFullException.class);
    assertThat(events).containsExactly("hookBeforeFeed:a", "start", "hookAfterFeed:a:true",
        "hookBeforeFeed:5", "hookAfterFeed:5:false",
        "hookBeforeFeed:b", "hookAfterFeed:b:false");
    HandlerStats stats = stats();
    assertThat(stats.fedCount()).isEqualTo(3);
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
    assertThat(stats.lastFeedAt()).isPresent();
    assertThat(stats.isBalanced()).isTrue();
  }

  @Test
  void anOfferThatIsNotAcceptedCountsNothing() {
    assertThat(intake.offer(5, Map.of(), 0, null).outcome()).isEqualTo(Admission.Outcome.INVALID);
    assertThat(intake.offer("a", Map.of(), 0, null)).isEqualTo(Admission.ACCEPTED);
    assertThat(intake.offer("b", Map.of(), 0, null)).isEqualTo(Admission.FULL);
    input.queue().close();
    assertThat(intake.offer("c", Map.of(), 0, null)).isEqualTo(Admission.CLOSED);
    HandlerStats stats = stats();
    assertThat(stats.fedCount()).isEqualTo(1);
    assertThat(stats.droppedCount()).isZero();
    assertThat(stats.isBalanced()).isTrue();
  }

  @Test
  void aQueuedItemReachesTheWorkerWithItsExtrasAndGenerateRunsOnTheCallersThread() {
    intake.offer("a", Map.of("k", 1), 0, error -> { });
    intake.process(Waits.poll(input.queue(), 0, ledger.inFlight), ledger);
    assertThat(intake.generate("g", Map.of())).isEqualTo("g!");
    assertThat(events).contains("run:a{k=1}:false", "run:g{}:true");
    assertThatThrownBy(() -> intake.generate(3, Map.of())).isInstanceOf(InvalidItemException.class);
    lifecycle.beginClose();
    assertThatThrownBy(() -> intake.generate("late", Map.of())).isInstanceOf(HandlerClosedException.class);
    HandlerStats stats = stats();
    assertThat(stats.generateCount()).isEqualTo(3);
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(stats.dropped(DropReason.CLOSED)).isEqualTo(1);
    assertThat(stats.processedCount()).isEqualTo(2);
    assertThat(stats.isBalanced()).isTrue();
  }
}
