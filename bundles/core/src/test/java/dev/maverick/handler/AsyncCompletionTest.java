package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static dev.maverick.handler.TestHandlers.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A handler whose processing completes later ({@code generateResultsAsync}): the worker goes on,
 * the item stays in flight until its stage completes, at most {@code maxAsyncInFlight} at once, and
 * its end (result, failure, drop, upstream settlement) comes with the stage's completion.
 */
class AsyncCompletionTest {
  private final List<String> settled = new CopyOnWriteArrayList<>();

  /** Hands each item a stage that the test completes; negative items are processed on the worker. */
  private static final class Acking extends ArchitectureHandler<Integer, String> {
    final List<CompletableFuture<String>> stages = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    private final int window;

    Acking(HandlerConfig config, int window) {
      super(config);
      this.window = window;
    }

    @Override
    protected CompletionStage<String> generateResultsAsync(Integer item, Map<String, ?> extra) {
      if (item < 0) {
        return null;
      }
      CompletableFuture<String> stage = new CompletableFuture<>();
      stages.add(stage);
      return stage;
    }

    @Override
    protected String generateResults(Integer item, Map<String, ?> extra) {
      return "sync " + item;
    }

    @Override
    protected String postprocessResult(Integer item, Map<String, ?> extra, String result) {
      return result == null ? null : result + " (item " + item + ")";
    }

    @Override
    protected void hookAfterGenerate(Integer item, Map<String, ?> extra, String result) {
      events.add("after " + item + " on " + Thread.currentThread().getName());
    }

    @Override
    protected int maxAsyncInFlight() {
      return window;
    }

    CompletableFuture<String> stage(int index) {
      until("stage " + index + " started", () -> stages.size() > index);
      return stages.get(index);
    }
  }

  private Runnable upstream(String name) {
    return () -> settled.add(name);
  }

  @Test
  void itemsFinishWhenTheirStagesCompleteInAnyOrderAndTheirUpstreamsSettleThen() throws Exception {
    try (Acking handler = new Acking(HandlerConfig.builder().maxQueueSize(8).build(), 10)) {
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      for (int item = 0; item < 4; item++) {
        handler.offer(item, Map.of("n", item), WAIT, failures::add, upstream("item " + item));
      }
      handler.stage(3); // one worker started all four: it did not wait for a stage
      HandlerStats underWay = handler.stats();
      assertThat(underWay.inFlight()).as("off the worker, still in flight").isEqualTo(4);
      assertThat(underWay.isBalanced()).isTrue();
      assertThat(settled).isEmpty();

      Thread completer = new Thread(() -> handler.stages.get(2).complete("acked"), "completer");
      completer.start();
      completer.join();
      assertThat(handler.getResult(WAIT)).contains("acked (item 2)");
      assertThat(settled).containsExactly("item 2");
      assertThat(handler.events).containsExactly("after 2 on completer");

      handler.stages.get(0).complete(null);
      assertThat(settled).as("no result: settled as it completes").containsExactly("item 2", "item 0");
      handler.stages.get(1).completeExceptionally(new IllegalStateException("broker said no"));
      assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("broker said no"));
      assertThat(settled).containsExactly("item 2", "item 0", "item 1");
      handler.stages.get(3).completeExceptionally(new ItemDroppedException(DropReason.ENGINE_DISCONNECTED, "gone"));
      assertThat(settled).containsExactly("item 2", "item 0", "item 1", "item 3");

      HandlerStats stats = handler.stats();
      assertThat(stats.processedCount()).isEqualTo(2);
      assertThat(stats.itemErrorCount()).isEqualTo(1);
      assertThat(stats.dropped(DropReason.ENGINE_DISCONNECTED)).isEqualTo(1);
      assertThat(stats.inFlight()).isZero();
      handler.feed(-1);
      assertThat(handler.getResult(WAIT)).as("null stage: generateResults on the worker").contains("sync -1 (item -1)");
      assertBalanced(handler);
    }
  }

  @Test
  void noMoreThanMaxAsyncInFlightItemsAreUnderWayAndTheWorkerWaitsForRoom() {
    try (Acking handler = new Acking(HandlerConfig.builder().maxQueueSize(8).build(), 2)) {
      for (int item = 0; item < 5; item++) {
        handler.feed(item);
      }
      // the worker holds the third item, waiting for room; two stay queued
      until("two under way, one waiting, two queued", () -> handler.stats().inFlight() == 3
          && handler.stats().inputQueueSize() == 2);
      assertThat(handler.stages).hasSize(2);
      handler.stages.get(0).complete("a");
      handler.stage(2);
      assertThat(handler.stages).hasSize(3);
      for (int i = 1; i < 5; i++) {
        handler.stage(i).complete("b");
      }
      until("all processed", () -> handler.stats().processedCount() == 5);
      assertBalanced(handler);
    }
  }

  @Test
  void theCloseWaitsForAStageThatCompletesWithinShutdownTimeout() {
    Acking handler = new Acking(HandlerConfig.builder().maxQueueSize(8).shutdownTimeout(WAIT).build(), 10);
    handler.offer(1, Map.of(), WAIT, null, upstream("finished during the close"));
    handler.stage(0);
    CompletableFuture<Void> closing = handler.closeAsync();
    until("closing", () -> handler.state() == HandlerState.CLOSING);
    assertThat(closing).as("the close waits for the stage").isNotDone();
    handler.stages.get(0).complete("in time");
    closing.join();
    assertThat(handler.getResult(WAIT)).contains("in time (item 1)");
    assertThat(settled).containsExactly("finished during the close");
    assertThat(handler.stats().dropped(DropReason.SHUTDOWN)).isZero();
    assertBalanced(handler);
  }

  @Test
  void aStageNotCompletedWithinShutdownTimeoutIsAbandonedUnsettledAndItsLateCompletionChangesNothing() {
    Acking handler = new Acking(HandlerConfig.builder().maxQueueSize(8).shutdownTimeout(Duration.ZERO).build(), 10);
    handler.offer(1, Map.of(), WAIT, null, upstream("abandoned"));
    handler.stage(0);
    handler.close();
    HandlerStats stats = handler.stats();
    assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(1);
    assertThat(stats.inFlight()).isZero();
    handler.stages.get(0).complete("too late");
    assertThat(handler.stats().processedCount()).isZero();
    assertThat(handler.getResult(Duration.ZERO)).isEmpty();
    assertThat(settled).as("abandoned: a source upstream replays it").isEmpty();
    assertBalanced(handler);
  }

  @Test
  void generateWaitsForTheStageOnTheCallersThread() {
    try (Acking handler = new Acking(HandlerConfig.builder().runAsThread(false).build(), 10)) {
      CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> handler.generate(7));
      handler.stage(0).complete("done");
      assertThat(result).succeedsWithin(WAIT).isEqualTo("done (item 7)");
      assertThat(handler.stats().generateCount()).isEqualTo(1);
      assertBalanced(handler);
    }
  }
}
