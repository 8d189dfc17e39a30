package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One exclusive reader of a handler's results: it takes them in production order with their
 * extras and settles each when done; meanwhile nobody else reads them.
 */
class ResultReaderTest {

  /** Records every settled result with its extras; a producer can publish. */
  static final class Settling extends ArchitectureHandler<String, String> {
    final List<String> settled = new CopyOnWriteArrayList<>();
    final List<String> afterResult = new CopyOnWriteArrayList<>();

    Settling(HandlerConfig config) {
      super(config);
    }

    @Override
    protected String generateResults(String item, Map<String, ?> extra) {
      return item.toUpperCase();
    }

    @Override
    protected void hookResultSettled(String result, Map<String, ?> extra) {
      settled.add(result + extra);
    }

    @Override
    protected void hookAfterResult(String result) {
      afterResult.add(result + " after " + settled.size() + " settled");
    }

    boolean publish(String result, Map<String, ?> extra) {
      return publishResult(result, extra);
    }
  }

  private static Settling handler(String name) {
    return new Settling(HandlerConfig.builder().name(name).build());
  }

  @Test
  void whileClaimedGetResultAndAnotherClaimAreRefusedNamingTheReader() {
    try (Settling handler = handler("stt")) {
      assertThat(handler.resultReader()).isEmpty();
      ResultReader<String> reader = handler.claimResults("wire 'voice'");
      assertThat(handler.resultReader()).contains("wire 'voice'");
      assertThat(handler.stats().resultReader()).contains("wire 'voice'");
      assertThat(handler.stats().toMap()).containsEntry("result_reader", "wire 'voice'");
      assertThatThrownBy(() -> handler.getResult(Duration.ZERO)).isInstanceOf(ResultsClaimedException.class)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the results of 'stt' are read by wire 'voice'");
      assertThatThrownBy(() -> handler.getResultAsync(Duration.ZERO)).isInstanceOf(ResultsClaimedException.class)
          .hasMessage("the results of 'stt' are read by wire 'voice'");
      assertThatThrownBy(() -> handler.claimResults("wire 'other'")).isInstanceOf(ResultsClaimedException.class)
          .hasMessage("the results of 'stt' are read by wire 'voice'")
          .satisfies(e -> assertThat(((ResultsClaimedException) e).reader()).isEqualTo("wire 'voice'"));
      reader.close();
      reader.close(); // idempotent
      assertThat(handler.resultReader()).isEmpty();
      assertThat(handler.getResult(Duration.ZERO)).isEmpty();
      handler.claimResults("wire 'other'").close();
    }
  }

  @Test
  void theReaderTakesResultsInProductionOrderWithTheirExtrasAndSettlesEachOnce() {
    try (Settling handler = handler("ordered"); ResultReader<String> reader = handler.claimResults("test")) {
      for (int i = 0; i < 20; i++) {
        assertThat(handler.feed("r" + i, Map.of("n", i))).isTrue();
      }
      List<TakenResult<String>> taken = new ArrayList<>();
      while (taken.size() < 20) {
        taken.add(reader.take(WAIT).orElseThrow());
      }
      for (int i = 0; i < 20; i++) {
        assertThat(taken.get(i).result()).isEqualTo("R" + i);
        assertThat(taken.get(i).extra()).isEqualTo(Map.of("n", i));
      }
      assertThat(handler.stats().resultsTaken()).isEqualTo(20);
      assertThat(handler.stats().resultsUnsettled()).isEqualTo(20);
      assertThat(handler.settled).isEmpty();
      taken.get(0).settle();
      taken.get(0).settle();
      assertThat(taken.get(0).isSettled()).isTrue();
      assertThat(handler.settled).containsExactly("R0{n=0}");
      taken.forEach(TakenResult::settle);
      assertThat(handler.settled).hasSize(20);
      assertThat(handler.stats().resultsUnsettled()).isZero();
      assertThat(handler.afterResult).as("hookAfterResult is getResult's").isEmpty();
      assertBalanced(handler);
    }
  }

