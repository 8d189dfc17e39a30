package dev.maverick.handler.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.ResultReader;
import dev.maverick.handler.ds.testing.Eventually;
import dev.maverick.handler.wire.WireConfig;
import dev.maverick.handler.wire.WireDropReason;
import dev.maverick.handler.wire.WireLedger;
import dev.maverick.handler.wire.WireState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Targets and sources that come and go, hand-over between instances of a wire, and closing. */
class WireLifecycleTest extends WireFixture {

  private TestHandler sink(String name, int queue) {
    return TestHandler.blocking(name, queue, item -> null);
  }

  @Test
  void aRedeployedTargetGetsWhatTheWireKeptForIt() {
    TestHandler source = register(TestHandler.blocking("source", 64, item -> item));
    TestHandler first = register(sink("target", 64));
    WireEngine wire = start(wire("w", "source", "target", "shutdown_timeout", 30));
    List<Object> fed = new ArrayList<>(feed(source, "a", 10));
    Eventually.until("the first ten delivered", () -> first.items().size() == 10);

    registry.unregister(first);
    first.close();
    fed.addAll(feed(source, "b", 10));
    Eventually.until("the wire holding ten for the target", () -> wire.ledger().taken() == 20);
    assertThat(wire.state()).isEqualTo(WireState.WAITING);
    assertThat(wire.warnings()).contains("waiting for handler 'target' (a target)");

    TestHandler successor = register(sink("target", 64));
    Eventually.until("the successor got the ten", () -> successor.items().size() == 10);
    assertThat(successor.items()).isEqualTo(fed.subList(10, 20));
    WireLedger ledger = settled(wire, 20);
    assertThat(ledger.delivered()).isEqualTo(20);
    assertThat(ledger.droppedCount()).isZero();
    assertThat(wire.state()).isEqualTo(WireState.RUNNING);
  }

  @Test
  void aTargetGoneLongerThanShutdownTimeoutCostsWhatWasHeldForItAndNoMore() {
    TestHandler source = register(TestHandler.blocking("source", 64, item -> item));
    TestHandler first = register(sink("target", 64));
    WireEngine wire = start(wire("w", "source", "target", "shutdown_timeout", 0.2));
    registry.unregister(first);
    feed(source, "lost", 5);
    Eventually.until("what was held dropped as shutdown", () -> wire.ledger().targets().get("target").dropped()
        .getOrDefault(WireDropReason.SHUTDOWN, 0L) == 5);

    // from then on the wire waits for the target without limit, as for one it never saw
    feed(source, "kept", 3);
    Eventually.until("three more taken", () -> wire.ledger().taken() == 8);
    TestHandler successor = register(sink("target", 64));
    Eventually.until("the successor got the three", () -> successor.items().size() == 3);
    assertThat(successor.items()).containsExactly("kept-0", "kept-1", "kept-2");
    WireLedger ledger = settled(wire, 8);
    assertThat(ledger.droppedCount()).isEqualTo(5);
    Eventually.until("all settled, dropped ones too", () -> source.settled() == 8);
  }

  @Test
  void theNextInstanceOfAWireTakesOverWhatItsPredecessorHeldInOrder() {
    TestHandler source = register(TestHandler.blocking("source", 64, item -> item));
    TestHandler target = register(sink("target", 2));
    target.hold();
    WireEngine first = start(wire("w", "source", "target", "buffer_size", 16, "policy", "block"));
    List<Object> fed = feed(source, "h", 40);
    Eventually.until("the buffer full", () -> first.ledger().buffered() == 16);
    first.close(true);
    WireLedger before = first.ledger();
    assertThat(before.targets().get("target").handedOff()).isPositive();
    assertThat(before.isBalanced()).isTrue();
    assertThat(source.resultReader()).isEmpty();

    WireEngine second = start(wire("w", "source", "target", "buffer_size", 8));
    assertThat(second.ledger().targets().get("target").handedIn()).isEqualTo(before.targets().get("target").handedOff());
    target.release();
    Eventually.until("all forty delivered", () -> target.items().size() == 40);
    assertThat(target.items()).isEqualTo(fed);
    WireLedger after = settled(second, 40 - before.taken());
    assertThat(before.delivered() + after.delivered()).isEqualTo(40);
    assertThat(before.droppedCount() + after.droppedCount()).isZero();
    Eventually.until("each result settled once", () -> source.settled() == 40);
  }

