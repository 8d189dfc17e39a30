package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.assertBalanced;
import static dev.maverick.handler.TestHandlers.drainResults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A live handler changes queue sizes, policies and workers without losing an item. */
class ReconfigureTest {

  @Test
  void shrinkingTheInputQueueKeepsEveryQueuedItem() {
    CountDownLatch gate = new CountDownLatch(1);
    HandlerConfig big = HandlerConfig.builder().maxQueueSize(100).resultQueueSize(100).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.gated(big, gate)) {
      IntStream.range(0, 60).forEach(handler::feed);
      TestHandlers.until("one in flight", () -> handler.stats().inFlight() == 1);
      handler.reconfigure(big.with(java.util.Map.of("max_queue_size", 10)));
      HandlerStats shrunk = handler.stats();
      assertThat(shrunk.inputQueueCapacity()).isEqualTo(10);
      assertThat(shrunk.inputQueueSize()).isEqualTo(59);
      assertThat(handler.feed(1000)).as("over the new capacity: no room").isFalse();
      gate.countDown();
      List<Integer> results = drainResults(handler, 60);
      assertThat(results).isEqualTo(IntStream.range(0, 60).boxed().toList());
      assertThat(handler.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
      assertBalanced(handler);
    }
  }

  @Test
  void growingTheQueueAndChangingThePolicyApplyToTheNextFeed() {
    HandlerConfig small = HandlerConfig.builder().runAsThread(false).maxQueueSize(1).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(small, i -> i)) {
      handler.feed(1);
      assertThat(handler.feed(2)).isFalse();
      handler.reconfigure(small.with(java.util.Map.of("max_queue_size", "3", "overflow_policy", "drop_oldest")));
      assertThat(handler.feed(2)).isTrue();
      assertThat(handler.feed(3)).isTrue();
      assertThat(handler.feed(4)).isTrue();
      assertThat(handler.stats().dropped(DropReason.EVICTED)).isEqualTo(1);
      handler.start();
      assertThat(drainResults(handler, 3)).containsExactly(2, 3, 4);
      assertBalanced(handler);
    }
  }

  @Test
  void shrinkingTheResultQueueAndChangingItsPolicyKeepsEveryQueuedResult() {
    HandlerConfig roomy = HandlerConfig.builder().resultQueueSize(10)
        .resultOverflowPolicy(OverflowPolicy.DROP_OLDEST).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(roomy, i -> i)) {
      IntStream.range(0, 6).forEach(handler::feed);
      TestHandlers.until("six results queued", () -> handler.stats().resultQueueSize() == 6);
      handler.reconfigure(roomy.with(Map.of("result_queue_size", 2, "result_overflow_policy", "drop_newest")));
      HandlerStats shrunk = handler.stats();
      assertThat(shrunk.resultQueueCapacity()).isEqualTo(2);
      assertThat(shrunk.resultQueueSize()).as("nothing queued is dropped by the change").isEqualTo(6);
      assertThat(shrunk.droppedCount()).isZero();
      // the next result meets the new size and policy: refused (drop_newest), where the old
      // configuration would have queued it (size 10) or evicted the oldest (drop_oldest)
      handler.feed(6);
      TestHandlers.until("result 6 refused", () -> handler.stats().resultsPublished() == 7);
      assertThat(handler.stats().dropped(DropReason.RESULT_QUEUE_FULL)).isEqualTo(1);
      assertThat(handler.stats().dropped(DropReason.RESULT_EVICTED)).isZero();
      assertBalanced(handler);
      assertThat(drainResults(handler, 6)).containsExactly(0, 1, 2, 3, 4, 5);
      // drained, the queue holds two and refuses a third
      IntStream.range(7, 10).forEach(handler::feed);
      TestHandlers.until("three more results published", () -> handler.stats().resultsPublished() == 10);
      assertThat(handler.stats().dropped(DropReason.RESULT_QUEUE_FULL)).isEqualTo(2);
      assertThat(drainResults(handler, 2)).containsExactly(7, 8);
      assertThat(handler.getResult(java.time.Duration.ZERO)).isEmpty();
      assertBalanced(handler);
    }
  }

  @Test
  void shrinkingTheCallbackQueueAndChangingItsPolicyKeepsEveryQueuedCallback() {
    CountDownLatch release = new CountDownLatch(1);
    List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
    HandlerConfig roomy = HandlerConfig.builder().runAsThread(false).callbackQueueSize(10)
        .callbackOverflowPolicy(OverflowPolicy.DROP_OLDEST)
        .generateResultsCallback((result, extra) -> {
          TestHandlers.await(release);
          ran.add((String) result);
          return null;
        }).build();
    try (OverflowPolicyTest.Emitter handler = new OverflowPolicyTest.Emitter(roomy)) {
      assertThat(handler.emit("running")).isTrue();
      TestHandlers.until("first callback running", () -> handler.stats().callbacksRunning() == 1);
      for (int i = 0; i < 5; i++) {
        assertThat(handler.emit("queued" + i)).isTrue();
      }
      handler.reconfigure(roomy.with(Map.of("callback_queue_size", 2, "callback_overflow_policy", "fail")));
      HandlerStats shrunk = handler.stats();
      assertThat(shrunk.callbackQueueCapacity()).isEqualTo(2);
      assertThat(shrunk.callbackQueueSize()).isEqualTo(5);
      // the next task meets the new size and policy: fail, not drop_oldest
      assertThatThrownBy(() -> handler.emit("overflow")).isInstanceOf(QueueFullException.class)
          .hasMessageContaining("callback queue full");
      assertThat(handler.stats().dropped(DropReason.CALLBACK_QUEUE_FULL)).isEqualTo(1);
      assertThat(handler.stats().dropped(DropReason.CALLBACK_EVICTED)).isZero();
      release.countDown();
      TestHandlers.until("all queued callbacks ran", () -> handler.stats().callbacksCompleted() == 6);
      assertThat(ran).containsExactly("running", "queued0", "queued1", "queued2", "queued3", "queued4");
      assertBalanced(handler);
    }
  }

  @Test
  void workerThreadsGrowAndShrinkWhileRunning() {
    HandlerConfig one = HandlerConfig.builder().name("resize").build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(one, i -> i)) {
      handler.start();
      handler.reconfigure(one.with(java.util.Map.of("worker_threads", 4)));
      assertThat(handler.stats().workersAlive()).isEqualTo(4);
      handler.reconfigure(one.with(java.util.Map.of("worker_threads", 2)));
      TestHandlers.until("two retired", () -> handler.stats().workersAlive() == 2);
      IntStream.range(0, 100).forEach(handler::feed);
      assertThat(drainResults(handler, 100)).hasSize(100);
      assertBalanced(handler);
    }
  }

  @Test
  void disablingThreadsStopsTheWorkersAndKeepsTheQueueUntilReEnabled() {
    CountDownLatch gate = new CountDownLatch(1);
    HandlerConfig config = HandlerConfig.builder().build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.gated(config, gate)) {
      IntStream.range(0, 5).forEach(handler::feed);
      TestHandlers.until("one in flight", () -> handler.stats().inFlight() == 1);
      handler.reconfigure(config.with(java.util.Map.of("disable_thread", true)));
      gate.countDown();
      TestHandlers.until("worker retired after its item", () -> handler.stats().workersAlive() == 0);
      assertThat(handler.state()).isEqualTo(HandlerState.IDLE);
      assertThat(handler.stats().inputQueueSize()).isEqualTo(4);
      handler.reconfigure(config);
      handler.start();
      assertThat(drainResults(handler, 5)).containsExactly(0, 1, 2, 3, 4);
      assertBalanced(handler);
    }
  }

  @Test
  void renamingRenamesTheThreadsAndKeepsTheClientId() {
    HandlerConfig config = HandlerConfig.builder().name("before").build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(config, i -> i)) {
      handler.start();
      String clientId = handler.clientId();
      handler.reconfigure(config.with(java.util.Map.of("name", "after")));
      assertThat(handler.name()).isEqualTo("after");
      assertThat(handler.clientId()).isEqualTo(clientId);
      assertThat(handler.liveThreads()).extracting(Thread::getName).containsExactly("after-worker-1");
    }
  }

  @Test
  void configurationChangedSeesBothConfigurations() {
    List<String> seen = new java.util.ArrayList<>();
    HandlerConfig first = HandlerConfig.builder().maxQueueSize(5).build();
    try (ArchitectureHandler<Integer, Integer> handler = new ArchitectureHandler<>(first) {
      @Override
      protected Integer generateResults(Integer item, java.util.Map<String, ?> extra) {
        return item;
      }

      @Override
      protected void configurationChanged(HandlerConfig previous, HandlerConfig current) {
        seen.add(previous.maxQueueSize() + "->" + current.maxQueueSize());
      }
    }) {
      handler.reconfigure(first.with(java.util.Map.of("max_queue_size", 6)));
      assertThat(seen).containsExactly("5->6");
      assertThat(handler.config().maxQueueSize()).isEqualTo(6);
    }
  }
}
