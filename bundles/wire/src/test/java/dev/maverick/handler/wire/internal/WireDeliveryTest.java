package dev.maverick.handler.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.ds.testing.Eventually;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireDropReason;
import dev.maverick.handler.wire.WireLedger;
import dev.maverick.handler.wire.WireState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Order, fan-out, the three policies, filter, select and extras, with real handlers on both ends. */
class WireDeliveryTest extends WireFixture {
  private static final Function<Object, Object> UPPER = item -> ((String) item).toUpperCase(Locale.ROOT);
  private static final Function<Object, Object> SAME = item -> item;
  /** A target's work: it keeps what it gets ({@link TestHandler#items()}) and publishes no result. */
  private static final Function<Object, Object> SINK = item -> null;

  private static List<Object> upper(List<Object> items) {
    return items.stream().map(UPPER).toList();
  }

  @Test
  void resultsReachTheTargetInTheOrderTheSourceMadeThemAndEachIsSettledOnce() {
    TestHandler source = register(TestHandler.blocking("upper", 16, UPPER));
    TestHandler target = register(TestHandler.blocking("lower", 16, SINK));
    WireEngine wire = start(wire("chain", "upper", "lower", "buffer_size", 8));
    List<Object> fed = feed(source, "item", 2000);

    Eventually.until("every result delivered", () -> target.items().size() == 2000);
    assertThat(target.items()).isEqualTo(upper(fed));
    WireLedger ledger = settled(wire, 2000);
    assertThat(ledger.taken()).isEqualTo(2000);
    assertThat(ledger.delivered()).isEqualTo(2000);
    assertThat(ledger.droppedCount()).isZero();
    Eventually.until("every result settled", () -> source.settled() == 2000);
    assertThat(wire.state()).isEqualTo(WireState.RUNNING);
    assertThat(source.resultReader()).contains("wire 'chain'");
    HandlerStats sourceStats = Eventually.balanced(source);
    assertThat(sourceStats.resultsTaken()).isEqualTo(ledger.taken());
    assertThat(sourceStats.resultsUnsettled()).isZero();
    assertThat(Eventually.balanced(target).fedCount()).isEqualTo(ledger.delivered());
  }

  @Test
  void eachTargetGetsEveryResultAndASlowOneHoldsUpAFastOneOnlyBeyondItsBuffer() {
    TestHandler source = register(TestHandler.blocking("source", 256, SAME));
    TestHandler fast = register(TestHandler.blocking("fast", 256, SINK));
    TestHandler slow = register(TestHandler.blocking("slow", 4, SINK));
    slow.hold();
    WireEngine wire = start(wire("fan", "source", "fast, slow", "buffer_size", 8));
    List<Object> fed = feed(source, "r", 100);

    // the slow target's queue (4), the one its worker holds and its buffer (8) fill; the fast one got all that and more
    Eventually.until("the wire blocked by the slow target", () -> wire.ledger().blockedFor().toNanos() > 0
        && wire.ledger().targets().get("slow").buffered() == 8 && fast.items().size() >= 13);
    WireLedger blocked = wire.ledger();
    assertThat(blocked.targets().get("slow").buffered()).isEqualTo(8);
    assertThat(blocked.droppedCount()).isZero();
    assertThat(slow.items()).isEmpty();

    slow.release();
    Eventually.until("every result at both targets", () -> fast.items().size() == 100 && slow.items().size() == 100);
    assertThat(fast.items()).isEqualTo(fed);
    assertThat(slow.items()).isEqualTo(fed);
    WireLedger ledger = settled(wire, 100);
    assertThat(ledger.targets().get("fast").delivered()).isEqualTo(100);
    assertThat(ledger.targets().get("slow").delivered()).isEqualTo(100);
    assertThat(ledger.droppedCount()).isZero();
    Eventually.until("each result settled once, after both copies", () -> source.settled() == 100);
  }

