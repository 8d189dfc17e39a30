package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A snapshot taken while items, results and callbacks move may count a moving element twice but
 * never loses one: no ledger ever shows more in than it can place.
 */
class SnapshotUnderLoadTest {

  @Test
  void noSnapshotEverMissesAnElement() throws Exception {
    HandlerConfig config = HandlerConfig.builder().maxQueueSize(32).resultQueueSize(16).callbackQueueSize(8)
        .overflowPolicy(OverflowPolicy.DROP_OLDEST).workerThreads(2)
        .generateResultsCallback((result, extra) -> result).build();
    OverflowPolicyTest.Emitter handler = new OverflowPolicyTest.Emitter(config) {
      @Override
      protected String generateResults(String item, Map<String, ?> extra) {
        emitAsyncCallback(item, extra);
        if (item.endsWith("7")) {
          throw new IllegalStateException("every tenth item fails");
        }
        return item;
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong snapshots = new AtomicLong();
    List<String> violations = new ArrayList<>();
    List<CompletableFuture<Void>> work = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      work.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 200_000; i++) {
          handler.feed("i" + i);
        }
      }, pool));
    }
    CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
      while (running.get()) {
        handler.getResult(Duration.ofMillis(1));
      }
    }, pool);
    CompletableFuture<Void> observer = CompletableFuture.runAsync(() -> {
      while (running.get()) {
        HandlerStats stats = handler.stats();
        snapshots.incrementAndGet();
        if (stats.unaccountedItems() > 0 || stats.unaccountedResults() > 0 || stats.unaccountedCallbacks() > 0) {
          synchronized (violations) {
            violations.add(stats.unaccountedItems() + "/" + stats.unaccountedResults() + "/"
                + stats.unaccountedCallbacks());
          }
        }
      }
    }, pool);
    CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    TestHandlers.until("input drained", () -> handler.stats().inputQueueSize() == 0 && handler.stats().inFlight() == 0);
    running.set(false);
    consumer.get(20, TimeUnit.SECONDS);
    observer.get(20, TimeUnit.SECONDS);
    handler.close();
    pool.shutdownNow();
    assertThat(violations).as("snapshots that lost an element, out of %d", snapshots.get()).isEmpty();
    assertThat(snapshots.get()).isPositive();
    assertBalanced(handler);
    System.out.printf("snapshots under load: %d taken, none lost an element%n", snapshots.get());
  }
}
