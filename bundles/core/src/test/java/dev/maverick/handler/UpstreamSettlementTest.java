package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static dev.maverick.handler.TestHandlers.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The upstream settlement given to offer runs once, when the item's journey through the handler is
 * over: its result settled by whoever read it, or the item ended without one; never when the item
 * is abandoned at close, so that a source upstream replays it.
 */
class UpstreamSettlementTest {
  private final List<String> settled = new CopyOnWriteArrayList<>();

  private Runnable upstream(String name) {
    return () -> settled.add(name);
  }

  private static HandlerConfig idle() {
    return HandlerConfig.builder().runAsThread(false).maxQueueSize(8).build();
  }

  private static Admission offer(Handler<Integer, ?> handler, int item, Runnable upstream) {
    return handler.offer(item, Map.of(), Duration.ZERO, null, upstream);
  }

  @Test
  void aResultTakenWithGetResultSettlesItsItemsUpstreamOnceItIsTaken() {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(idle(), i -> i * 10)) {
      assertThat(offer(handler, 1, upstream("one"))).isEqualTo(Admission.ACCEPTED);
      handler.start();
      until("processed", () -> handler.stats().resultQueueSize() == 1);
      assertThat(settled).as("processed, but its result not read yet").isEmpty();
      assertThat(handler.getResult(WAIT)).contains(10);
      assertThat(settled).containsExactly("one");
      assertBalanced(handler);
    }
  }

  @Test
  void aResultTakenByAReaderSettlesItsUpstreamWhenTheReaderSettlesItAndOnlyOnce() {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(idle(), i -> i)) {
      ResultReader<Integer> reader = handler.claimResults("test");
      offer(handler, 1, upstream("one"));
      handler.start();
      TakenResult<Integer> taken = reader.take(WAIT).orElseThrow();
      assertThat(settled).as("taken, not settled").isEmpty();
      taken.settle();
      taken.settle();
      assertThat(settled).containsExactly("one");
      assertBalanced(handler);
    }
  }

  @Test
  void anItemProcessedToNullSettlesItsUpstreamAfterItIsCounted() {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(idle(), i -> null)) {
      handler.offer(1, Map.of(), Duration.ZERO, null, () -> settled.add("processed=" + handler.stats().processedCount()));
      handler.start();
      until("settled", () -> settled.size() == 1);
      assertThat(settled).containsExactly("processed=1");
      assertBalanced(handler);
    }
  }

  @Test
  void aFailedItemSettlesItsUpstreamAfterOnFailure() {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(idle(), i -> {
      throw new IllegalStateException("no");
    })) {
      handler.offer(1, Map.of(), Duration.ZERO, error -> settled.add("failed: " + error.getMessage()),
          upstream("upstream"));
      handler.start();
      until("settled", () -> settled.size() == 2);
      assertThat(settled).containsExactly("failed: no", "upstream");
      assertThat(handler.stats().itemErrorCount()).isEqualTo(1);
      assertBalanced(handler);
    }
  }

  @Test
  void anItemEvictedOrClearedFromTheInputQueueSettlesItsUpstream() {
    HandlerConfig config = HandlerConfig.builder().runAsThread(false).maxQueueSize(2)
        .overflowPolicy(OverflowPolicy.DROP_OLDEST).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(config, i -> i)) {
      offer(handler, 1, upstream("one"));
      offer(handler, 2, upstream("two"));
      assertThat(handler.feed(3)).isTrue(); // evicts 1
      assertThat(settled).containsExactly("one");
      assertThat(handler.clearFeed()).isEqualTo(2);
      assertThat(settled).containsExactly("one", "two");
      assertThat(handler.stats().dropped(DropReason.EVICTED)).isEqualTo(1);
      assertBalanced(handler);
    }
  }

  @Test
  void aResultTheResultQueueDropsSettlesItsUpstream() {
    HandlerConfig full = HandlerConfig.builder().runAsThread(false).maxQueueSize(8).resultQueueSize(1).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(full, i -> i)) {
      offer(handler, 1, upstream("one"));
      offer(handler, 2, upstream("two"));
      handler.start();
      until("both processed", () -> handler.stats().processedCount() == 2);
      until("the second settled", () -> settled.equals(List.of("two")));
      assertThat(handler.stats().dropped(DropReason.RESULT_QUEUE_FULL)).isEqualTo(1);
      assertThat(handler.getResult(WAIT)).contains(1);
      assertThat(settled).containsExactly("two", "one");
    }
    HandlerConfig evicting = HandlerConfig.builder().runAsThread(false).maxQueueSize(8).resultQueueSize(1)
        .resultOverflowPolicy(OverflowPolicy.DROP_OLDEST).build();
    settled.clear();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(evicting, i -> i)) {
      offer(handler, 1, upstream("one"));
      offer(handler, 2, upstream("two"));
      handler.start();
      until("the first evicted and settled", () -> settled.equals(List.of("one")));
      assertThat(handler.stats().dropped(DropReason.RESULT_EVICTED)).isEqualTo(1);
      assertThat(handler.getResult(WAIT)).contains(2);
      assertThat(settled).containsExactly("one", "two");
    }
  }

  @Test
  void itemsAbandonedAtCloseAreNeverSettled() throws InterruptedException {
    CountDownLatch gate = new CountDownLatch(1);
    HandlerConfig config = HandlerConfig.builder().maxQueueSize(8).shutdownTimeout(Duration.ZERO).build();
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(config, item -> {
      while (gate.getCount() > 0) { // deaf to the close's interrupt: it finishes after the deadline
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
      return item;
    });
    offer(handler, 1, upstream("in flight"));
    until("in flight", () -> handler.stats().inFlight() == 1);
    offer(handler, 2, upstream("queued"));
    Thread closer = new Thread(handler::close);
    closer.start();
    until("the queued item dropped at close", () -> handler.stats().dropped(DropReason.SHUTDOWN) == 1);
    gate.countDown();
    closer.join(WAIT.toMillis());
    // the close gave up on the item in hand; it finishes later, and its result is still readable
    until("the item in hand finished", () -> handler.stats().resultQueueSize() == 1);
    assertThat(handler.getResult(WAIT)).contains(1);
    assertThat(settled).as("the item in hand ended; the queued one was abandoned").containsExactly("in flight");
    assertBalanced(handler);
  }

  @Test
  void itemsAndResultsCarryTheirUpstreamThroughAHandOverAndAParcelNobodyTakesSettlesNothing() {
    String key = "pid-" + UUID.randomUUID();
    ArchitectureHandler<Integer, Integer> old = TestHandlers.of(idle(), i -> i);
    offer(old, 1, upstream("result of 1"));
    old.start();
    until("1 processed", () -> old.stats().resultQueueSize() == 1);
    old.reconfigure(HandlerConfig.builder().disableThread(true).maxQueueSize(8).build());
    until("the worker stopped", () -> old.liveThreads().isEmpty());
    offer(old, 2, upstream("item 2"));
    old.closeAndHandOver(key);
    assertThat(settled).isEmpty();
    try (ArchitectureHandler<Integer, Integer> successor = TestHandlers.of(idle(), i -> i * 100)) {
      assertThat(successor.adoptHandover(key)).isEqualTo(1);
      successor.start();
      assertThat(successor.getResult(WAIT)).contains(1);
      assertThat(settled).containsExactly("result of 1");
      assertThat(successor.getResult(WAIT)).contains(200);
      assertThat(settled).containsExactly("result of 1", "item 2");
    }

    String expiring = "pid-" + UUID.randomUUID();
    settled.clear();
    ArchitectureHandler<Integer, Integer> gone = TestHandlers.of(HandlerConfig.builder().runAsThread(false)
        .shutdownTimeout(Duration.ofMillis(1)).build(), i -> i);
    offer(gone, 3, upstream("item 3"));
    gone.closeAndHandOver(expiring);
    until("the parcel expired", () -> gone.stats().dropped(DropReason.SHUTDOWN) == 1);
    assertThat(settled).as("abandoned: a source upstream replays it").isEmpty();
    assertBalanced(gone);
  }

  /**
   * Every way an accepted item or its result can end, at once, from several threads: four
   * producers offer and feed into two workers through small drop_oldest queues (items and results
   * evicted),
   * items end as a result, as null, failed or dropped by the handler, a reader takes results while
   * another thread clears the input queue. Once everything has ended, every accepted item's
   * upstream has run exactly once, and no refused item's ever did.
   */
  @Test
  void underConcurrencyEveryAcceptedItemsUpstreamRunsExactlyOnceAndNoRefusedOnesRuns() throws Exception {
    int producers = 4;
    int perProducer = 2_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(producers * perProducer);
    AtomicIntegerArray accepted = new AtomicIntegerArray(producers * perProducer);
    HandlerConfig config = HandlerConfig.builder().workerThreads(2).maxQueueSize(4)
        .overflowPolicy(OverflowPolicy.DROP_OLDEST).resultQueueSize(4)
        .resultOverflowPolicy(OverflowPolicy.DROP_OLDEST).build();
    ExecutorService pool = Executors.newFixedThreadPool(producers + 2);
    AtomicBoolean producing = new AtomicBoolean(true);
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(config, item -> switch (item % 4) {
      case 0 -> null;
      case 1 -> throw new IllegalStateException("failed " + item);
      case 2 -> throw new ItemDroppedException(DropReason.ENGINE_DISCONNECTED, "not connected");
      default -> item;
    })) {
      List<Future<?>> offers = new java.util.ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int first = p * perProducer;
        offers.add(pool.submit(() -> {
          for (int item = first; item < first + perProducer; item++) {
            int index = item;
            if (handler.offer(item, Map.of(), Duration.ofMillis(1), null, () -> runs.incrementAndGet(index))
                .isAccepted()) {
              accepted.set(index, 1);
            }
            handler.feed(1_000_003); // without an upstream: evicts the oldest, offered or fed
          }
        }));
      }
      AtomicBoolean reading = new AtomicBoolean(true);
      Future<?> reader = pool.submit(() -> {
        while (reading.get()) {
          handler.getResult(Duration.ofMillis(1));
        }
      });
      Future<?> clearer = pool.submit(() -> {
        while (producing.get()) {
          handler.clearFeed();
          java.util.concurrent.locks.LockSupport.parkNanos(500_000);
        }
      });
      for (Future<?> offer : offers) {
        offer.get();
      }
      producing.set(false);
      clearer.get();
      int acceptedCount = 0;
      for (int item = 0; item < accepted.length(); item++) {
        acceptedCount += accepted.get(item);
      }
      int expected = acceptedCount;
      until("every accepted item's upstream ran", () -> {
        int total = 0;
        for (int item = 0; item < runs.length(); item++) {
          total += runs.get(item);
        }
        return total >= expected;
      });
      reading.set(false);
      reader.get();
      for (int item = 0; item < runs.length(); item++) {
        assertThat(runs.get(item)).as("upstream of item %d (accepted: %d)", item, accepted.get(item))
            .isEqualTo(accepted.get(item));
      }
      HandlerStats stats = handler.stats();
      assertThat(stats.dropped(DropReason.EVICTED) + stats.dropped(DropReason.CLEARED))
          .as("the input queue dropped some").isPositive();
      assertThat(stats.dropped(DropReason.ENGINE_DISCONNECTED)).isPositive();
      assertBalanced(handler);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A handler drops an item with {@link ItemDroppedException} for any reason of the items ledger:
   * its upstream settles, because the item's journey is over, unless the reason is the one that
   * abandons an item at close.
   */
  @ParameterizedTest
  @EnumSource(value = DropReason.class, names = {"INVALID", "QUEUE_FULL", "EVICTED", "CLOSED", "SHUTDOWN", "CLEARED",
      "ENGINE_DISCONNECTED"})
  void anItemTheHandlerDropsSettlesItsUpstreamForEveryReasonButShutdown(DropReason reason) {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(idle(), item -> {
      throw new ItemDroppedException(reason, "dropped here");
    })) {
      offer(handler, 1, upstream("one"));
      offer(handler, 2, () -> settled.add("two, dropped=" + handler.stats().dropped(reason)));
      handler.start();
      until("both dropped", () -> handler.stats().dropped(reason) == 2);
      if (reason == DropReason.SHUTDOWN) {
        assertThat(settled).as("abandoned: a source upstream replays it").isEmpty();
      } else {
        until("both settled", () -> settled.size() == 2);
        assertThat(settled).as("counted before settled").containsExactly("one", "two, dropped=2");
      }
      assertBalanced(handler);
    }
  }

  @Test
  void aSettlementThatThrowsIsContainedAndTheHandlerGoesOn() {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(idle(), i -> null)) {
      handler.offer(1, Map.of(), Duration.ZERO, null, () -> {
        throw new IllegalStateException("upstream broke");
      });
      offer(handler, 2, upstream("two"));
      handler.start();
      until("the second settled", () -> settled.size() == 1);
      assertThat(handler.stats().processedCount()).isEqualTo(2);
      assertThat(handler.stats().itemErrorCount()).isZero();
      assertBalanced(handler);
    }
  }

  /**
   * Three handlers joined as wires join them: each result is claimed from one, offered to the
   * next with the settle of the result it came from as its upstream. The first result's settle
   * (a Kafka source's commit) runs only once the last reader settles the last result.
   */
  @Test
  void aSettlementTravelsAlongAChainOfThreeHandlersAndReachesTheFirstOnlyWhenTheLastReaderSettles() {
    HandlerConfig config = HandlerConfig.builder().maxQueueSize(8).build();
    try (Recording first = new Recording(config, "first");
        ArchitectureHandler<Integer, Integer> second = TestHandlers.of(config, i -> i + 1);
        ArchitectureHandler<Integer, Integer> third = TestHandlers.of(config, i -> i * 2)) {
      ResultReader<Integer> fromFirst = first.claimResults("wire 1");
      ResultReader<Integer> fromSecond = second.claimResults("wire 2");
      ResultReader<Integer> fromThird = third.claimResults("the end");
      assertThat(first.feed(1)).isTrue();

      TakenResult<Integer> a = fromFirst.take(WAIT).orElseThrow();
      assertThat(second.offer(a.result(), a.extra(), WAIT, null, a::settle).isAccepted()).isTrue();
      TakenResult<Integer> b = fromSecond.take(WAIT).orElseThrow();
      assertThat(third.offer(b.result(), b.extra(), WAIT, null, b::settle).isAccepted()).isTrue();
      TakenResult<Integer> c = fromThird.take(WAIT).orElseThrow();
      assertThat(c.result()).isEqualTo(4);
      assertThat(second.stats().processedCount()).isEqualTo(1);
      assertThat(third.stats().processedCount()).isEqualTo(1);
      assertThat(first.settled).as("every hop accepted and processed, the last result not settled").isEmpty();
      assertThat(a.isSettled()).isFalse();
      assertThat(b.isSettled()).isFalse();

      c.settle();
      assertThat(b.isSettled()).isTrue();
      assertThat(a.isSettled()).isTrue();
      assertThat(first.settled).containsExactly(1);
      assertBalanced(first);
      assertBalanced(second);
      assertBalanced(third);
    }
  }

  /** A handler that records which results were settled, as a Kafka source commits them. */
  private static final class Recording extends ArchitectureHandler<Integer, Integer> {
    final List<Integer> settled = new CopyOnWriteArrayList<>();

    Recording(HandlerConfig config, String name) {
      super(HandlerConfig.builder().name(name).maxQueueSize(config.maxQueueSize()).build());
    }

    @Override
    protected Integer generateResults(Integer item, Map<String, ?> extra) {
      return item;
    }

    @Override
    protected void hookResultSettled(Integer result, Map<String, ?> extra) {
      settled.add(result);
    }
  }
}