  @Test
  void underBlockAFullTargetSlowsTheSourceWithoutADrop() throws Exception {
    TestHandler source = register(TestHandler.blocking("source", 4, SAME));
    TestHandler target = register(TestHandler.blocking("target", 2, SINK));
    target.hold();
    WireEngine wire = start(wire("pressure", "source", "target", "buffer_size", 2));
    List<Object> fed = new ArrayList<>();
    Thread feeder = new Thread(() -> fed.addAll(feed(source, "p", 200)), "test-feeder");
    feeder.start();

    // backpressure all the way: the target's queue, the wire's buffer, the source's result and input queues are full
    Eventually.until("the feeder held back by the source's full input queue", () -> {
      HandlerStats stats = source.stats();
      return stats.inputQueueSize() == 4 && stats.resultQueueSize() == 4 && wire.ledger().blockedFor().toNanos() > 0;
    });
    assertThat(feeder.isAlive()).as("the feeder is held back").isTrue();
    assertThat(source.stats().droppedCount()).isZero();
    assertThat(wire.ledger().droppedCount()).isZero();

    target.release();
    feeder.join(30_000);
    Eventually.until("all 200 delivered", () -> target.items().size() == 200);
    assertThat(target.items()).isEqualTo(fed);
    assertThat(settled(wire, 200).droppedCount()).isZero();
    assertThat(Eventually.balanced(source).droppedCount()).isZero();
    assertThat(Eventually.balanced(target).droppedCount()).isZero();
  }

