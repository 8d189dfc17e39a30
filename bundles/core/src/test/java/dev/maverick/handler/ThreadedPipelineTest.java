package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static dev.maverick.handler.TestHandlers.drainResults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Items go through a bounded input queue, one worker and a bounded result queue, in FIFO order; a
 * handler is ready without start().
 */
class ThreadedPipelineTest {

  @Test
  void readyAfterConstructionWithoutStartAndNoThreadUntilUsed() {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(HandlerConfig.defaults(), i -> i + 1)) {
      assertThat(handler.state()).isEqualTo(HandlerState.IDLE);
      assertThat(handler.liveThreads()).isEmpty();
      assertThat(handler.feed(1)).isTrue();
      assertThat(handler.getResult(WAIT)).contains(2);
      assertThat(handler.state()).isEqualTo(HandlerState.RUNNING);
      assertThat(handler.liveThreads()).extracting(Thread::getName).containsExactly(handler.name() + "-worker-1");
    }
  }

  @Test
  void resultsComeOutInFifoOrderWithOneWorker() {
    try (ArchitectureHandler<Integer, Integer> handler =
        TestHandlers.of(HandlerConfig.builder().maxQueueSize(0).build(), i -> i * 10)) {
      IntStream.range(0, 5_000).forEach(i -> assertThat(handler.feed(i)).isTrue());
      List<Integer> results = drainResults(handler, 5_000);
      assertThat(results).isEqualTo(IntStream.range(0, 5_000).map(i -> i * 10).boxed().toList());
      assertBalanced(handler);
      assertThat(handler.stats().processedCount()).isEqualTo(5_000);
    }
  }

  @Test
  void startIsIdempotentAndKeepsTheSameWorker() {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(HandlerConfig.defaults(), i -> i)) {
      handler.start();
      List<Thread> first = handler.liveThreads();
      handler.start();
      handler.start();
      assertThat(handler.liveThreads()).isEqualTo(first).hasSize(1);
    }
  }

  @Test
  void explicitStartRunsWorkersEvenWithRunAsThreadFalseAsTheSeedDoes() {
    try (ArchitectureHandler<Integer, Integer> handler =
        TestHandlers.of(HandlerConfig.builder().runAsThread(false).build(), i -> -i)) {
      assertThat(handler.feed(3)).isTrue();
      assertThat(handler.getResult(Duration.ZERO)).isEmpty();
      assertThat(handler.state()).isEqualTo(HandlerState.IDLE);
      handler.start();
      assertThat(handler.getResult(WAIT)).contains(-3);
    }
  }

  @Test
  void disableThreadVetoesStartButFeedStillQueues() {
    try (ArchitectureHandler<Integer, Integer> handler =
        TestHandlers.of(HandlerConfig.builder().disableThread(true).build(), i -> i)) {
      handler.start();
      assertThat(handler.state()).isEqualTo(HandlerState.IDLE);
      assertThat(handler.liveThreads()).isEmpty();
      assertThat(handler.feed(1)).isTrue();
      assertThat(handler.stats().inputQueueSize()).isEqualTo(1);
    }
  }

  @Test
  void boundedInputQueueDropsTheNewestByDefault() {
    CountDownLatch gate = new CountDownLatch(1);
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.gated(
        HandlerConfig.builder().maxQueueSize(2).runAsThread(false).build(), gate)) {
      assertThat(handler.feed(1)).isTrue();
      assertThat(handler.feed(2)).isTrue();
      assertThat(handler.feed(3)).isFalse();
      HandlerStats stats = handler.stats();
      assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
      assertThat(stats.droppedCount()).isEqualTo(1);
      assertThat(stats.inputQueueSize()).isEqualTo(2);
      gate.countDown();
      handler.start();
      assertThat(drainResults(handler, 2)).containsExactly(1, 2);
      assertBalanced(handler);
    }
  }

  @Test
  void resultQueueIsBoundedByResultQueueSizeAndCountsItsDrops() {
    try (ArchitectureHandler<Integer, Integer> handler =
        TestHandlers.of(HandlerConfig.builder().maxQueueSize(10).resultQueueSize(2).build(), i -> i)) {
      for (int i = 0; i < 5; i++) {
        handler.feed(i);
      }
      // published is counted after a refused result's drop, processed before its result is queued
      TestHandlers.until("five results published", () -> handler.stats().resultsPublished() == 5);
      HandlerStats stats = handler.stats();
      assertThat(stats.resultQueueSize()).isEqualTo(2);
      assertThat(stats.resultQueueCapacity()).isEqualTo(2);
      assertThat(stats.dropped(DropReason.RESULT_QUEUE_FULL)).isEqualTo(3);
      assertThat(drainResults(handler, 2)).containsExactly(0, 1);
      assertBalanced(handler);
    }
  }

  @Test
  void nullResultIsProcessedButNotQueued() {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(HandlerConfig.defaults(), i -> null)) {
      handler.feed(1);
      TestHandlers.until("processed", () -> handler.stats().processedCount() == 1);
      assertThat(handler.getResult(Duration.ZERO)).isEmpty();
      assertThat(handler.stats().resultsPublished()).isZero();
      assertBalanced(handler);
    }
  }

  @Test
  void extraIsCopiedAndHandedThroughUnchanged() {
    try (ArchitectureHandler<String, Map<String, ?>> handler = new ArchitectureHandler<>(HandlerConfig.defaults()) {
      @Override
      protected Map<String, ?> generateResults(String item, Map<String, ?> extra) {
        return extra;
      }
    }) {
      Map<String, Object> extra = new java.util.HashMap<>(Map.of("tag", 1));
      handler.feed("x", extra);
      extra.put("tag", 2);
      Optional<Map<String, ?>> result = handler.getResult(WAIT);
      assertThat(result).contains(Map.of("tag", 1));
      assertThatThrownBy(() -> result.get().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void getResultRejectsANegativeTimeoutAndPollsWithZero() {
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(HandlerConfig.defaults(), i -> i)) {
      assertThatThrownBy(() -> handler.getResult(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PT-1S");
      assertThat(handler.getResult(Duration.ZERO)).isEmpty();
    }
  }
}
