package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static dev.maverick.handler.TestHandlers.drainResults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.OverflowPolicyTest.Emitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** close() stops intake, drains, counts leftovers, runs pending callbacks and ends every thread. */
class CloseTest {

  @Test
  void closeDrainsQueuedItemsAndResultsStayReadable() {
    CountDownLatch gate = new CountDownLatch(1);
    // queues far larger than the late feeds below can fill, so that every late feed that is
    // refused is refused because intake stopped, and every accepted one has room for its result
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.gated(
        HandlerConfig.builder().maxQueueSize(50_000).resultQueueSize(50_001).build(), gate);
    for (int i = 0; i < 50; i++) {
      handler.feed(i);
    }
    CompletableFuture<Void> closing = handler.closeAsync();
    TestHandlers.until("closing", () -> handler.state() == HandlerState.CLOSING);
    // intake stops right after shutDown() (producers may feed their last items until then): a
    // feed in that window, however long a busy machine makes it, is accepted and drained like
    // the others; one late feed per poll keeps their number far below the capacity
    int[] lateButAccepted = {0};
    TestHandlers.until("intake stopped", () -> {
      if (handler.feed(99)) {
        lateButAccepted[0]++;
        return false;
      }
      return true;
    });
    gate.countDown();
    closing.join();
    assertThat(handler.state()).isEqualTo(HandlerState.CLOSED);
    int accepted = 50 + lateButAccepted[0];
    assertThat(drainResults(handler, accepted)).hasSize(accepted);
    assertThat(handler.getResult(WAIT)).as("closed and empty: returns at once").isEmpty();
    HandlerStats stats = handler.stats();
    assertThat(stats.processedCount()).isEqualTo(accepted);
    assertThat(stats.dropped(DropReason.CLOSED)).isEqualTo(1);
    assertThat(stats.dropped(DropReason.SHUTDOWN)).isZero();
    assertBalanced(handler);
  }

  @Test
  void itemsLeftAfterShutdownTimeoutAreCountedAsShutdownDrops() {
    CountDownLatch never = new CountDownLatch(1);
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(
        HandlerConfig.builder().shutdownTimeout(Duration.ofMillis(100)).build(), item -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted by close", e);
          }
          return item;
        });
    for (int i = 0; i < 10; i++) {
      handler.feed(i);
    }
    TestHandlers.until("first item in flight", () -> handler.stats().inFlight() == 1);
    handler.close();
    // close() gives the interrupted worker a grace second; a busy machine may need longer
    TestHandlers.until("the interrupted worker ended", () -> handler.liveThreads().isEmpty());
    HandlerStats stats = handler.stats();
    assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(9);
    assertThat(stats.itemErrorCount()).as("the in-flight item was interrupted").isEqualTo(1);
    assertThat(stats.lastDrop()).contains("shutdown: 9 at once");
    assertThat(handler.liveThreads()).isEmpty();
    assertBalanced(handler);
  }

  @Test
  void withoutAWorkerQueuedItemsAreDroppedAtCloseAndCounted() {
    ArchitectureHandler<Integer, Integer> handler =
        TestHandlers.of(HandlerConfig.builder().disableThread(true).build(), i -> i);
    handler.feed(1);
    handler.feed(2);
    handler.close();
    assertThat(handler.stats().dropped(DropReason.SHUTDOWN)).isEqualTo(2);
    assertBalanced(handler);
  }

  @Test
  void noThreadIsLeftAfterClose() throws Exception {
    List<Thread> before = handlerThreadsInJvm();
    HandlerConfig config = HandlerConfig.builder().name("threads-test").workerThreads(3)
        .generateResultsCallback((r, e) -> r).build();
    Emitter handler = new Emitter(config);
    handler.feed("a");
    handler.emit("b");
    handler.feedAsync("c", Map.of()).get(20, TimeUnit.SECONDS);
    handler.getResultAsync(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    assertThat(handlerThreadsInJvm()).extracting(Thread::getName)
        .contains("threads-test-worker-1", "threads-test-worker-2", "threads-test-worker-3",
            "threads-test-callback-1", "threads-test-async-1");
    handler.close();
    assertThat(handler.liveThreads()).isEmpty();
    List<Thread> after = handlerThreadsInJvm();
    after.removeAll(before);
    assertThat(after).as("threads named after the handler, alive after close").isEmpty();
  }

  private static List<Thread> handlerThreadsInJvm() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("threads-test-"))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  @Test
  void closeIsIdempotentAndFinal() {
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(HandlerConfig.defaults(), i -> i);
    handler.feed(1);
    handler.close();
    handler.close();
    handler.closeAsync().join();
    assertThat(handler.state()).isEqualTo(HandlerState.CLOSED);
    assertThatThrownBy(handler::start).isInstanceOf(HandlerClosedException.class).hasMessageContaining("close() is final");
    assertThatThrownBy(() -> handler.generate(1)).isInstanceOf(HandlerClosedException.class);
    assertThatThrownBy(() -> handler.reconfigure(HandlerConfig.defaults())).isInstanceOf(HandlerClosedException.class);
    assertThat(handler.feed(2)).isFalse();
    assertThat(handler.stats().dropped(DropReason.CLOSED)).isEqualTo(2);
    assertBalanced(handler);
  }

  @Test
  void concurrentClosesAllReturnAfterTheHandlerIsClosed() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.gated(HandlerConfig.defaults(), gate);
    handler.feed(1);
    List<CompletableFuture<HandlerState>> closers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      closers.add(CompletableFuture.supplyAsync(() -> {
        handler.close();
        return handler.state();
      }));
    }
    gate.countDown();
    for (CompletableFuture<HandlerState> closer : closers) {
      assertThat(closer.get(20, TimeUnit.SECONDS)).isEqualTo(HandlerState.CLOSED);
    }
  }

  @Test
  void closeFromInsideTheWorkerDoesNotDeadlock() throws Exception {
    CompletableFuture<ArchitectureHandler<Integer, Integer>> self = new CompletableFuture<>();
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(HandlerConfig.defaults(), item -> {
      self.join().close();
      return item;
    });
    self.complete(handler);
    handler.feed(1);
    TestHandlers.until("the worker began the close",
        () -> handler.state() == HandlerState.CLOSING || handler.state() == HandlerState.CLOSED);
    assertThat(handler.closeAsync()).as("the close has finished").succeedsWithin(WAIT);
    TestHandlers.until("worker ended", () -> handler.liveThreads().isEmpty());
    assertThat(handler.getResult(Duration.ZERO)).contains(1);
    assertBalanced(handler);
  }

  @Test
  void shutDownHookRunsFirstSoProducersStopBeforeIntakeCloses() {
    List<String> order = new ArrayList<>();
    ArchitectureHandler<Integer, Integer> handler = new ArchitectureHandler<>(HandlerConfig.defaults()) {
      @Override
      protected Integer generateResults(Integer item, Map<String, ?> extra) {
        return item;
      }

      @Override
      protected void shutDown() {
        order.add("shutDown:" + state() + ":" + feed(5));
      }
    };
    handler.start();
    handler.close();
    assertThat(order).containsExactly("shutDown:CLOSING:true");
    assertThat(handler.stats().processedCount()).as("the producer's last item was drained").isEqualTo(1);
  }
}
