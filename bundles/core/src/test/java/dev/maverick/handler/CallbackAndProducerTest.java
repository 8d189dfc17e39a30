package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.OverflowPolicyTest.Emitter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Callbacks run on one dedicated thread of their own, in emit order, started on first use; producers
 * publish through publishResult, counted, queued and called back as the worker does.
 */
class CallbackAndProducerTest {

  @Test
  void theCallbackThreadStartsOnFirstEmitEvenWithoutRunAsThread() {
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicReference<String> threadName = new AtomicReference<>();
    HandlerConfig config = HandlerConfig.builder().runAsThread(false).generateResultsCallback((result, extra) -> {
      threadName.set(Thread.currentThread().getName());
      seen.add(result + String.valueOf(extra.get("k")));
      return "ignored";
    }).build();
    try (Emitter handler = new Emitter(config)) {
      assertThat(handler.liveThreads()).isEmpty();
      assertThat(handler.emit("a")).isTrue();
      TestHandlers.until("callback ran", () -> seen.size() == 1);
      assertThat(threadName.get()).isEqualTo(handler.name() + "-callback-1");
      assertThat(handler.stats().callbackThreadAlive()).isTrue();
      assertThat(handler.state()).isEqualTo(HandlerState.IDLE);
    }
  }

  @Test
  void callbacksRunInEmitOrder() {
    List<String> seen = new CopyOnWriteArrayList<>();
    HandlerConfig config = HandlerConfig.builder().runAsThread(false).callbackQueueSize(0)
        .generateResultsCallback((result, extra) -> seen.add((String) result)).build();
    try (Emitter handler = new Emitter(config)) {
      for (int i = 0; i < 1000; i++) {
        handler.emit("r" + i);
      }
      TestHandlers.until("all callbacks", () -> seen.size() == 1000);
      assertThat(seen).isEqualTo(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "r" + i).toList());
      assertBalanced(handler);
    }
  }

  @Test
  void aFailingCallbackCountsAnErrorFiresItsHookAndTheThreadGoesOn() {
    List<String> hooked = new CopyOnWriteArrayList<>();
    HandlerConfig config = HandlerConfig.builder().runAsThread(false).generateResultsCallback((result, extra) -> {
      if (result.equals("bad")) {
        throw new IllegalStateException("callback failed");
      }
      return null;
    }).build();
    try (Emitter handler = new Emitter(config) {
      @Override
      protected void hookOnCallbackError(String result, Map<String, ?> extra, Throwable error) {
        hooked.add(result + ":" + error.getMessage());
      }
    }) {
      handler.emit("bad");
      handler.emit("good");
      TestHandlers.until("both callbacks done", () -> handler.stats().callbacksCompleted() == 1
          && handler.stats().callbackErrorCount() == 1);
      assertThat(hooked).containsExactly("bad:callback failed");
      assertThat(handler.stats().errorCount()).isEqualTo(1);
      assertBalanced(handler);
    }
  }

  @Test
  void emitWithoutACallbackOrWithThreadsDisabledIsACountedDrop() {
    try (Emitter noCallback = new Emitter(HandlerConfig.builder().runAsThread(false).build());
        Emitter disabled = new Emitter(HandlerConfig.builder().disableThread(true)
            .generateResultsCallback((r, e) -> null).build())) {
      assertThat(noCallback.emit("x")).isFalse();
      assertThat(disabled.emit("x")).isFalse();
      assertThat(noCallback.stats().dropped(DropReason.CALLBACK_UNAVAILABLE)).isEqualTo(1);
      assertThat(noCallback.stats().lastDrop()).contains("callback_unavailable: no generate_results_callback is configured");
      assertThat(disabled.stats().lastDrop()).contains("callback_unavailable: threads are disabled (disable_thread=true)");
      assertThat(disabled.liveThreads()).isEmpty();
      assertBalanced(noCallback);
      assertBalanced(disabled);
    }
  }

  @Test
  void closeRunsPendingCallbacksAndLaterEmitsAreCountedClosed() {
    CountDownLatch release = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    HandlerConfig config = HandlerConfig.builder().runAsThread(false).generateResultsCallback((result, extra) -> {
      TestHandlers.await(release);
      return seen.add((String) result);
    }).build();
    Emitter handler = new Emitter(config);
    for (int i = 0; i < 5; i++) {
      handler.emit("r" + i);
    }
    release.countDown();
    handler.close();
    assertThat(seen).hasSize(5);
    assertThat(handler.emit("late")).isFalse();
    assertThat(handler.stats().dropped(DropReason.CALLBACK_CLOSED)).isEqualTo(1);
    assertThat(handler.liveThreads()).isEmpty();
    assertBalanced(handler);
  }

  @Test
  void publishResultQueuesCountsAndSchedulesTheCallback() {
    List<Object> called = new CopyOnWriteArrayList<>();
    HandlerConfig config = HandlerConfig.builder().runAsThread(false)
        .generateResultsCallback((result, extra) -> called.add(result + "/" + extra.get("source"))).build();
    try (Emitter producer = new Emitter(config)) {
      assertThat(producer.publish("heard")).isTrue();
      assertThat(producer.publish(null)).isFalse();
      assertThat(producer.getResult(WAIT)).contains("heard");
      TestHandlers.until("callback", () -> called.size() == 1);
      assertThat(called).containsExactly("heard/test");
      HandlerStats stats = producer.stats();
      assertThat(stats.producedCount()).isEqualTo(2);
      assertThat(stats.processedCount()).isEqualTo(2);
      assertThat(stats.lastResultAt()).isPresent();
      assertThat(stats.lastGenerateAt()).isEmpty();
      assertBalanced(producer);
    }
  }

  @Test
  void publishResultWithoutACallbackDoesNotCountACallbackDrop() {
    try (Emitter producer = new Emitter(HandlerConfig.builder().runAsThread(false).build())) {
      producer.publish("x");
      assertThat(producer.stats().droppedCount()).isZero();
      assertBalanced(producer);
    }
  }

  @Test
  void publishResultIntoAFullFailingResultQueueThrowsToTheProducer() {
    HandlerConfig config = HandlerConfig.builder().runAsThread(false).resultQueueSize(1)
        .resultOverflowPolicy(OverflowPolicy.FAIL).build();
    try (Emitter producer = new Emitter(config)) {
      producer.publish("a");
      assertThatThrownBy(() -> producer.publish("b")).isInstanceOf(QueueFullException.class)
          .hasMessageContaining("result queue full");
      assertThat(producer.stats().dropped(DropReason.RESULT_QUEUE_FULL)).isEqualTo(1);
      assertBalanced(producer);
    }
  }
}