  @Test
  void aSlowButMovingOnlyTargetFillsItsOwnBufferSoAHandOverHasItToHand() throws Exception {
    TestHandler source = register(TestHandler.blocking("source", 64, SAME));
    TestHandler target = register(TestHandler.blocking("target", 2, item -> {
      try {
        Thread.sleep(2); // takes an item every 2 ms: never still long enough to look stuck
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    WireEngine wire = start(wire("slow", "source", "target", "buffer_size", 16));
    Thread feeder = new Thread(() -> feed(source, "s", 400), "test-feeder");
    feeder.start();
    // the reader offers inline only while the target has room; once it has none the buffer takes the rest
    Eventually.until("the wire's buffer full while the target works",
        () -> wire.ledger().targets().get("target").buffered() >= 12 && target.items().size() < 300);
    feeder.join(30_000);
    Eventually.until("all 400 delivered", () -> target.items().size() == 400);
    assertThat(settled(wire, 400).droppedCount()).isZero();
  }

  @Test
  void dropNewestKeepsTheOldestAndCountsWhatDidNotFit() {
    TestHandler source = register(TestHandler.blocking("source", 64, SAME));
    TestHandler target = register(TestHandler.blocking("target", 1, SINK));
    target.hold();
    WireEngine wire = start(wire("lossy", "source", "target", "buffer_size", 2, "policy", "drop_newest"));
    feed(source, "d", 30);
    Eventually.until("all 30 taken and some dropped", () -> wire.ledger().taken() == 30
        && wire.ledger().targets().get("target").dropped().getOrDefault(WireDropReason.BUFFER_FULL, 0L) > 0
        && wire.ledger().targets().get("target").dropped().get(WireDropReason.BUFFER_FULL)
            + wire.ledger().buffered() + wire.ledger().inHand() + wire.ledger().delivered() == 30);
    target.release();
    WireLedger ledger = settled(wire, 30);
    long dropped = ledger.targets().get("target").dropped().get(WireDropReason.BUFFER_FULL);
    assertThat(ledger.delivered() + dropped).isEqualTo(30);
    Eventually.until("what was delivered processed", () -> target.items().size() == ledger.delivered());
    assertThat(target.items()).startsWith("d-0", "d-1").isSorted();
    Eventually.until("dropped results settled too", () -> source.settled() == 30);
  }

  @Test
  void dropOldestKeepsTheNewestAndCountsWhatItEvicted() {
    TestHandler source = register(TestHandler.blocking("source", 64, SAME));
    TestHandler target = register(TestHandler.blocking("target", 1, SINK));
    target.hold();
    WireEngine wire = start(wire("fresh", "source", "target", "buffer_size", 2, "policy", "drop_oldest"));
    feed(source, "e", 30);
    Eventually.until("all 30 taken", () -> wire.ledger().taken() == 30);
    target.release();
    WireLedger ledger = settled(wire, 30);
    long evicted = ledger.targets().get("target").dropped().get(WireDropReason.EVICTED);
    assertThat(evicted).isPositive();
    assertThat(ledger.delivered() + evicted).isEqualTo(30);
    Eventually.until("what was delivered processed", () -> target.items().size() == ledger.delivered());
    assertThat(target.items()).endsWith("e-28", "e-29");
    Eventually.until("evicted results settled too", () -> source.settled() == 30);
  }

  @Test
  void theFilterPassesMatchingMapsAndSelectDeliversOneValue() {
    TestHandler source = register(TestHandler.blocking("stt", 64, item -> item));
    TestHandler target = register(TestHandler.blocking("echo", 64, SINK));
    WireEngine wire = start(wire("voice", "stt", "echo", "filter", "(partial=false)", "select", "data"));
    List<Object> results = List.of(
        Map.of("partial", true, "data", "turn"),
        Map.of("partial", false, "data", "turn on the light"),
        Map.of("partial", false, "text", "no data key"),
        "not a map",
        Map.of("partial", false, "data", "hello world"));
    for (Object result : results) {
      source.feed(result);
    }
    WireLedger ledger = settled(wire, 5);
    assertThat(ledger.taken()).isEqualTo(5);
    assertThat(ledger.filtered()).isEqualTo(2);
    assertThat(ledger.dropped()).containsEntry(WireDropReason.SELECT_MISSING, 1L);
    assertThat(ledger.delivered()).isEqualTo(2);
    Eventually.until("both delivered", () -> target.items().size() == 2);
    assertThat(target.items()).containsExactly("turn on the light", "hello world");
    Eventually.until("all five settled, filtered ones too", () -> source.settled() == 5);
  }

  @Test
  void deliveredItemsCarryTheResultsExtrasTheWiresExtrasAndTheSource() {
    TestHandler source = register(TestHandler.blocking("stt", 64, SAME));
    TestHandler target = register(TestHandler.blocking("echo", 64, SINK));
    start(wire("voice", "stt", "echo", "extra", "room=kitchen, lang=en"));
    source.feed("hello", Map.of("id", 7, "lang", "de"));
    Eventually.until("delivered", () -> target.items().size() == 1);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("id", 7);
    expected.put("lang", "en");
    expected.put("room", "kitchen");
    expected.put(Wire.FROM_EXTRA, "stt");
    assertThat(target.extras().get(0)).isEqualTo(expected);
  }

  @Test
  void extrasTheWireOverridesAreReplacedAndAnyOtherKeyIsKeptWhicheverCameFirst() {
    TestHandler source = register(TestHandler.blocking("stt", 64, SAME));
    TestHandler target = register(TestHandler.blocking("echo", 64, SINK));
    start(wire("voice", "stt", "echo", "extra", "room=kitchen"));
    Map<String, Object> overridden = Map.of(Wire.FROM_EXTRA, "mic", "room", "hall");
    source.feed("a", overridden);
    source.feed("b", overridden);
    source.feed("c", Map.of(Wire.FROM_EXTRA, "mic", "id", 3));
    source.feed("d", overridden);
    Eventually.until("all four delivered", () -> target.items().size() == 4);
    Map<String, Object> plain = Map.of(Wire.FROM_EXTRA, "stt", "room", "kitchen");
    assertThat(target.extras()).containsExactly(plain, plain, Map.of(Wire.FROM_EXTRA, "stt", "room", "kitchen", "id", 3),
        plain);
  }

  @Test
  void aDisabledWireReadsNothing() {
    TestHandler source = register(TestHandler.blocking("stt", 64, SAME));
    register(TestHandler.blocking("echo", 64, SINK));
    WireEngine wire = start(wire("voice", "stt", "echo", "enabled", false));
    source.feed("hello");
    Eventually.until("the result queued in the source", () -> source.stats().resultQueueSize() == 1);
    assertThat(wire.state()).isEqualTo(WireState.DISABLED);
    assertThat(source.resultReader()).isEmpty();
    assertThat(source.getResult(java.time.Duration.ZERO)).contains("hello");
  }
}
