package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.TestHandlers.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Points 2, 3 and 7: the callback or override, the template order, and the nine hooks. */
class TemplateMethodsAndHooksTest {

  @Test
  void generateRunsTheTemplateChainInTheSeedsOrder() {
    try (Recorder handler = new Recorder(HandlerConfig.builder().runAsThread(false).build())) {
      assertThat(handler.generate(" hi ")).isEqualTo("HI!");
      assertThat(handler.events()).containsExactly(
          "validate: hi ", "beforeGenerate: hi ", "preprocess: hi ", "generate:hi", "postprocess:hi!",
          "afterGenerate:hi=HI!");
    }
  }

  @Test
  void theThreadedPathFiresFeedHooksThenTheChainThenResultHook() {
    try (Recorder handler = new Recorder(HandlerConfig.builder().runAsThread(false).build())) {
      assertThat(handler.feed("a")).isTrue();
      handler.start(); // only now may the worker see the item: the feed hooks have all fired
      assertThat(handler.getResult(WAIT)).contains("A!");
      TestHandlers.until("after-generate hook", () -> handler.events().size() == 9);
      List<String> events = handler.events();
      assertThat(events.subList(0, 7)).containsExactly(
          "beforeFeed:a", "validate:a", "afterFeed:a:true",
          "beforeGenerate:a", "preprocess:a", "generate:a", "postprocess:a!");
      // the seed fires after-generate once the result is queued, so the consumer's hook may come first
      assertThat(events.subList(7, 9)).containsExactlyInAnyOrder("afterGenerate:a=A!", "afterResult:A!");
    }
  }

  @Test
  void aFailureFiresOnErrorWithTheOriginalItemAndCountsOnBothPaths() {
    try (Recorder handler = new Recorder(HandlerConfig.defaults())) {
      assertThatThrownBy(() -> handler.generate("boom")).isInstanceOf(IllegalStateException.class).hasMessage("boom");
      assertThat(handler.feed("boom")).isTrue();
      // the error is counted a moment before its hook runs
      TestHandlers.until("worker error counted and its hook run", () -> handler.stats().itemErrorCount() == 2
          && handler.events().stream().filter(e -> e.startsWith("onError")).count() == 2);
      assertThat(handler.events()).filteredOn(e -> e.startsWith("onError")).containsExactly(
          "onError:boom:boom", "onError:boom:boom");
      assertThat(handler.stats().errorCount()).isEqualTo(2);
      assertThat(handler.stats().processedCount()).isZero();
      assertBalanced(handler);
    }
  }

  @Test
  void expectedTypeValidatesByDefaultOnBothPaths() {
    try (ArchitectureHandler<Object, Object> handler = TestHandlers.of(
        HandlerConfig.builder().expectedType(String.class, Integer.class).build(), item -> item)) {
      assertThat(handler.feed("ok")).isTrue();
      assertThat(handler.feed(7)).isTrue();
      assertThat(handler.feed(2.5)).isFalse();
      assertThat(handler.feed(null)).isFalse();
      assertThatThrownBy(() -> handler.generate(List.of()))
          .isInstanceOf(InvalidItemException.class)
          .hasMessageContaining("expected java.lang.String or java.lang.Integer")
          .hasMessageContaining("got java.util.ImmutableCollections$ListN");
      HandlerStats stats = handler.stats();
      assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(3);
      assertThat(stats.lastDrop()).hasValueSatisfying(text -> assertThat(text).startsWith("invalid: "));
      TestHandlers.until("both valid items processed", () -> handler.stats().processedCount() == 2);
      assertBalanced(handler);
    }
  }

  @Test
  void withoutExpectedTypeAnyItemIncludingNullPasses() {
    try (ArchitectureHandler<Object, Object> handler =
        TestHandlers.of(HandlerConfig.builder().runAsThread(false).build(), item -> "got " + item)) {
      assertThat(handler.generate(null)).isEqualTo("got null");
    }
  }

  @Test
  void aValidatorCanExplainWhyByThrowingInvalidItemException() {
    ArchitectureHandler<String, String> handler = new ArchitectureHandler<>(HandlerConfig.defaults()) {
      @Override
      protected boolean validateItem(String item, Map<String, ?> extra) {
        if (item.length() > 3) {
          throw new InvalidItemException("at most 3 characters allowed; got " + item.length());
        }
        return true;
      }

      @Override
      protected String generateResults(String item, Map<String, ?> extra) {
        return item;
      }
    };
    try (handler) {
      assertThat(handler.feed("toolong")).isFalse();
      assertThat(handler.stats().lastDrop()).contains("invalid: at most 3 characters allowed; got 7");
      assertThatThrownBy(() -> handler.generate("toolong")).hasMessage("at most 3 characters allowed; got 7");
    }
  }