  @Test
  void aHandOverNobodyTakesIsCountedDroppedAsShutdown() {
    TestHandler source = register(TestHandler.blocking("source", 64, item -> item));
    TestHandler target = register(sink("target", 1));
    target.hold();
    WireEngine wire = start(wire("gone", "source", "target", "buffer_size", 4, "shutdown_timeout", 0.1));
    feed(source, "x", 10);
    Eventually.until("the buffer full", () -> wire.ledger().buffered() == 4);
    wire.close(true);
    Eventually.until("the parcel expired", () -> wire.ledger().targets().get("target").handedOff() == 0);
    WireLedger ledger = wire.ledger();
    // the buffer, and what the reader held when it stopped (it keeps it for the successor too)
    assertThat(ledger.targets().get("target").dropped().get(WireDropReason.SHUTDOWN))
        .isGreaterThanOrEqualTo(4).isEqualTo(ledger.taken() - ledger.delivered());
    assertThat(ledger.isBalanced()).isTrue();
    target.release();
    Eventually.until("dropped results settled too", () -> source.settled() == ledger.taken());
  }

  @Test
  void aCopyForATargetTheNextInstanceNoLongerHasIsDroppedAsUnwired() {
    TestHandler source = register(TestHandler.blocking("source", 64, item -> item));
    TestHandler old = register(sink("old", 1));
    register(sink("other", 64));
    old.hold();
    WireEngine first = start(wire("w", "source", "old", "buffer_size", 4));
    feed(source, "u", 10);
    Eventually.until("the buffer full", () -> first.ledger().buffered() == 4);
    first.close(true);
    long handedOff = first.ledger().targets().get("old").handedOff();
    assertThat(handedOff).isGreaterThanOrEqualTo(4);
    WireEngine second = start(wire("w", "source", "other"));
    assertThat(second.ledger().unwired()).isEqualTo(handedOff);
    assertThat(second.ledger().isBalanced()).isTrue();
    old.release();
  }

  @Test
  void aClosingSourceIsReadToTheEndWhileItsTargetIsAwayToo() {
    // a bundle update takes a source and its target away together: the source cannot close until
    // its workers put their results somewhere, and the target's successor comes only after that
    TestHandler source = register(new TestHandler(TestHandler.config("source", 2).shutdownTimeout(
        java.time.Duration.ofSeconds(60)).build(), item -> item));
    TestHandler target = register(sink("target", 1));
    target.hold();
    WireEngine wire = start(wire("w", "source", "target", "buffer_size", 2, "shutdown_timeout", 60));
    feed(source, "q", 10);
    Eventually.until("the source's result queue full behind the wire", () -> source.stats().resultQueueSize() == 2
        && wire.ledger().blockedFor().toNanos() > 0);
    registry.unregister(target);
    registry.unregister(source);
    source.closeAndHandOver("test-source");
    // it closed without waiting out its shutdown_timeout (60 s, then it would drop): its workers'
    // results went to the wire, and what was still queued to its successor's parcel
    assertThat(source.stats().droppedCount()).as("nothing dropped: the wire read the closing source").isZero();
    long handedOff = source.stats().handedOffCount() + source.stats().resultsHandedOff();
    dev.maverick.handler.Handover.claim("test-source");
    Eventually.until("every processed result taken by the wire", () -> wire.ledger().taken() == 10 - handedOff);
    target.release();
    registry.register(target); // back, as the new revision's target would be
    Eventually.until("all of them delivered", () -> target.items().size() == 10 - handedOff);
    assertThat(settled(wire, 10 - handedOff).droppedCount()).isZero();
  }

