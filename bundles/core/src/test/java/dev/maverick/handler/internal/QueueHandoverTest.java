package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.OverflowPolicy;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueueHandoverTest {

  /** One handler's queues and books. */
  private static final class Queues {
    final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
    final Diagnostics diagnostics;
    final Ledger ledger;
    final Lane<Object> input;
    final Lane<Object> results;

    Queues(String name) {
      diagnostics = new Diagnostics(log, name, false);
      ledger = new Ledger(diagnostics);
      input = new Lane<>(Lane.Kind.INPUT, 2, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
      results = new Lane<>(Lane.Kind.RESULT, 0, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    }

    HandlerStats stats() {
      var builder = HandlerStats.builder();
      ledger.snapshot(builder, input, results, results, new Settlement((r, e) -> { }));
      return builder.build();
    }
  }

  @Test
  void parkedQueuesGoToTheHeadOfTheSuccessorsInOrderWithTheirExtrasAndMisfitsAreCounted() {
    String key = "pid-" + UUID.randomUUID();
    Queues old = new Queues("old");
    old.input.offer("a", true);
    List<String> settled = new java.util.concurrent.CopyOnWriteArrayList<>();
    old.input.offer(Envelope.wrap(7, Map.of("n", 1), null, () -> settled.add("item 7")), true);
    old.results.offer(Envelope.wrap("r", Map.of("offset", 3L), null, () -> settled.add("result r")), false);
    QueueHandover.park(key, old.diagnostics, old.ledger, old.input, old.results, TimeUnit.MINUTES.toNanos(1));
    assertThat(old.stats().handedOffCount()).isEqualTo(2);
    assertThat(old.stats().resultsHandedOff()).isEqualTo(1);
    assertThat(old.stats().isBalanced()).isTrue();

    Queues successor = new Queues("new");
    successor.input.offer("queued here before", true);
    QueueHandover.Adopted adopted = QueueHandover.adopt(key, successor.diagnostics, successor.ledger,
        successor.input, successor.results, Parts.upstreams(),
        (item, extra) -> item instanceof Integer ? "not a string" : null);
    assertThat(settled).as("the item refused as invalid ended its journey; the result travels on").containsExactly("item 7");
    assertThat(adopted.items()).isEqualTo(2);
    assertThat(adopted.queuedAny()).isTrue();
    assertThat(successor.input.queue().drain(null)).containsExactly("a", "queued here before");
    Object result = successor.results.queue().poll();
    assertThat(Envelope.valueOf(result)).isEqualTo("r");
    assertThat(Envelope.extraOf(result)).isEqualTo(Map.of("offset", 3L));
    Envelope.upstreamOf(result).run();
    assertThat(settled).as("the result carried its upstream over").containsExactly("item 7", "result r");
    HandlerStats stats = successor.stats();
    assertThat(stats.handedInCount()).isEqualTo(2);
    assertThat(stats.resultsHandedIn()).isEqualTo(1);
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(stats.lastDrop()).contains("invalid: taken over from handler 'old': not a string");
    assertThat(successor.log.lines).contains("INFO [new] took over 2 item(s) and 1 result(s) from handler 'old'");
    assertThat(QueueHandover.adopt(key, successor.diagnostics, successor.ledger, successor.input, successor.results,
        Parts.upstreams(), (item, extra) -> null).items()).as("taken once").isZero();
  }

  @Test
  void whatNobodyTakesInTimeMovesFromHandedOffToDropped() {
    String key = "pid-" + UUID.randomUUID();
    Queues old = new Queues("old");
    old.input.offer("a", true);
    old.results.offer("r", false);
    QueueHandover.park(key, old.diagnostics, old.ledger, old.input, old.results, TimeUnit.MILLISECONDS.toNanos(10));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    // the expiry counts the drops, then takes them out of "handed off": wait for its last effect
    while ((old.stats().dropped(DropReason.RESULT_SHUTDOWN) == 0 || old.stats().resultsHandedOff() != 0)
        && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    HandlerStats stats = old.stats();
    assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(1);
    assertThat(stats.dropped(DropReason.RESULT_SHUTDOWN)).isEqualTo(1);
    assertThat(stats.handedOffCount()).isZero();
    assertThat(stats.resultsHandedOff()).isZero();
    assertThat(stats.isBalanced()).isTrue();
  }

  @Test
  void emptyQueuesParkNothing() {
    String key = "pid-" + UUID.randomUUID();
    Queues old = new Queues("old");
    QueueHandover.park(key, old.diagnostics, old.ledger, old.input, old.results, TimeUnit.MINUTES.toNanos(1));
    assertThat(HandoverStore.instance().claim(key)).isNull();
  }
}
