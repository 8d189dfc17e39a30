package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.internal.Ledger.Stamp;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LedgerTest {

  private static final class Books {
    final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
    final Diagnostics diagnostics = new Diagnostics(log, "books", false);
    final Ledger ledger = new Ledger(diagnostics);
    final Lane<Object> input = new Lane<>(Lane.Kind.INPUT, 8, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    final Lane<Object> results = new Lane<>(Lane.Kind.RESULT, 0, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    final Lane<Object> callbacks = new Lane<>(Lane.Kind.CALLBACK, 8, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    final Settlement settlement = new Settlement((result, extra) -> { });

    HandlerStats snapshot() {
      var stats = HandlerStats.builder();
      ledger.snapshot(stats, input, results, callbacks, settlement);
      return stats.build();
    }
  }

  @Test
  void aSnapshotTakenWhileItemsMoveNeverMissesOneAndBalancesAtRest() throws Exception {
    Books books = new Books();
    AtomicBoolean done = new AtomicBoolean();
    java.util.concurrent.CountDownLatch observing = new java.util.concurrent.CountDownLatch(1);
    CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
      try {
        observing.await(); // items move only while the observer looks
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (int i = 0; i < 200_000; i++) {
        books.input.offer(i, false); // accepted, or dropped queue_full and refused
      }
    });
    CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
      while (!done.get() || books.input.queue().size() > 0) {
        Object item = Waits.poll(books.input.queue(), TimeUnit.MILLISECONDS.toNanos(1), books.ledger.inFlight);
        if (item != null) {
          books.ledger.processed();
          books.results.offer(item, false);
          Waits.poll(books.results.queue(), 0, books.ledger.resultsTaken);
        }
      }
    });
    long snapshots = 0;
    observing.countDown();
    do {
      HandlerStats stats = books.snapshot();
      assertThat(stats.unaccountedItems()).as("items, %s", stats).isLessThanOrEqualTo(0);
      assertThat(stats.unaccountedResults()).as("results, %s", stats).isLessThanOrEqualTo(0);
      snapshots++;
    } while (!producer.isDone());
    done.set(true);
    worker.get(20, TimeUnit.SECONDS);
    HandlerStats rest = books.snapshot();
    assertThat(rest.isBalanced()).as("%s", rest).isTrue();
    assertThat(rest.fedCount()).isEqualTo(200_000);
    assertThat(rest.processedCount() + rest.dropped(DropReason.QUEUE_FULL)).isEqualTo(200_000);
    assertThat(snapshots).isPositive();
  }

  @Test
  void aDirectCallAndAProducerCountInTheirOrderAndATallyMovesTheItemOutOfFlight() {
    Books books = new Books();
    books.ledger.generating();
    assertThat(books.snapshot().inFlight()).isEqualTo(1);
    books.ledger.failed();
    books.ledger.generateRefused(DropReason.INVALID, "not a string");
    books.ledger.produced();
    HandlerStats stats = books.snapshot();
    assertThat(stats.generateCount()).isEqualTo(2);
    assertThat(stats.itemErrorCount()).isEqualTo(1);
    assertThat(stats.producedCount()).isEqualTo(1);
    assertThat(stats.processedCount()).isEqualTo(1);
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.lastDrop()).contains("invalid: not a string");
    assertThat(stats.isBalanced()).isTrue();
  }

  @Test
  void theLastDropIsRememberedAndEveryDropIsLogged() {
    Books books = new Books();
    books.ledger.drop(DropReason.CLEARED, null);
    books.ledger.drop(DropReason.CLEARED, null);
    assertThat(books.snapshot().dropped(DropReason.CLEARED)).isEqualTo(2);
    assertThat(books.snapshot().lastDrop()).contains("cleared");
    books.ledger.noteDropped(DropReason.SHUTDOWN, 3);
    assertThat(books.snapshot().lastDrop()).contains("shutdown: 3 at once");
    books.ledger.noteDropped(DropReason.SHUTDOWN, 0);
    assertThat(books.snapshot().lastDrop()).as("nothing dropped, nothing to note").contains("shutdown: 3 at once");
    assertThat(books.log.lines).containsExactly("WARN [books] cleared: dropped");
  }

  @Test
  void timestampsAreUnsetUntilStampedAndNeverBeforeCreation() {
    Books books = new Books();
    HandlerStats fresh = books.snapshot();
    assertThat(fresh.lastFeedAt()).isEmpty();
    assertThat(fresh.lastNetworkCallAt()).isEmpty();
    for (Stamp stamp : Stamp.values()) {
      books.ledger.stamp(stamp);
    }
    HandlerStats stamped = books.snapshot();
    for (Instant at : new Instant[] {stamped.lastFeedAt().orElseThrow(), stamped.lastGenerateAt().orElseThrow(),
        stamped.lastResultAt().orElseThrow(), stamped.lastNetworkCallAt().orElseThrow()}) {
      assertThat(at).isAfterOrEqualTo(stamped.createdAt()).isBeforeOrEqualTo(Instant.now());
    }
  }

  @Test
  void aFailureIsShownAsTheHandlersFailure() {
    Books books = new Books();
    books.ledger.failure(new OutOfMemoryError("simulated"));
    assertThat(books.snapshot().failure()).hasValueSatisfying(text -> assertThat(text).contains("simulated"));
  }
}