  @Test
  void theConfiguredCallbackIsGenerateResultsOnBothPathsAndItsValueIsTheResult() {
    HandlerConfig config = HandlerConfig.builder()
        .generateResultsCallback((item, extra) -> Map.of("item", item, "extra", extra))
        .build();
    try (ArchitectureHandler<String, Object> handler = new ArchitectureHandler<>(config) {}) {
      assertThat(handler.generate("x", Map.of("k", 1))).isEqualTo(Map.of("item", "x", "extra", Map.of("k", 1)));
      handler.feed("y");
      assertThat(handler.getResult(WAIT)).contains(Map.of("item", "y", "extra", Map.of()));
    }
  }

  @Test
  void anOverrideWinsOverTheCallbackWhichThenRunsOnlyWhenEmitted() {
    AtomicInteger callbackCalls = new AtomicInteger();
    HandlerConfig config = HandlerConfig.builder().runAsThread(false)
        .generateResultsCallback((item, extra) -> callbackCalls.incrementAndGet()).build();
    try (ArchitectureHandler<String, String> handler = TestHandlers.of(config, item -> "override")) {
      assertThat(handler.generate("x")).isEqualTo("override");
      assertThat(callbackCalls).hasValue(0);
    }
  }

  @Test
  void neitherOverrideNorCallbackFailsEachItemClearly() {
    try (ArchitectureHandler<String, String> handler = new ArchitectureHandler<>(HandlerConfig.defaults()) {}) {
      assertThatThrownBy(() -> handler.generate("x"))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("generateResults is not overridden and no generate_results_callback is configured");
      assertThat(handler.stats().itemErrorCount()).isEqualTo(1);
    }
  }

  @Test
  void throwingHooksAreLoggedAndNeverBreakTheHandlerOrItsCounts() {
    ArchitectureHandler<String, String> handler = new ArchitectureHandler<>(HandlerConfig.defaults()) {
      @Override
      protected String generateResults(String item, Map<String, ?> extra) {
        if (item.equals("fail")) {
          throw new IllegalArgumentException("fail");
        }
        return item;
      }

      @Override
      protected void hookBeforeFeed(String item, Map<String, ?> extra) {
        throw new IllegalStateException("hook");
      }

      @Override
      protected void hookAfterFeed(String item, Map<String, ?> extra, boolean accepted) {
        throw new IllegalStateException("hook");
      }

      @Override
      protected void hookBeforeGenerate(String item, Map<String, ?> extra) {
        throw new IllegalStateException("hook");
      }

      @Override
      protected void hookAfterGenerate(String item, Map<String, ?> extra, String result) {
        throw new IllegalStateException("hook");
      }

      @Override
      protected void hookAfterResult(String result) {
        throw new IllegalStateException("hook");
      }

      @Override
      protected void hookOnError(String item, Map<String, ?> extra, Throwable error) {
        throw new IllegalStateException("hook");
      }
    };
    try (handler) {
      assertThat(handler.feed("a")).isTrue();
      assertThat(handler.feed("fail")).isTrue();
      assertThat(handler.getResult(WAIT)).contains("a");
      assertThat(handler.generate("b")).isEqualTo("b");
      TestHandlers.until("error counted", () -> handler.stats().itemErrorCount() == 1);
      HandlerStats stats = handler.stats();
      assertThat(stats.processedCount()).isEqualTo(2);
      assertThat(stats.state()).isEqualTo(HandlerState.RUNNING);
      assertBalanced(handler);
    }
  }

