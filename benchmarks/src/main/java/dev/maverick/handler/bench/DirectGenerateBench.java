package dev.maverick.handler.bench;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 3: what {@code generate()} adds (validation, hooks, counters, timestamps) over calling
 * the same function plainly. The figure is {@link #handlerGenerate} minus {@link #plainCall}, in
 * nanoseconds per call, both measured in the same run with the same item and extra.
 * {@code config}: {@code default} (no extra, no {@code expected_type}), {@code extra} (one extra
 * entry, as the seed's {@code generate("hello", tag=1)}), {@code typed} ({@code expected_type} set,
 * so that validation has work to do).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class DirectGenerateBench {

  @Param({"default", "extra", "typed"})
  public String config;

  private Echo.Handler handler;
  private Object item;
  private Map<String, ?> extra;

  @Setup(Level.Trial)
  public void setUp() {
    HandlerConfig.Builder builder = HandlerConfig.builder().name("bench").runAsThread(false);
    extra = Map.of();
    switch (config) {
      case "default" -> { }
      case "extra" -> extra = Map.of("tag", 1);
      case "typed" -> builder.expectedType(String.class);
      default -> throw new IllegalArgumentException("unknown config " + config);
    }
    handler = new Echo.Handler(builder.build());
    item = new String("hello"); // not a constant the JIT could fold
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    handler.close();
    HandlerStats stats = handler.stats();
    // plainCall shares this state and leaves the handler unused: the law holds at zero too
    Pipeline.check(stats.processedCount() == stats.generateCount()
        && stats.droppedCount() == 0 && stats.errorCount() == 0 && stats.isBalanced(),
        "generate() lost count: " + stats);
  }

  /** The handler's direct path. */
  @Benchmark
  public Object handlerGenerate() {
    return handler.generate(item, extra);
  }

  /** The baseline: the same function, called plainly. */
  @Benchmark
  public Object plainCall() {
    return Echo.work(item, extra);
  }
}