  @Test
  void closingForGoodDeliversWhatTheWireHoldsFirst() throws Exception {
    TestHandler source = register(TestHandler.blocking("source", 64, item -> item));
    TestHandler target = register(sink("target", 2));
    target.hold();
    WireEngine wire = start(wire("w", "source", "target", "buffer_size", 16, "shutdown_timeout", 30));
    List<Object> fed = feed(source, "c", 12);
    Eventually.until("all twelve taken", () -> wire.ledger().taken() == 12);
    Thread closer = new Thread(() -> wire.close(false), "test-closer");
    closer.start();
    target.release();
    closer.join(30_000);
    assertThat(closer.isAlive()).isFalse();
    Eventually.until("all twelve at the target", () -> target.items().size() == 12);
    assertThat(target.items()).isEqualTo(fed);
    WireLedger ledger = wire.ledger();
    assertThat(ledger.delivered()).isEqualTo(12);
    assertThat(ledger.isBalanced()).isTrue();
    assertThat(wire.state()).isEqualTo(WireState.CLOSED);
  }

  @Test
  void noThreadOfTheWireIsLeftAfterClose() {
    register(TestHandler.blocking("source", 64, item -> item));
    register(sink("a", 8));
    register(sink("b", 8));
    register(sink("letters", 8));
    WireEngine wire = start(wire("threads", "source", "a, b", "dead_letter", "letters"));
    assertThat(threadsNamed("wire-threads-")).containsExactlyInAnyOrder("wire-threads-reader",
        "wire-threads-to-a", "wire-threads-to-b", "wire-threads-dead-letter");
    wire.close(false);
    assertThat(wire.threadsEnded()).isTrue();
    assertThat(threadsNamed("wire-threads-")).isEmpty();
    assertThat(registry.followed()).isZero();
  }

  private static List<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.startsWith(prefix)).toList();
  }

  @Test
  void aReplacedSourceIsReadOnceItsSuccessorIsRegistered() {
    TestHandler first = register(TestHandler.blocking("source", 64, item -> item));
    TestHandler target = register(sink("target", 64));
    start(wire("w", "source", "target"));
    Eventually.until("the wire reads the source", () -> first.resultReader().isPresent());
    registry.unregister(first);
    Eventually.until("the claim released", () -> first.resultReader().isEmpty());

    TestHandler successor = register(TestHandler.blocking("source", 64, item -> item));
    feed(successor, "s", 5);
    Eventually.until("the successor's results delivered", () -> target.items().size() == 5);
    assertThat(successor.resultReader()).contains("wire 'w'");
  }

  @Test
  void aWireWaitsWhileSomeoneElseReadsItsSourceAndSaysWho() {
    TestHandler source = register(TestHandler.blocking("source", 64, item -> item));
    TestHandler target = register(sink("target", 64));
    ResultReader<Object> other = source.claimResults("the test");
    WireEngine wire = start(wire("w", "source", "target"));
    Eventually.until("the wire saying who reads its source",
        () -> wire.warnings().contains("cannot read its source: the results of 'source' are read by the test"));
    assertThat(wire.state()).isEqualTo(WireState.WAITING);
    other.close();
    feed(source, "later", 2);
    Eventually.until("delivered once the claim was free", () -> target.items().size() == 2);
    assertThat(wire.state()).isEqualTo(WireState.RUNNING);
  }

  @Test
  void aWireIsRunningOnlyOnceItHoldsItsSourcesResults() {
    TestHandler source = register(TestHandler.blocking("source", 64, item -> item));
    register(sink("target", 64));
    for (int i = 0; i < 20; i++) {
      WireEngine wire = start(wire("w" + i, "source", "target"));
      String owner = "wire 'w" + i + "'";
      // read at once, while the reader may not have claimed yet: running must already mean claimed
      if (wire.state() == WireState.RUNNING) {
        assertThat(source.resultReader()).as("the reader of a running wire").contains(owner);
      }
      Eventually.until(owner + " running", () -> wire.state() == WireState.RUNNING);
      assertThat(source.resultReader()).contains(owner);
      wire.close(false);
      Eventually.until("the claim of " + owner + " released", () -> source.resultReader().isEmpty());
    }
  }

  @Test
  void theStateFollowsTheHandlersAWireNames() {
    WireEngine wire = start(wire("w", "missing", "nowhere"));
    assertThat(wire.state()).isEqualTo(WireState.WAITING);
    assertThat(wire.warnings()).containsExactly("waiting for handler 'missing' (its source)",
        "waiting for handler 'nowhere' (a target)");
    assertThat(WireConfig.fromMap(wire("w", "missing", "nowhere"))).isEqualTo(wire.config());
  }
}