  @Test
  void throwingNetworkAndCallbackHooksAreLoggedAndNeverBreakTheHandlerOrItsCounts() {
    TestHandlers.logLevelOf(ThrowingHooks.class, "warn"); // the summary at close is a warning
    AtomicInteger callbacksRun = new AtomicInteger();
    HandlerConfig config = HandlerConfig.builder().name("throwing-hooks").generateResultsCallback((result, extra) -> {
      if (result.equals("bad")) {
        throw new IllegalArgumentException("callback failed on purpose");
      }
      return callbacksRun.incrementAndGet();
    }).build();
    ThrowingHooks handler = new ThrowingHooks(config);
    HandlerStats stats;
    List<String> hookLines;
    try (TestHandlers.StderrCapture stderr = new TestHandlers.StderrCapture()) {
      try (handler) {
        assertThat(handler.call("ok")).isEqualTo("ok");
        assertThatThrownBy(() -> handler.call("down")).isInstanceOf(IllegalStateException.class).hasMessage("down");
        assertThat(handler.feed("ok")).isTrue();
        assertThat(handler.feed("down")).isTrue();
        assertThat(handler.getResult(WAIT)).contains("ok");
        TestHandlers.until("the failed item counted", () -> handler.stats().itemErrorCount() == 1);
        assertThat(handler.emit("bad")).isTrue();
        assertThat(handler.emit("good")).isTrue();
        TestHandlers.until("both callbacks settled",
            () -> handler.stats().callbacksCompleted() + handler.stats().callbackErrorCount() == 2);
        assertThat(callbacksRun).hasValue(1);
        assertThat(handler.events()).containsExactly(
            "beforeNetwork:ok", "afterNetwork:ok", "beforeNetwork:down", "networkError:down",
            "beforeNetwork:ok", "afterNetwork:ok", "beforeNetwork:down", "networkError:down",
            "onCallbackError:bad");
        HandlerStats live = handler.stats();
        assertThat(live.state()).isEqualTo(HandlerState.RUNNING);
        assertThat(live.callbackThreadAlive()).isTrue();
        assertThat(live.networkErrorCount()).isEqualTo(2);
        assertThat(live.itemErrorCount()).isEqualTo(1);
        assertThat(live.processedCount()).isEqualTo(1);
        assertThat(live.callbackErrorCount()).isEqualTo(1);
        assertThat(live.callbacksCompleted()).isEqualTo(1);
        assertThat(live.otherErrorCount()).as("a hook's failure is not the handler's error").isZero();
        assertBalanced(handler);
      }
      stats = handler.stats();
      hookLines = stderr.linesWith("[throwing-hooks] ").stream()
          .filter(line -> line.contains(" threw; ignored") || line.contains("] hook errors (")).toList();
    }
    assertThat(stats.isBalanced()).as("books of %s", stats).isTrue();
    // every hook failure is in the log: rate-limited lines and the summary at close add up to them all
    assertThat(hookLines).isNotEmpty();
    assertThat(hookLines.get(0)).contains(" ERROR ", "hookBeforeNetworkCall threw; ignored");
    assertThat(hookLines.stream().mapToLong(TestHandlers::eventsIn).sum()).as("hook failures in %s", hookLines)
        .isEqualTo(handler.events().size());
  }

  /** Every network hook and hookOnCallbackError throw, after noting that they ran. */
  static final class ThrowingHooks extends ArchitectureHandler<String, String> {
    private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    ThrowingHooks(HandlerConfig config) {
      super(config);
    }

    @Override
    protected String generateResults(String item, Map<String, ?> extra) {
      return (String) performRequest(item);
    }

    @Override
    protected Object doPerformRequest(Object payload) {
      if (payload.equals("down")) {
        throw new IllegalStateException("down");
      }
      return payload;
    }

    @Override
    protected void hookBeforeNetworkCall(Object payload) {
      throw noted("beforeNetwork:" + payload);
    }

    @Override
    protected void hookAfterNetworkCall(Object payload, Object response) {
      throw noted("afterNetwork:" + payload);
    }

    @Override
    protected void hookNetworkError(Object payload, Throwable error) {
      throw noted("networkError:" + error.getMessage());
    }

    @Override
    protected void hookOnCallbackError(String result, Map<String, ?> extra, Throwable error) {
      throw noted("onCallbackError:" + result);
    }

    private IllegalStateException noted(String event) {
      events.add(event);
      return new IllegalStateException("hook " + event + " throws on purpose");
    }

    Object call(Object payload) {
      return performRequest(payload);
    }

    boolean emit(String result) {
      return emitAsyncCallback(result, Map.of());
    }

    List<String> events() {
      return List.copyOf(events);
    }
  }

  @Test
  void timestampsMoveAtTheSeedsPoints() {
    try (Recorder handler = new Recorder(HandlerConfig.defaults())) {
      HandlerStats fresh = handler.stats();
      assertThat(fresh.lastFeedAt()).isEmpty();
      assertThat(fresh.lastGenerateAt()).isEmpty();
      assertThat(fresh.lastResultAt()).isEmpty();
      assertThat(fresh.lastNetworkCallAt()).isEmpty();
      handler.feed("x");
      handler.getResult(WAIT);
      handler.call("payload");
      HandlerStats after = handler.stats();
      assertThat(after.lastFeedAt()).isPresent();
      assertThat(after.lastGenerateAt()).isPresent();
      assertThat(after.lastResultAt()).isPresent();
      assertThat(after.lastNetworkCallAt()).isPresent();
      assertThat(after.lastFeedAt().get()).isAfterOrEqualTo(after.createdAt().minus(Duration.ofMillis(1)));
    }
  }
}
