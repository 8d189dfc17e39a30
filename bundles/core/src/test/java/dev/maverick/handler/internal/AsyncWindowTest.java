package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bound on items under way off the worker, and each item finished exactly once. */
class AsyncWindowTest {

  @Test
  void anAcquireWaitsWhileTheLimitIsReachedUntilASlotIsReleased() throws Exception {
    AtomicInteger limit = new AtomicInteger(2);
    AsyncWindow<String> window = new AsyncWindow<>(limit::get);
    window.acquire();
    window.started("a");
    window.acquire();
    window.started("b");
    CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
      try {
        window.acquire();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Parts.until(() -> window.underWay() == 2 && !third.isDone());
    assertThat(third).as("two under way: the third waits").isNotDone();
    assertThat(window.claim("a")).isTrue();
    window.release();
    third.get(20, TimeUnit.SECONDS);
    assertThat(window.underWay()).isEqualTo(2);
  }

  @Test
  void theCloseWaitsForItemsUnderWayThenAbandonsWhatIsLeftAndALateCompletionClaimsNothing() {
    AsyncWindow<String> window = new AsyncWindow<>(() -> 10);
    for (String item : List.of("a", "b")) {
      try {
        window.acquire();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      window.started(item);
    }
    assertThat(window.claim("a")).isTrue();
    window.release();
    assertThat(window.awaitFinished(System.nanoTime())).as("b is still under way").isFalse();
    assertThat(window.abandonAll()).containsExactly("b");
    assertThat(window.claim("b")).as("abandoned: its completion finishes nothing").isFalse();
    assertThat(window.underWay()).isZero();
    assertThat(window.awaitFinished(System.nanoTime())).isTrue();
  }

  /** Completions racing the close: every item is finished by exactly one of them. */
  @Test
  void eachItemIsClaimedByItsCompletionOrAbandonedByTheCloseNeverBoth() throws Exception {
    for (int round = 0; round < 200; round++) {
      AsyncWindow<Integer> window = new AsyncWindow<>(() -> 100);
      List<Integer> items = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        window.acquire();
        Integer item = i;
        window.started(item);
        items.add(item);
      }
      ConcurrentLinkedQueue<Integer> claimed = new ConcurrentLinkedQueue<>();
      CompletableFuture<Void> completions = CompletableFuture.runAsync(() -> {
        for (Integer item : items) {
          if (window.claim(item)) {
            claimed.add(item);
            window.release();
          }
        }
      });
      List<Integer> abandoned = window.abandonAll();
      completions.get(20, TimeUnit.SECONDS);
      assertThat(claimed.size() + abandoned.size()).isEqualTo(50);
      java.util.Set<Integer> both = new java.util.HashSet<>(claimed);
      both.retainAll(abandoned);
      assertThat(both).isEmpty();
      assertThat(window.underWay()).isZero();
    }
  }
}
