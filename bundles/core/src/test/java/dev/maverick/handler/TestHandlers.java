package dev.maverick.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Handlers and waits shared by the core's tests. */
final class TestHandlers {
  static final Duration WAIT = Duration.ofSeconds(20);

  private TestHandlers() {}

  /** A handler whose work is a function of the item. */
  static <I, R> FunctionHandler<I, R> of(HandlerConfig config, Function<I, R> work) {
    return new FunctionHandler<>(config, work);
  }

  /** A handler whose work is a function; it can also publish as a producer would. */
  static class FunctionHandler<I, R> extends ArchitectureHandler<I, R> {
    private final Function<I, R> work;

    FunctionHandler(HandlerConfig config, Function<I, R> work) {
      super(config);
      this.work = work;
    }

    @Override
    protected R generateResults(I item, Map<String, ?> extra) {
      return work.apply(item);
    }

    boolean publishForTest(R result) {
      return publishResult(result, Map.of());
    }
  }

  /** A handler whose work waits until {@code gate} opens: to hold items in flight or in the queue. */
  static FunctionHandler<Integer, Integer> gated(HandlerConfig config, CountDownLatch gate) {
    return of(config, item -> {
      await(gate);
      return item;
    });
  }

  /** A {@link #gated} handler of the default configuration, {@code item} fed and held in flight. */
  static FunctionHandler<Integer, Integer> holdingInFlight(CountDownLatch gate, int item) {
    FunctionHandler<Integer, Integer> handler = gated(HandlerConfig.defaults(), gate);
    handler.feed(item);
    until("item in flight", () -> handler.stats().inFlight() == 1);
    return handler;
  }

  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("latch not released within " + WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Waits until the condition holds; fails with {@code what} after {@link #WAIT}. */
  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  /** Takes every result currently obtainable, waiting up to a short while for each. */
  static <R> List<R> drainResults(Handler<?, R> handler, int expected) {
    List<R> results = new ArrayList<>();
    for (int i = 0; i < expected; i++) {
      results.add(handler.getResult(WAIT).orElseThrow(() -> new AssertionError("missing result #" + results.size())));
    }
    return results;
  }

  /**
   * The law holds at quiescent points: a worker may be between two counts of the same item (a
   * refused result is counted dropped just before published), so this waits, up to the usual
   * deadline, for the books to settle, then asserts them. An imbalance that lasts still fails.
   */
  static void assertBalanced(Handler<?, ?> handler) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!handler.stats().isBalanced() && System.nanoTime() - deadline < 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    HandlerStats stats = handler.stats();
    assertThat(stats.unaccountedItems()).as("items ledger of %s", stats).isZero();
    assertThat(stats.unaccountedResults()).as("results ledger of %s", stats).isZero();
    assertThat(stats.unaccountedCallbacks()).as("callbacks ledger of %s", stats).isZero();
  }

  /**
   * Sets the level of {@code type}'s logger ({@code "info"}, {@code "warn"}, {@code "off"}...; the
   * tests' default level is ERROR). SLF4J-simple reads {@code org.slf4j.simpleLogger.log.<name>}
   * from the system properties when it creates a logger, so this must run before the first handler
   * of {@code type} is made; give each test that needs a level a handler class of its own.
   */
  static void logLevelOf(Class<?> type, String level) {
    System.setProperty("org.slf4j.simpleLogger.log." + type.getName(), level);
  }

  /**
   * Captures what is written to {@code System.err} until closed, then restores it. SLF4J-simple
   * (with its default {@code logFile=System.err}, not {@code cachedSystem.err}) looks
   * {@code System.err} up at every write, so this sees every log line. Lines of other threads
   * (other handlers) may be captured too: filter by handler name.
   */
  static final class StderrCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    StderrCapture() {
      System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    /** The lines written so far that contain {@code text}. */
    List<String> linesWith(String text) {
      List<String> lines = new ArrayList<>();
      for (String line : bytes.toString(StandardCharsets.UTF_8).split("\\R")) {
        if (line.contains(text)) {
          lines.add(line);
        }
      }
      return lines;
    }

    @Override
    public void close() {
      System.setErr(original);
      original.print(bytes.toString(StandardCharsets.UTF_8)); // keep the log in the test report
    }
  }

  private static final Pattern REPORTED_COUNT =
      Pattern.compile("\\((\\d+) (?:times since the last report|not reported before)\\)$");

  /**
   * How many events a line of {@code internal.RateLimitedLog} stands for: the N of
   * "(N times since the last report)" or "(N not reported before)", else 1.
   */
  static long eventsIn(String line) {
    Matcher count = REPORTED_COUNT.matcher(line.strip());
    return count.find() ? Long.parseLong(count.group(1)) : 1;
  }

  /** A handler that records, in order, every template method and hook it sees. */
  static class Recorder extends ArchitectureHandler<String, String> {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    Recorder(HandlerConfig config) {
      super(config);
    }

    @Override
    protected boolean validateItem(String item, Map<String, ?> extra) {
      events.add("validate:" + item);
      return super.validateItem(item, extra);
    }

    @Override
    protected String preprocessItem(String item, Map<String, ?> extra) {
      events.add("preprocess:" + item);
      return item.trim();
    }

    @Override
    protected String generateResults(String item, Map<String, ?> extra) {
      events.add("generate:" + item);
      if (item.equals("boom")) {
        throw new IllegalStateException("boom");
      }
      return item + "!";
    }

    @Override
    protected String postprocessResult(String item, Map<String, ?> extra, String result) {
      events.add("postprocess:" + result);
      return result.toUpperCase();
    }

    @Override
    protected void hookBeforeFeed(String item, Map<String, ?> extra) {
      events.add("beforeFeed:" + item);
    }

    @Override
    protected void hookAfterFeed(String item, Map<String, ?> extra, boolean accepted) {
      events.add("afterFeed:" + item + ":" + accepted);
    }

    @Override
    protected void hookBeforeGenerate(String item, Map<String, ?> extra) {
      events.add("beforeGenerate:" + item);
    }

    @Override
    protected void hookAfterGenerate(String item, Map<String, ?> extra, String result) {
      events.add("afterGenerate:" + item + "=" + result);
    }

    @Override
    protected void hookAfterResult(String result) {
      events.add("afterResult:" + result);
    }

    @Override
    protected void hookOnError(String item, Map<String, ?> extra, Throwable error) {
      events.add("onError:" + item + ":" + error.getMessage());
    }

    @Override
    protected void hookBeforeNetworkCall(Object payload) {
      events.add("beforeNetwork");
    }

    @Override
    protected void hookAfterNetworkCall(Object payload, Object response) {
      events.add("afterNetwork");
    }

    @Override
    protected void hookNetworkError(Object payload, Throwable error) {
      events.add("networkError:" + error.getMessage());
    }

    Object call(Object payload) {
      return performRequest(payload);
    }

    List<String> events() {
      synchronized (events) {
        return new ArrayList<>(events);
      }
    }
  }
}
