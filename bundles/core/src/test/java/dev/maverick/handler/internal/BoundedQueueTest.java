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
  void offersFollowThePolicyAndEvictionsReachTheSink() {
    LongAdder evicted = new LongAdder();
    List<String> notices = new ArrayList<>();
    BoundedQueue<Integer> queue = new BoundedQueue<>(2, OverflowPolicy.DROP_OLDEST, 0, evicted, () -> notices.add("evicted"));
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
    BoundedQueue<Integer> queue = new BoundedQueue<>(5, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), () -> { });
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
    BoundedQueue<Integer> queue = new BoundedQueue<>(1, OverflowPolicy.BLOCK, 0, new LongAdder(), () -> { });
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
    BoundedQueue<Integer> queue = new BoundedQueue<>(0, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), () -> { });
    LongAdder inFlight = new LongAdder();
    queue.offer(1, null);
    assertThat(queue.poll(0, inFlight)).isEqualTo(1);
    assertThat(inFlight.sum()).isEqualTo(1);
    assertThat(queue.poll(0, inFlight)).isNull();
    assertThat(inFlight.sum()).isEqualTo(1);
  }

  @Test
  void releaseStopsWaitingButStillAcceptsOffers() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(0, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), () -> { });
    CompletableFuture<Integer> waiting = pollInBackground(queue);
    queue.release();
    assertThat(waiting.get(20, TimeUnit.SECONDS)).isNull();
    assertThat(queue.offer(7, null)).isEqualTo(Offer.ACCEPTED);
    assertThat(queue.poll(Long.MAX_VALUE, null)).isEqualTo(7);
  }

  @Test
  void wakeConsumersMakesWaitingPollsReturnNull() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(0, OverflowPolicy.DROP_NEWEST, 0, new LongAdder(), () -> { });
    CompletableFuture<Integer> waiting = pollInBackground(queue);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!waiting.isDone() && System.nanoTime() < deadline) {
      queue.wakeConsumers();
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    assertThat(waiting.get(1, TimeUnit.SECONDS)).isNull();
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
}
