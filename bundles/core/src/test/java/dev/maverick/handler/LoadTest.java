package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reliability suite 1: four producers feed 250,000 items each through every overflow policy while
 * a consumer takes results; at the end the accounting law holds exactly and every accepted item
 * is either a result taken, or counted as dropped after acceptance (evicted, result queue full).
 */
class LoadTest {
  private static final int PRODUCERS = 4;
  private static final int ITEMS_EACH = 250_000;

  @ParameterizedTest
  @EnumSource(OverflowPolicy.class)
  void fourProducersOfAQuarterMillionItemsEach(OverflowPolicy policy) throws Exception {
    HandlerConfig config = HandlerConfig.builder().name("load-" + policy).maxQueueSize(1024).resultQueueSize(1024)
        .overflowPolicy(policy).offerTimeout(Duration.ofSeconds(30)).build();
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(config, item -> item);
    ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + 1);
    AtomicLong accepted = new AtomicLong();
    AtomicLong thrown = new AtomicLong();
    AtomicLong taken = new AtomicLong();
    AtomicBoolean producing = new AtomicBoolean(true);
    long start = System.nanoTime();
    List<CompletableFuture<Void>> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      producers.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < ITEMS_EACH; i++) {
          try {
            if (handler.feed(i)) {
              accepted.incrementAndGet();
            }
          } catch (QueueFullException underFail) {
            thrown.incrementAndGet();
          }
        }
      }, pool));
    }
    CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
      while (producing.get() || resultsMayStillCome(handler.stats())) {
        handler.getResult(Duration.ofMillis(5)).ifPresent(result -> taken.incrementAndGet());
      }
    }, pool);
    CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    producing.set(false);
    consumer.get(300, TimeUnit.SECONDS);
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    handler.close();
    pool.shutdownNow();

    HandlerStats stats = handler.stats();
    assertBalanced(handler);
    assertThat(stats.fedCount()).isEqualTo((long) PRODUCERS * ITEMS_EACH);
    assertThat(stats.acceptedCount()).isEqualTo(accepted.get());
    long acceptedThenDropped = stats.dropped(DropReason.EVICTED) + stats.dropped(DropReason.RESULT_QUEUE_FULL)
        + stats.dropped(DropReason.RESULT_EVICTED) + stats.dropped(DropReason.SHUTDOWN);
    assertThat(taken.get() + acceptedThenDropped).as("every accepted item is a result taken or a counted drop")
        .isEqualTo(accepted.get());
    assertThat(stats.dropped(DropReason.QUEUE_FULL) + accepted.get()).isEqualTo(stats.fedCount());
    if (policy == OverflowPolicy.FAIL) {
      assertThat(thrown.get()).isEqualTo(stats.dropped(DropReason.QUEUE_FULL));
    }
    if (policy == OverflowPolicy.BLOCK) {
      assertThat(stats.droppedCount()).as("block with a generous offer_timeout drops nothing").isZero();
    }
    System.out.printf("load %-11s fed=%d accepted=%d taken=%d drops=%d (%s) in %d ms%n", policy, stats.fedCount(),
        accepted.get(), taken.get(), stats.droppedCount(), nonZeroDrops(stats), elapsedMillis);
  }

  private static String nonZeroDrops(HandlerStats stats) {
    StringBuilder text = new StringBuilder();
    stats.drops().forEach((reason, count) -> {
      if (count > 0) {
        text.append(text.length() == 0 ? "" : ", ").append(reason.key()).append('=').append(count);
      }
    });
    return text.toString();
  }

  /** An item leaves in-flight a moment before its result is queued, hence the published count. */
  private static boolean resultsMayStillCome(HandlerStats stats) {
    return stats.inputQueueSize() > 0 || stats.inFlight() > 0 || stats.resultQueueSize() > 0
        || stats.resultsPublished() < stats.processedCount();
  }
}