  @Test
  void takeWaitsUpToItsTimeoutAndDrainToTakesWhatIsQueuedWithoutWaiting() throws Exception {
    HandlerConfig config = HandlerConfig.builder().name("drained").runAsThread(false).build();
    try (Settling handler = new Settling(config); ResultReader<String> reader = handler.claimResults("test")) {
      List<TakenResult<String>> batch = new ArrayList<>();
      assertThat(reader.drainTo(batch, 10)).as("nothing queued: returns at once").isZero();
      assertThat(reader.take(Duration.ZERO)).isEmpty();
      assertThat(reader.take(Duration.ofMillis(20))).isEmpty();
      for (int i = 0; i < 5; i++) {
        handler.publish("p" + i, Map.of());
      }
      assertThat(reader.drainTo(batch, 3)).isEqualTo(3);
      assertThat(reader.drainTo(batch, 10)).isEqualTo(2);
      assertThat(batch).extracting(TakenResult::result).containsExactly("p0", "p1", "p2", "p3", "p4");
      assertThat(handler.stats().resultsTaken()).isEqualTo(5);
      assertThat(handler.stats().resultQueueSize()).isZero();
      CompletableFuture<Optional<TakenResult<String>>> waiting =
          CompletableFuture.supplyAsync(() -> reader.take(WAIT));
      TestHandlers.until("the reader waits", () -> !waiting.isDone());
      handler.publish("late", Map.of("k", "v"));
      TakenResult<String> late = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();
      assertThat(late.result()).isEqualTo("late");
      assertThat(late.extra()).isEqualTo(Map.of("k", "v"));
      assertThatThrownBy(() -> reader.drainTo(batch, -1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> reader.take(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
      assertBalanced(handler);
    }
  }

  @Test
  void releasingTheClaimLeavesUntakenResultsQueuedAndTakenOnesSettleable() {
    HandlerConfig config = HandlerConfig.builder().name("released").runAsThread(false).build();
    try (Settling handler = new Settling(config)) {
      handler.publish("a", Map.of());
      handler.publish("b", Map.of());
      handler.publish("c", Map.of());
      ResultReader<String> reader = handler.claimResults("first");
      TakenResult<String> a = reader.take(Duration.ZERO).orElseThrow();
      reader.close();
      assertThat(reader.isOpen()).isFalse();
      assertThatThrownBy(() -> reader.take(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      ResultReader<String> next = handler.claimResults("second");
      assertThat(next.take(Duration.ZERO).map(TakenResult::result)).contains("b");
      next.close();
      assertThat(handler.getResult(Duration.ZERO)).as("untaken, still queued").contains("c");
      assertThat(handler.settled).as("getResult settles at once").containsExactly("c{}");
      assertThat(handler.afterResult).containsExactly("c after 1 settled");
      a.settle();
      assertThat(handler.settled).containsExactly("c{}", "a{}");
      assertThat(handler.stats().resultsUnsettled()).as("b, taken and never settled").isEqualTo(1);
      assertBalanced(handler);
    }
  }

  @Test
  void takenButUnsettledResultsParkedForASuccessorAreSettledByIt() {
    String key = "wire-" + UUID.randomUUID();
    HandlerConfig config = HandlerConfig.builder().name("source").runAsThread(false).build();
    try (Settling source = new Settling(config)) {
      source.publish("x", Map.of("offset", 7));
      source.publish("y", Map.of("offset", 8));
      ResultReader<String> first = source.claimResults("wire 'w' (old)");
      List<TakenResult<String>> inHand = new ArrayList<>();
      first.drainTo(inHand, 10);
      // the old reader goes away, its results in hand parked for its successor
      first.close();
      Handover.park(key, "wire 'w'", inHand, Duration.ofMinutes(1), expired -> { });
      ResultReader<String> second = source.claimResults("wire 'w' (new)");
      List<Object> claimed = Handover.claim(key);
      assertThat(claimed).hasSize(2);
      for (Object parked : claimed) {
        @SuppressWarnings("unchecked")
        TakenResult<String> taken = (TakenResult<String>) parked;
        taken.settle();
      }
      second.close();
      assertThat(source.settled).containsExactly("x{offset=7}", "y{offset=8}");
      assertThat(source.stats().resultsUnsettled()).isZero();
      assertBalanced(source);
    }
  }

  @Test
  void resultsStayReadableByTheReaderAfterClose() {
    Settling handler = handler("closed-reader");
    handler.feed("z");
    TestHandlers.until("result queued", () -> handler.stats().resultQueueSize() == 1);
    handler.close();
    try (ResultReader<String> reader = handler.claimResults("late reader")) {
      assertThat(reader.take(WAIT).map(TakenResult::result)).contains("Z");
      assertThat(reader.take(WAIT)).as("closed and empty: no wait").isEmpty();
    }
    assertBalanced(handler);
  }
}
