package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The accounting law holds at quiescence with four producers, under every overflow policy. */
class AccountingLawStressTest {
  private static final int PRODUCERS = 4;
  private static final int ITEMS_EACH = 50_000;

  @ParameterizedTest
  @EnumSource(OverflowPolicy.class)
  void fourProducersAConsumerAndEveryItemAccountedFor(OverflowPolicy policy) throws Exception {
    HandlerConfig config = HandlerConfig.builder()
        .maxQueueSize(64).resultQueueSize(64).overflowPolicy(policy)
        .offerTimeout(Duration.ofMillis(1))
        .generateResultsCallback((item, extra) -> (Integer) item % 7 == 0 ? null : item)
        .build();
    ArchitectureHandler<Integer, Integer> handler = new ArchitectureHandler<>(config) {
      @Override
      protected boolean validateItem(Integer item, java.util.Map<String, ?> extra) {
        return item % 1000 != 999; // one item in a thousand is invalid
      }

      @Override
      protected Integer postprocessResult(Integer item, java.util.Map<String, ?> extra, Integer result) {
        if (item % 500 == 3) {
          throw new IllegalStateException("every 500th item fails");
        }
        return result;
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + 1);
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong taken = new AtomicLong();
    CountDownLatch producersDone = new CountDownLatch(PRODUCERS);
    List<CompletableFuture<Void>> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int offset = p * ITEMS_EACH;
      producers.add(CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; i < ITEMS_EACH; i++) {
            try {
              if (handler.feed(offset + i)) {
                accepted.incrementAndGet();
              }
            } catch (QueueFullException expectedUnderFail) {
              failed.incrementAndGet();
            }
          }
        } finally {
          producersDone.countDown();
        }
      }, pool));
    }
    CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
      while (producersDone.getCount() > 0 || handler.stats().inputQueueSize() > 0 || handler.stats().inFlight() > 0) {
        handler.getResult(Duration.ofMillis(1)).ifPresent(r -> taken.incrementAndGet());
      }
    }, pool);
    CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    consumer.get(120, TimeUnit.SECONDS);
    handler.close();
    pool.shutdownNow();

    HandlerStats stats = handler.stats();
    assertBalanced(handler);
    assertThat(stats.fedCount()).isEqualTo((long) PRODUCERS * ITEMS_EACH);
    assertThat(stats.acceptedCount()).isEqualTo(accepted.get());
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(PRODUCERS * ITEMS_EACH / 1000);
    assertThat(stats.resultsTaken()).isEqualTo(taken.get());
    if (policy == OverflowPolicy.FAIL) {
      assertThat(failed.get()).isEqualTo(stats.dropped(DropReason.QUEUE_FULL));
    } else {
      assertThat(failed.get()).isZero();
    }
    if (policy == OverflowPolicy.DROP_OLDEST) {
      assertThat(stats.dropped(DropReason.QUEUE_FULL)).isZero();
    }
    System.out.printf("%s: fed=%d accepted=%d processed=%d errors=%d drops=%s taken=%d%n", policy,
        stats.fedCount(), stats.acceptedCount(), stats.processedCount(), stats.itemErrorCount(), stats.drops(),
        stats.resultsTaken());
  }
}
