package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.internal.BoundedQueue.Offer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedQueueTest {

  @Test
  void offersFollowThePolicyAndEvictionsReachTheSink() {
    List<Integer> evicted = new ArrayList<>();
    BoundedQueue<Integer> queue = new BoundedQueue<>(2, OverflowPolicy.DROP_OLDEST, 0, evicted::add);
    assertThat(queue.offer(1)).isEqualTo(Offer.ACCEPTED);
    assertThat(queue.offer(2)).isEqualTo(Offer.ACCEPTED);
    assertThat(queue.offer(3)).isEqualTo(Offer.ACCEPTED_EVICTING);
    assertThat(evicted).containsExactly(1);
    queue.reconfigure(2, OverflowPolicy.FAIL, 0);
    assertThat(queue.offer(4)).isEqualTo(Offer.REJECTED_FAIL);
    queue.reconfigure(2, OverflowPolicy.DROP_NEWEST, 0);
    assertThat(queue.offer(4)).isEqualTo(Offer.REJECTED);
    assertThat(queue.drain()).containsExactly(2, 3);
  }

  @Test
  void aSmallerCapacityKeepsTheSurplusAndRefusesNewElementsUntilDrained() {
    BoundedQueue<Integer> queue = new BoundedQueue<>(5, OverflowPolicy.DROP_NEWEST, 0, e -> { });
    for (int i = 0; i < 5; i++) {
      queue.offer(i);
    }
    queue.reconfigure(2, OverflowPolicy.DROP_NEWEST, 0);
    assertThat(queue.size()).isEqualTo(5);
    assertThat(queue.offer(9)).isEqualTo(Offer.REJECTED);
    for (int i = 0; i < 4; i++) {
      queue.poll();
    }
    assertThat(queue.offer(9)).isEqualTo(Offer.ACCEPTED);
  }

  @Test
  void closeRefusesOffersWakesBlockedProducersAndLetsConsumersDrain() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(1, OverflowPolicy.BLOCK, 0, e -> { });
    queue.offer(1);
    CompletableFuture<Offer> blocked = CompletableFuture.supplyAsync(() -> queue.offer(2));
    queue.close();
    assertThat(blocked.get(20, TimeUnit.SECONDS)).isEqualTo(Offer.CLOSED);
    assertThat(queue.offer(3)).isEqualTo(Offer.CLOSED);
    assertThat(queue.poll(Long.MAX_VALUE)).isEqualTo(1);
    assertThat(queue.poll(Long.MAX_VALUE)).as("closed and empty: no wait").isNull();
  }

  @Test
  void releaseStopsWaitingButStillAcceptsOffers() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(0, OverflowPolicy.DROP_NEWEST, 0, e -> { });
    CompletableFuture<Integer> waiting = pollInBackground(queue);
    queue.release();
    assertThat(waiting.get(20, TimeUnit.SECONDS)).isNull();
    assertThat(queue.offer(7)).isEqualTo(Offer.ACCEPTED);
    assertThat(queue.poll(Long.MAX_VALUE)).isEqualTo(7);
  }

  @Test
  void wakeConsumersMakesWaitingPollsReturnNull() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(0, OverflowPolicy.DROP_NEWEST, 0, e -> { });
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
        return queue.poll(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
