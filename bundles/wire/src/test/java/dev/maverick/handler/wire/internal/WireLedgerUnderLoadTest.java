package dev.maverick.handler.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.ds.testing.Eventually;
import dev.maverick.handler.wire.WireLedger;
import dev.maverick.handler.wire.WireLedger.TargetLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The ledger under load: an observer reads it while results move through a fan-out wire with
 * small buffers, a lossy target and a dead letter. A snapshot may count a moving result twice but
 * never zero times, and once the wire is quiescent every row balances exactly.
 */
class WireLedgerUnderLoadTest extends WireFixture {

  @Test
  void aSnapshotNeverMissesAResultAndTheBooksBalanceAtRest() throws Exception {
    TestHandler source = register(TestHandler.blocking("source", 32, item -> ((String) item).endsWith("3")
        ? java.util.Map.of("text", item, "skip", true) : java.util.Map.of("text", item)));
    TestHandler steady = register(TestHandler.blocking("steady", 8, item -> null));
    TestHandler picky = register(new TestHandler(TestHandler.config("picky", 8).build(), item -> {
      if (((String) item).endsWith("7")) {
        throw new IllegalArgumentException("no sevens");
      }
      return null;
    }));
    register(TestHandler.blocking("letters", 8, item -> null));
    WireEngine wire = start(wire("load", "source", "steady, picky", "buffer_size", 4, "policy", "drop_oldest",
        "dead_letter", "letters", "filter", "(!(skip=*))", "select", "text"));

    AtomicBoolean observing = new AtomicBoolean(true);
    AtomicReference<String> missed = new AtomicReference<>();
    AtomicLong snapshots = new AtomicLong();
    Thread observer = new Thread(() -> {
      while (observing.get()) {
        WireLedger ledger = wire.ledger();
        for (String target : ledger.targets().keySet()) {
          if (ledger.unaccounted(target) > 0) {
            missed.compareAndSet(null, target + " missed " + ledger.unaccounted(target) + ": " + ledger);
          }
        }
        ledger.deadLetter().filter(books -> books.unaccounted() > 0)
            .ifPresent(books -> missed.compareAndSet(null, "dead letter missed: " + books));
        snapshots.incrementAndGet();
      }
    }, "test-observer");
    observer.start();
    int items = 20_000;
    List<Object> fed = new ArrayList<>(feed(source, "n", items));
    Eventually.until("all taken", () -> wire.ledger().taken() == items);
    WireLedger atRest = settled(wire, items);
    observing.set(false);
    observer.join();

    assertThat(missed.get()).as("a snapshot counted a result nowhere").isNull();
    assertThat(snapshots.get()).isPositive();
    assertThat(atRest.isBalanced()).isTrue();
    assertThat(atRest.filtered()).isEqualTo(items / 10);
    for (TargetLedger lane : atRest.targets().values()) {
      assertThat(lane.delivered() + lane.droppedCount() + lane.deadLettered()).isEqualTo(fed.size() - items / 10);
    }
    assertThat(atRest.targets().get("picky").failed()).isPositive();
    Eventually.until("the dead letter's books balance at rest", () -> wire.ledger().deadLetter().orElseThrow()
        .unaccounted() == 0 && wire.ledger().deadLetter().orElseThrow().buffered() == 0);
    Eventually.until("every result settled once", () -> source.settled() == items);
    assertThat(Eventually.balanced(source).resultsUnsettled()).isZero();
  }
}
