package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle calls that meet in the moments between two steps of another: each test holds one
 * call at the step where it used to go wrong, so the interleaving happens every run.
 */
class LifecycleRacesTest {

  @Test
  void asyncCallsStillWaitingForAThreadAreAnsweredAtClose() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch allThreadsBusy = new CountDownLatch(8);
    ArchitectureHandler<String, String> handler = TestHandlers.of(HandlerConfig.defaults(), item -> {
      allThreadsBusy.countDown();
      TestHandlers.await(never); // until close() interrupts the async threads
      return item;
    });
    List<CompletableFuture<String>> busy = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      busy.add(handler.generateAsync("busy " + i, Map.of()));
    }
    TestHandlers.await(allThreadsBusy);
    CompletableFuture<String> waitingGenerate = handler.generateAsync("waiting", Map.of());
    CompletableFuture<Boolean> waitingFeed = handler.feedAsync("waiting", Map.of());
    CompletableFuture<Optional<String>> waitingResult = handler.getResultAsync(Duration.ofSeconds(30));
    CompletableFuture<Void> waitingStart = handler.startAsync();

    handler.close();

    assertThatThrownBy(() -> waitingGenerate.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HandlerClosedException.class);
    assertThat(waitingFeed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("refused: closed").isFalse();
    assertThat(waitingResult.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
    assertThatThrownBy(() -> waitingStart.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HandlerClosedException.class);
    for (CompletableFuture<String> call : busy) {
      assertThatThrownBy(() -> call.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("interrupted by close")
          .isInstanceOf(ExecutionException.class);
    }
    HandlerStats stats = handler.stats();
    assertThat(stats.dropped(DropReason.CLOSED)).as("the feed and the generate, refused").isEqualTo(2);
    assertThat(stats.itemErrorCount()).isEqualTo(8);
    assertThat(handler.liveThreads()).isEmpty();
    assertBalanced(handler);
  }

  @Test
  void closeAsyncDuringAnotherCloseCompletesOnlyWhenThatCloseHasFinished() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.holdingInFlight(gate, 1);
    Thread closer = new Thread(handler::close, "first closer");
    closer.start();
    TestHandlers.until("closing", () -> handler.state() == HandlerState.CLOSING);

    CompletableFuture<Void> second = handler.closeAsync();
    // a bounded wait for something that must not happen while the worker holds its item
    assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    gate.countDown();
    second.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(handler.state()).isEqualTo(HandlerState.CLOSED);
    assertThat(handler.stats().workersAlive()).isZero();
    assertThat(handler.getResult(Duration.ZERO)).contains(1);
    closer.join(WAIT.toMillis());
    assertBalanced(handler);
  }

  @Test
  void startUpNeverRunsAfterShutDown() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    class Lifecycle extends TestHandlers.FunctionHandler<Integer, Integer> {
      Lifecycle() {
        super(HandlerConfig.builder().name("held-start").verbose(true).build(), i -> i);
      }

      @Override
      protected void startUp() {
        events.add("startUp");
      }

      @Override
      protected void shutDown() {
        events.add("shutDown");
      }
    }
    TestHandlers.logLevelOf(Lifecycle.class, "info"); // verbose lines
    Lifecycle handler = new Lifecycle();
    // the first feed starts the worker, logs it, then runs startUp(): hold it at the log line
    CountDownLatch heldAtLog = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> feeding;
    try (HoldingStderr stderr = new HoldingStderr("[held-start] started 1 worker thread(s) on first feed",
        heldAtLog, release)) {
      feeding = CompletableFuture.supplyAsync(() -> handler.feed(1));
      TestHandlers.await(heldAtLog);
      // the held thread holds SLF4J-simple's lock: no more verbose lines, so that close() does not log
      handler.reconfigure(HandlerConfig.builder().name("held-start").build());
      handler.close(); // shutDown() runs while the first feed is between the two steps
      release.countDown();
      assertThat(feeding.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("refused: closed").isFalse();
    }
    assertThat(events).containsExactly("shutDown");
    assertThat(handler.liveThreads()).isEmpty();
    assertBalanced(handler);
  }

  /** Its own logger, silenced: the fatal errors below would fill the build log with stack traces. */
  static final class FatalHooks extends ArchitectureHandler<String, String> {
    static {
      TestHandlers.logLevelOf(FatalHooks.class, "off"); // before the first instance makes its logger
    }

    FatalHooks(HandlerConfig config) {
      super(config);
    }

    @Override
    protected String generateResults(String item, Map<String, ?> extra) {
      return item;
    }

    @Override
    protected void hookAfterFeed(String item, Map<String, ?> extra, boolean accepted) {
      if (accepted && item.equals("fatal after feed")) {
        throw new OutOfMemoryError("simulated in hookAfterFeed");
      }
    }

    @Override
    protected void hookBeforeGenerate(String item, Map<String, ?> extra) {
      if (item.equals("fatal before generate")) {
        throw new OutOfMemoryError("simulated in hookBeforeGenerate");
      }
    }

    boolean emit(String result) {
      return emitAsyncCallback(result, Map.of());
    }
  }

  @Test
  void aCallbackThreadKilledByAFatalErrorIsReplaced() {
    List<Object> ran = new CopyOnWriteArrayList<>();
    HandlerConfig config = HandlerConfig.builder().generateResultsCallback((result, extra) -> {
      if (result.equals("fatal")) {
        throw new OutOfMemoryError("simulated in a callback");
      }
      ran.add(result);
      return result;
    }).build();
    try (FatalHooks handler = new FatalHooks(config)) {
      assertThat(handler.emit("fatal")).isTrue();
      TestHandlers.until("the callback thread died", () -> handler.stats().failure().isPresent());
      assertThat(handler.emit("after")).isTrue();
      TestHandlers.until("a new callback thread ran the next callback", () -> ran.contains("after"));
      assertThat(handler.stats().failure()).hasValueSatisfying(text -> assertThat(text).contains("simulated in a callback"));
    }
  }

  @Test
  void fatalErrorsInHooksKeepTheBooks() {
    try (FatalHooks handler = new FatalHooks(HandlerConfig.defaults())) {
      assertThatThrownBy(() -> handler.feed("fatal after feed")).isInstanceOf(OutOfMemoryError.class);
      assertThat(handler.getResult(WAIT)).as("accepted before the hook threw").contains("fatal after feed");
      assertThatThrownBy(() -> handler.generate("fatal before generate")).isInstanceOf(OutOfMemoryError.class);
      HandlerStats stats = handler.stats();
      assertThat(stats.fedCount()).isEqualTo(1);
      assertThat(stats.acceptedCount()).isEqualTo(1);
      assertThat(stats.droppedCount()).isZero();
      assertThat(stats.inFlight()).as("the failed generate left flight").isZero();
      assertThat(stats.itemErrorCount()).isEqualTo(1);
      assertBalanced(handler);

      handler.feed("fatal before generate"); // kills the worker: the item still leaves flight
      TestHandlers.until("failed and the worker gone",
          () -> handler.state() == HandlerState.FAILED && handler.stats().workersAlive() == 0);
      assertThat(handler.stats().inFlight()).isZero();
      assertThat(handler.stats().itemErrorCount()).isEqualTo(2);
      assertBalanced(handler);
    }
  }

  @Test
  void duringCloseAsyncCallsRunOnTheHandlersThreadsNotTheCallers() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    ArchitectureHandler<Integer, Integer> handler = TestHandlers.holdingInFlight(gate, 7);
    CompletableFuture<Void> closing = handler.closeAsync();
    TestHandlers.until("closing", () -> handler.state() == HandlerState.CLOSING);

    CompletableFuture<Optional<Integer>> result = handler.getResultAsync(Duration.ofSeconds(30));
    assertThat(result).as("returned at once, the wait still ahead").isNotDone();
    gate.countDown();
    assertThat(result.get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(7);
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    TestHandlers.until("the close thread ended", () -> handler.liveThreads().isEmpty());
    assertBalanced(handler);
  }

  @Test
  void turningThreadsBackOnProcessesWhatWasQueuedWhileTheyWereOff() {
    HandlerConfig off = HandlerConfig.builder().disableThread(true).build();
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(off, i -> i * 10)) {
      for (int i = 1; i <= 3; i++) {
        assertThat(handler.feed(i)).isTrue();
      }
      assertThat(handler.stats().inputQueueSize()).isEqualTo(3);
      handler.reconfigure(HandlerConfig.builder().disableThread(false).build());
      assertThat(handler.state()).isEqualTo(HandlerState.RUNNING);
      assertThat(TestHandlers.drainResults(handler, 3)).containsExactly(10, 20, 30);
      assertBalanced(handler);
    }
  }

  @Test
  void reconfiguringAFailedHandlerReplacesTheDeadWorkerAndRunsAgain() {
    try (FatalHooks handler = new FatalHooks(HandlerConfig.defaults())) {
      handler.feed("fatal before generate");
      TestHandlers.until("failed and the worker gone",
          () -> handler.state() == HandlerState.FAILED && handler.stats().workersAlive() == 0);
      handler.reconfigure(HandlerConfig.builder().maxQueueSize(64).build());
      assertThat(handler.state()).isEqualTo(HandlerState.RUNNING);
      assertThat(handler.feed("ok")).isTrue();
      assertThat(handler.getResult(WAIT)).contains("ok");
      assertBalanced(handler);
    }
  }

  /**
   * Stands in for {@code System.err} and holds the thread that writes a given log line until
   * released. It holds before taking the stream's lock, so other threads can still log meanwhile.
   */
  private static final class HoldingStderr extends PrintStream {
    private final PrintStream original = System.err;
    private final String line;
    private final CountDownLatch held;
    private final CountDownLatch release;

    HoldingStderr(String line, CountDownLatch held, CountDownLatch release) {
      super(new ByteArrayOutputStream(), true);
      this.line = line;
      this.held = held;
      this.release = release;
      System.setErr(this);
    }

    @Override
    public void println(String text) {
      if (text != null && text.contains(line)) {
        held.countDown();
        TestHandlers.await(release);
      }
      super.println(text);
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }
}
