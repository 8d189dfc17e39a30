package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.OverflowPolicyTest.Emitter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stats count every outcome, drops by reason, queue depths and capacities and timestamps, and
 * show them under the seed's keys.
 */
class StatsTest {

  @Test
  void toMapStartsWithTheSeedsKeysInTheSeedsForm() {
    try (Emitter handler = new Emitter(HandlerConfig.builder().name("s").maxQueueSize(3).runAsThread(false).build())) {
      handler.feed("a");
      Map<String, Object> map = handler.stats().toMap();
      assertThat(List.copyOf(map.keySet()).subList(0, 13)).containsExactly(
          "client_id", "created_at", "last_feed_at", "last_generate_at", "last_result_at", "last_network_call_at",
          "input_queue_size", "result_queue_size", "run_as_thread", "processed_count", "dropped_count",
          "error_count", "network_error_count");
      assertThat(map.get("client_id")).isEqualTo(handler.clientId());
      assertThat(map.get("created_at")).isInstanceOf(Double.class);
      assertThat(map.get("last_feed_at")).isInstanceOf(Double.class);
      assertThat(map.get("last_result_at")).isNull();
      assertThat(map.get("input_queue_size")).isEqualTo(1);
      assertThat(map.get("run_as_thread")).isEqualTo(false);
      assertThat(map).containsEntry("name", "s").containsEntry("state", "idle").containsEntry("input_queue_capacity", 3);
      @SuppressWarnings("unchecked")
      Map<String, Long> byReason = (Map<String, Long>) map.get("dropped_by_reason");
      assertThat(byReason).containsKeys("invalid", "queue_full", "shutdown", "callback_queue_full");
    }
  }

  @Test
  void countersCoverEveryOutcomeAndTheSnapshotIsImmutable() {
    HandlerConfig config = HandlerConfig.builder().expectedType(String.class).maxQueueSize(10).build();
    try (ArchitectureHandler<Object, Object> handler = TestHandlers.of(config, item -> {
      if (item.equals("bad")) {
        throw new IllegalStateException("bad");
      }
      return item;
    })) {
      handler.feed("ok");
      handler.feed("bad");
      handler.feed(1);
      handler.generate("direct");
      assertThat(handler.getResult(WAIT)).contains("ok");
      // the error is counted a moment before the item leaves in-flight
      TestHandlers.until("error", () -> handler.stats().itemErrorCount() == 1 && handler.stats().inFlight() == 0);
      HandlerStats stats = handler.stats();
      assertThat(stats.fedCount()).isEqualTo(3);
      assertThat(stats.acceptedCount()).isEqualTo(2);
      assertThat(stats.generateCount()).isEqualTo(1);
      assertThat(stats.processedCount()).isEqualTo(2);
      assertThat(stats.errorCount()).isEqualTo(1);
      assertThat(stats.droppedCount()).isEqualTo(1);
      assertThat(stats.resultsPublished()).isEqualTo(1);
      assertThat(stats.resultsTaken()).isEqualTo(1);
      assertThat(stats.inputQueueCapacity()).isEqualTo(10);
      assertThat(stats.resultQueueCapacity()).isEqualTo(10);
      assertThat(stats.callbackQueueCapacity()).isEqualTo(128);
      assertThat(stats.isBalanced()).isTrue();
      handler.feed("later");
      assertThat(stats.fedCount()).as("a snapshot does not move").isEqualTo(3);
      assertThatThrownBy(() -> stats.drops().put(DropReason.INVALID, 0L)).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void subclassDetailsAppearAndAFailingDetailsHookIsContained() {
    try (ArchitectureHandler<String, String> handler = new ArchitectureHandler<>(HandlerConfig.defaults()) {
      @Override
      protected Map<String, Object> statsDetails() {
        return Map.of("source_state", "no microphone");
      }
    }) {
      assertThat(handler.stats().details()).containsEntry("source_state", "no microphone");
      assertThat(handler.stats().toMap().get("details")).isEqualTo(Map.of("source_state", "no microphone"));
    }
    try (ArchitectureHandler<String, String> handler = new ArchitectureHandler<>(HandlerConfig.defaults()) {
      @Override
      protected Map<String, Object> statsDetails() {
        throw new IllegalStateException("broken");
      }
    }) {
      assertThat(handler.stats().details()).isEmpty();
    }
  }

  @Test
  void clearFeedEmptiesTheInputQueueCountingEachItem() {
    try (ArchitectureHandler<Integer, Integer> handler =
        TestHandlers.of(HandlerConfig.builder().runAsThread(false).build(), i -> i)) {
      handler.feed(1);
      handler.feed(2);
      assertThat(handler.clearFeed()).isEqualTo(2);
      assertThat(handler.stats().dropped(DropReason.CLEARED)).isEqualTo(2);
      assertThat(handler.stats().isBalanced()).isTrue();
    }
  }

  @Test
  void aHandlerReportsItsCurrentProblemsAsWarningsInItsDetails() {
    java.util.concurrent.atomic.AtomicReference<Object> warnings = new java.util.concurrent.atomic.AtomicReference<>();
    try (ArchitectureHandler<String, String> handler = new ArchitectureHandler<>(HandlerConfig.defaults()) {
      @Override
      protected Map<String, Object> statsDetails() {
        Object now = warnings.get();
        return now == null ? Map.of("state", "fine") : Map.of(HandlerStats.WARNINGS, now);
      }
    }) {
      assertThat(handler.stats().warnings()).isEmpty();
      warnings.set(List.of("disconnected", "broker unreachable"));
      assertThat(handler.stats().warnings()).containsExactly("disconnected", "broker unreachable");
      assertThat(handler.stats().toMap().get("details")).isEqualTo(Map.of("warnings", List.of("disconnected", "broker unreachable")));
      warnings.set("one problem");
      assertThat(handler.stats().warnings()).containsExactly("one problem");
    }
    assertThat(HandlerStats.WARNINGS).isEqualTo("warnings");
  }

  @Test
  void runAsThreadIsTheConfiguredKeyAndTheSeedsRunAsThreadInTheMapIsTheEffectiveOne() {
    HandlerConfig disabled = HandlerConfig.builder().runAsThread(true).disableThread(true).build();
    try (ArchitectureHandler<Object, Object> handler = TestHandlers.of(disabled, item -> item)) {
      HandlerStats stats = handler.stats();
      assertThat(stats.runAsThread()).as("as configured").isTrue();
      assertThat(stats.threaded()).as("run_as_thread && !disable_thread").isFalse();
      assertThat(stats.toMap()).containsEntry("run_as_thread", false);
    }
    try (ArchitectureHandler<Object, Object> handler = TestHandlers.of(HandlerConfig.defaults(), item -> item)) {
      assertThat(handler.stats().runAsThread()).isTrue();
      assertThat(handler.stats().toMap()).containsEntry("run_as_thread", true);
    }
  }
}
