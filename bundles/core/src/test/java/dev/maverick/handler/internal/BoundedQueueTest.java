package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.internal.BoundedQueue.Offer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class BoundedQueueTest {

  @Test
  void aWakeUpSinceTheGenerationWasReadEndsThePollAtOnceAndAnElementStillComesFirst() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(4, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), evicted -> { });
    long generation = queue.wakeGeneration();
    queue.wakeConsumers(); // meant for a consumer that has read the generation but not yet polled
    CompletableFuture<Integer> missed = CompletableFuture.supplyAsync(() -> pollWithoutLimit(queue, generation));
    assertThat(missed.get(20, TimeUnit.SECONDS)).as("returned at once, not after the next element").isNull();
    queue.offer(7, null);
    assertThat(pollWithoutLimit(queue, generation)).isEqualTo(7);
  }

  private static Integer pollWithoutLimit(BoundedQueue<Integer> queue, long generation) {
    try {
      return queue.poll(Long.MAX_VALUE, null, generation);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void offersFollowThePolicyAndEvictionsReachTheSink() {
    LongAdder evicted = new LongAdder();
    List<String> notices = new ArrayList<>();
    BoundedQueue<Integer> queue = new BoundedQueue<>(2, OverflowPolicy.DROP_OLDEST, 0, evicted, element -> notices.add("evicted"));
    assertThat(queue.offer(1, null)).isEqualTo(Offer.ACCEPTED);
    assertThat(queue.offer(2, null)).isEqualTo(Offer.ACCEPTED);
    assertThat(queue.offer(3, null)).isEqualTo(Offer.ACCEPTED_EVICTING);
    assertThat(evicted.sum()).isEqualTo(1);
    assertThat(notices).containsExactly("evicted");
    queue.reconfigure(2, OverflowPolicy.FAIL, 0);
    assertThat(queue.offer(4, null)).isEqualTo(Offer.REJECTED_FAIL);
    queue.reconfigure(2, OverflowPolicy.DROP_NEWEST, 0);
    assertThat(queue.offer(4, null)).isEqualTo(Offer.REJECTED);
    LongAdder drained = new LongAdder();
    assertThat(queue.drain(drained)).containsExactly(2, 3);
    assertThat(drained.sum()).isEqualTo(2);
  }

  @Test
  void aSmallerCapacityKeepsTheSurplusAndRefusesNewElementsUntilDrained() {
    BoundedQueue<Integer> queue = new BoundedQueue<>(5, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), evicted -> { });
    for (int i = 0; i < 5; i++) {
      queue.offer(i, null);
    }
    queue.reconfigure(2, OverflowPolicy.DROP_NEWEST, 0);
    assertThat(queue.size()).isEqualTo(5);
    assertThat(queue.offer(9, null)).isEqualTo(Offer.REJECTED);
    for (int i = 0; i < 4; i++) {
      queue.poll();
    }
    assertThat(queue.offer(9, null)).isEqualTo(Offer.ACCEPTED);
  }

  @Test
  void closeRefusesOffersWakesBlockedProducersAndLetsConsumersDrain() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(1, OverflowPolicy.BLOCK, 0, new LongAdder(), evicted -> { });
    queue.offer(1, null);
    CompletableFuture<Offer> blocked = CompletableFuture.supplyAsync(() -> queue.offer(2, null));
    queue.close();
    assertThat(blocked.get(20, TimeUnit.SECONDS)).isEqualTo(Offer.CLOSED);
    assertThat(queue.offer(3, null)).isEqualTo(Offer.CLOSED);
    assertThat(queue.poll(Long.MAX_VALUE, null)).isEqualTo(1);
    assertThat(queue.poll(Long.MAX_VALUE, null)).as("closed and empty: no wait").isNull();
  }

  @Test
  void aTakenElementIsCountedInItsNextPlaceBeforeTheLockIsReleased() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(0, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), evicted -> { });
    LongAdder inFlight = new LongAdder();
    queue.offer(1, null);
    assertThat(queue.poll(0, inFlight)).isEqualTo(1);
    assertThat(inFlight.sum()).isEqualTo(1);
    assertThat(queue.poll(0, inFlight)).isNull();
    assertThat(inFlight.sum()).isEqualTo(1);
  }

  @Test
  void releaseStopsWaitingButStillAcceptsOffers() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(0, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), evicted -> { });
    CompletableFuture<Integer> waiting = pollInBackground(queue);
    queue.release();
    assertThat(waiting.get(20, TimeUnit.SECONDS)).isNull();
    assertThat(queue.offer(7, null)).isEqualTo(Offer.ACCEPTED);
    assertThat(queue.poll(Long.MAX_VALUE, null)).isEqualTo(7);
  }

  @Test
  void wakeConsumersMakesWaitingPollsReturnNull() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(0, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), evicted -> { });
    CompletableFuture<Integer> waiting = pollInBackground(queue);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!waiting.isDone() && System.nanoTime() < deadline) {
      queue.wakeConsumers();
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    assertThat(waiting.get(1, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void aFullQueueThatIsClosedSaysClosedWhateverThePolicy() {
    for (OverflowPolicy policy : OverflowPolicy.values()) {
      BoundedQueue<Integer> queue = new BoundedQueue<>(1, policy, 1, new LongAdder(), evicted -> { });
      assertThat(queue.offer(1, null)).isEqualTo(Offer.ACCEPTED);
      queue.close();
      assertThat(queue.isClosed()).isTrue();
      assertThat(queue.offer(2, null)).as("%s", policy).isEqualTo(Offer.CLOSED);
      assertThat(queue.size()).isEqualTo(1);
      assertThat(queue.capacity()).isEqualTo(1);
    }
  }

  /**
   * Four producers hammer a small drop_newest queue (most offers are refused without the lock)
   * while a consumer takes and an observer reads the counters as stats() does: accepted first,
   * then the size, then what was taken. Nothing is lost, and the observer never sees an element
   * in no place at all.
   */
  @Test
  void producersOnAFullQueueLoseNothingAndAnObserverNeverMissesAnElement() throws Exception {
    BoundedQueue<Long> queue = new BoundedQueue<>(8, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), evicted -> { });
    LongAdder accepted = new LongAdder();
    LongAdder refused = new LongAdder();
    LongAdder taken = new LongAdder();
    int perProducer = 200_000;
    Thread[] producers = new Thread[4];
    for (int p = 0; p < producers.length; p++) {
      producers[p] = new Thread(() -> {
        for (long i = 0; i < perProducer; i++) {
          if (queue.offer(i, accepted) == Offer.REJECTED) {
            refused.increment();
          }
        }
      });
    }
    Thread consumer = new Thread(() -> {
      try {
        while (queue.poll(Long.MAX_VALUE, taken) != null) {
          // taken counts it
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    java.util.concurrent.atomic.AtomicBoolean producing = new java.util.concurrent.atomic.AtomicBoolean(true);
    long[] missed = new long[1];
    long[] observations = new long[1];
    Thread observer = new Thread(() -> {
      while (producing.get()) {
        long in = accepted.sum();
        long queued = queue.size();
        long out = taken.sum();
        if (in > queued + out) {
          missed[0]++;
        }
        observations[0]++;
      }
    });
    consumer.start();
    observer.start();
    for (Thread producer : producers) {
      producer.start();
    }
    for (Thread producer : producers) {
      producer.join();
    }
    producing.set(false);
    observer.join();
    queue.close(); // the consumer takes what is left, then poll returns null
    consumer.join();
    assertThat(accepted.sum() + refused.sum()).isEqualTo(4L * perProducer);
    assertThat(refused.sum()).isPositive();
    assertThat(taken.sum()).isEqualTo(accepted.sum());
    assertThat(queue.size()).isZero();
    assertThat(missed[0]).as("observations that missed an element, of %d", observations[0]).isZero();
  }

  private static CompletableFuture<Integer> pollInBackground(BoundedQueue<Integer> queue) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return queue.poll(Long.MAX_VALUE, null);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void offerWaitingIgnoresThePolicyNeverEvictsAndCountsOnlyWhatItQueues() throws Exception {
    LongAdder evicted = new LongAdder();
    LongAdder accepted = new LongAdder();
    for (OverflowPolicy policy : OverflowPolicy.values()) {
      BoundedQueue<Integer> queue = new BoundedQueue<>(1, policy, 0, evicted, element -> { });
      assertThat(queue.offerWaiting(1, 0, accepted)).isEqualTo(Offer.ACCEPTED);
      assertThat(queue.offerWaiting(2, 0, accepted)).as(policy + ", no wait").isEqualTo(Offer.REJECTED);
      assertThat(queue.offerWaiting(2, TimeUnit.MILLISECONDS.toNanos(5), accepted)).isEqualTo(Offer.REJECTED);
      assertThat(queue.size()).isEqualTo(1);
      CompletableFuture<Offer> waiting = CompletableFuture.supplyAsync(() -> queue.offerWaiting(3, Long.MAX_VALUE, accepted));
      assertThat(queue.poll()).isEqualTo(1);
      assertThat(waiting.get(20, TimeUnit.SECONDS)).isEqualTo(Offer.ACCEPTED);
      assertThat(queue.poll()).isEqualTo(3);
      queue.close();
      assertThat(queue.offerWaiting(4, Long.MAX_VALUE, accepted)).isEqualTo(Offer.CLOSED);
    }
    assertThat(evicted.sum()).isZero();
    assertThat(accepted.sum()).isEqualTo(2L * OverflowPolicy.values().length);
  }

  @Test
  void drainToTakesUpToMaxInOrderCountsThemAndWakesBlockedProducers() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(3, OverflowPolicy.BLOCK, 0, new LongAdder(), evicted -> { });
    for (int i = 1; i <= 3; i++) {
      queue.offer(i, null);
    }
    CompletableFuture<Offer> blocked = CompletableFuture.supplyAsync(() -> queue.offer(4, null));
    List<String> into = new ArrayList<>();
    LongAdder taken = new LongAdder();
    assertThat(queue.drainTo(into, 2, i -> "#" + i, taken)).isEqualTo(2);
    assertThat(into).containsExactly("#1", "#2");
    assertThat(taken.sum()).isEqualTo(2);
    assertThat(blocked.get(20, TimeUnit.SECONDS)).isEqualTo(Offer.ACCEPTED);
    assertThat(queue.drainTo(into, 10, i -> "#" + i, taken)).isEqualTo(2);
    assertThat(into).containsExactly("#1", "#2", "#3", "#4");
    assertThat(queue.drainTo(into, 10, i -> "#" + i, taken)).isZero();
    assertThat(queue.drainTo(into, 0, i -> "#" + i, taken)).isZero();
    assertThat(taken.sum()).isEqualTo(4);
    assertThat(queue.size()).isZero();
  }

  @Test
  void aBatchPollTakesWhatIsQueuedUpToTheMostAskedInOrderAndCountsIt() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(8, OverflowPolicy.BLOCK, 0, new LongAdder(), evicted -> { });
    for (int i = 0; i < 5; i++) {
      queue.offer(i, null);
    }
    List<Integer> batch = new ArrayList<>();
    LongAdder taken = new LongAdder();
    assertThat(queue.pollBatch(batch, 3, 0, taken::add, queue.wakeGeneration())).isEqualTo(3);
    assertThat(queue.pollBatch(batch, 3, 0, taken::add, queue.wakeGeneration())).isEqualTo(2);
    assertThat(queue.pollBatch(batch, 3, 0, taken::add, queue.wakeGeneration())).as("empty: no wait").isZero();
    assertThat(batch).containsExactly(0, 1, 2, 3, 4);
    assertThat(taken.sum()).isEqualTo(5);
    assertThat(queue.size()).isZero();
  }

  @Test
  void offeringABatchFollowsThePolicyForEachElementUnderOneLock() {
    LongAdder evictions = new LongAdder();
    List<Integer> evicted = new ArrayList<>();
    BoundedQueue<Integer> queue = new BoundedQueue<>(3, OverflowPolicy.DROP_NEWEST, 0, evictions, evicted::add);
    Integer[] batch = {1, 2, 3, 4, 5};
    Offer[] outcomes = new Offer[batch.length];
    LongAdder accepted = new LongAdder();
    queue.offerAll(batch, batch.length, outcomes, accepted);
    assertThat(outcomes).containsExactly(Offer.ACCEPTED, Offer.ACCEPTED, Offer.ACCEPTED, Offer.REJECTED,
        Offer.REJECTED);
    assertThat(accepted.sum()).isEqualTo(3);
    queue.reconfigure(3, OverflowPolicy.DROP_OLDEST, 0);
    queue.offerAll(new Integer[] {6, 7}, 2, outcomes, accepted);
    assertThat(outcomes[0]).isEqualTo(Offer.ACCEPTED_EVICTING);
    assertThat(evicted).containsExactly(1, 2);
    assertThat(evictions.sum()).isEqualTo(2);
    assertThat(queue.drain(null)).containsExactly(3, 6, 7);
  }
}
