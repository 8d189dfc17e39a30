package dev.maverick.handler.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole suite in one command: the JMH benchmarks (1, 2, 3, 5) in rounds, each round one fork
 * of every benchmark, so that a figure and its baseline are measured minutes apart at most and a
 * ratio can be taken per round; then the latency harness (4), the memory harness (9), and the
 * harnesses of whole systems: speech to text (7), the network handler (8) and the runtime (6, and
 * 9 for the runtime). Writes {@code results.md} (the README's table, with the spread over rounds)
 * and JMH's JSON per round.
 *
 * <pre>
 *   java -jar benchmarks.jar              the full suite, reduced iterations (about 7 minutes)
 *   java -jar benchmarks.jar --smoke      every benchmark once, briefly (about 45 s)
 *   java -jar benchmarks.jar --jmh ARGS   JMH's own command line (e.g. -prof gc ThroughputBench)
 * </pre>
 *
 * Other options: {@code --out DIR} (default {@code bench-results}), {@code --rounds N},
 * {@code --only jmh|latency|memory|speech|network|runtime}, {@code --runtime-jar FILE} and
 * {@code --fixture-jar FILE} (the runtime part's jars; by default where the build puts them,
 * from the repository's root). The exit status is non-zero only when a benchmark failed or an
 * accounting check did not hold, never because of a timing.
 */
public final class Suite {

  /** How much to measure. */
  record Mode(String name, int rounds, int warmups, TimeValue warmupTime, int iterations, TimeValue iterationTime,
      LatencyHarness.Settings latency, int memoryItems) {}

  static final Mode SMOKE = new Mode("smoke", 1, 1, TimeValue.milliseconds(500), 1, TimeValue.seconds(1),
      new LatencyHarness.Settings(1, 1, 0.5, 1, 128, 10_000), 100_000);
  static final Mode FULL = new Mode("full", 3, 3, TimeValue.seconds(1), 5, TimeValue.seconds(1),
      new LatencyHarness.Settings(3, 2, 1, 5, 128, 10_000), 1_000_000);

  /** The secondary result of {@link CpuTimeProfiler}, as {@link Results} keys it. */
  static final String CPU = ":cpu.time.norm";
  /** The parking measure of {@link CpuTimeProfiler}: voluntary context switches per operation. */
  static final String WAKEUPS = ":wakeups.norm";
  private static final String BENCHMARKS = "dev\\.maverick\\.handler\\.bench\\..*Bench\\..*";

  private Suite() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Mode mode = FULL;
    Path out = Path.of("bench-results");
    Integer rounds = null;
    String only = null;
    String runtimeJar = null;
    String fixtureJar = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> mode = SMOKE;
        case "--full" -> mode = FULL;
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, "--rounds"));
        case "--only" -> only = value(args, ++i, "--only");
        case "--runtime-jar" -> runtimeJar = value(args, ++i, "--runtime-jar");
        case "--fixture-jar" -> fixtureJar = value(args, ++i, "--fixture-jar");
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; use --smoke | --full, --out DIR, --rounds N, --only jmh|latency|memory|runtime|speech|network,"
            + " --runtime-jar FILE, --fixture-jar FILE, or --jmh JMH-ARGS");
      }
    }
    if (rounds != null) {
      mode = new Mode(mode.name(), rounds, mode.warmups(), mode.warmupTime(), mode.iterations(), mode.iterationTime(),
          new LatencyHarness.Settings(rounds, mode.latency().maxSeconds(), mode.latency().warmSeconds(),
              mode.latency().measureSeconds(), mode.latency().capacity(), mode.latency().fixedRate()),
          mode.memoryItems());
    }
    Files.createDirectories(out);
    long started = System.nanoTime();
    Results results = new Results(mode);
    results.loadBefore = loadAverage();
    final Mode chosen = mode;
    final Path dir = out;
    // A failing part (a benchmark error, a broken accounting check) does not hide the others' figures.
    List<String> failures = new ArrayList<>();
    part(only, "jmh", failures, () -> runJmh(chosen, dir, results));
    part(only, "latency", failures, () -> results.latency = LatencyHarness.run(chosen.latency(), System.out));
    part(only, "memory", failures, () -> {
      results.memory = MemoryHarness.run(chosen.memoryItems());
      MemoryHarness.report(results.memory, System.out);
    });
    boolean smoke = chosen.name().equals(SMOKE.name());
    part(only, "speech", failures, () -> results.systemRows.addAll(SpeechHarness.run(smoke, chosen.rounds(), System.out)));
    part(only, "network", failures, () -> results.systemRows.addAll(
        NetworkHarness.run(NetworkHarness.Settings.of(smoke, chosen.rounds()), System.out)));
    final String runtime = runtimeJar;
    final String fixture = fixtureJar;
    part(only, "runtime", failures, () -> results.systemRows.addAll(RuntimeHarness.rows(
        RuntimeHarness.run(RuntimeHarness.settings(runtime, fixture, smoke), System.out))));
    results.minutes = (System.nanoTime() - started) / 60e9;
    results.loadAfter = loadAverage();
    StringBuilder table = new StringBuilder(results.markdown());
    failures.forEach(failure -> table.append("\nFAILED: ").append(failure).append('\n'));
    Files.writeString(out.resolve("results.md"), table);
    System.out.println();
    System.out.println(table);
    System.out.println("written to " + out.toAbsolutePath().resolve("results.md"));
    if (!failures.isEmpty()) {
      System.exit(1);
    }
  }

  /** A part of the suite, for {@link #part}. */
  private interface Part {
    void run() throws Exception;
  }

  private static void part(String only, String name, List<String> failures, Part part) {
    if (only != null && !only.equals(name)) {
      return;
    }
    try {
      part.run();
    } catch (Exception | AssertionError error) {
      error.printStackTrace();
      failures.add(name + ": " + error);
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static void runJmh(Mode mode, Path out, Results results) throws RunnerException {
    for (int round = 1; round <= mode.rounds(); round++) {
      ChainedOptionsBuilder options = new OptionsBuilder()
          .include(BENCHMARKS)
          .forks(1)
          .warmupIterations(mode.warmups())
          .warmupTime(mode.warmupTime())
          .measurementIterations(mode.iterations())
          .measurementTime(mode.iterationTime())
          .shouldFailOnError(true)
          .addProfiler(CpuTimeProfiler.class)
          .resultFormat(ResultFormatType.JSON)
          .result(out.resolve("jmh-round-" + round + ".json").toString());
      Collection<RunResult> run = new Runner(options.build()).run();
      results.add(run);
    }
  }

  /**
   * One benchmark's measurement iterations, by round. The figure is the median of all iterations
   * pooled: on 2 cores a three-thread pipeline switches between a batching regime and a
   * park-per-item regime from one iteration to the next, and a median of iterations is not pulled
   * by how many of each a round happened to get, as a mean is. The spread is the per-round medians'.
   */
  record Series(List<List<Double>> rounds) {
    boolean isEmpty() {
      return rounds.isEmpty();
    }

    double median() {
      return Results.median(rounds.stream().flatMap(List::stream).toList());
    }

    List<Double> roundMedians() {
      return rounds.stream().map(Results::median).toList();
    }
  }

  /** The figures of one suite run, by benchmark. */
  static final class Results {
    final Mode mode;
    final Map<String, List<List<Double>>> scores = new LinkedHashMap<>();
    LatencyHarness.Report latency;
    MemoryHarness.Report memory;
    /** Rows of the harnesses that measure whole systems (runtime, network, speech), in order. */
    final List<TableRow> systemRows = new ArrayList<>();
    double minutes;
    String loadBefore;
    String loadAfter;

    Results(Mode mode) {
      this.mode = mode;
    }

    void add(Collection<RunResult> run) {
      for (RunResult result : run) {
        String name = result.getParams().getBenchmark().replaceFirst(".*\\.bench\\.", "");
        StringBuilder key = new StringBuilder(name);
        for (String param : result.getParams().getParamsKeys()) {
          if (!param.equals("capacity")) {
            key.append(' ').append(result.getParams().getParam(param));
          }
        }
        Map<String, List<Double>> round = new LinkedHashMap<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
          for (IterationResult iteration : fork.getIterationResults()) {
            round.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(iteration.getPrimaryResult().getScore());
            iteration.getSecondaryResults().forEach((label, secondary) ->
                round.computeIfAbsent(key + " :" + label, k -> new ArrayList<>()).add(secondary.getScore()));
          }
        }
        round.forEach((label, values) -> scores.computeIfAbsent(label, k -> new ArrayList<>()).add(values));
      }
    }

    /** The iterations of one benchmark, or an empty series. */
    Series of(String key) {
      return new Series(scores.getOrDefault(key, List.of()));
    }

    /** a/b: the pooled medians', and per round. */
    static Figure ratio(Series a, Series b) {
      return combine(a, b, (x, y) -> x / y);
    }

    /** a - b: the pooled medians', and per round. */
    static Figure difference(Series a, Series b) {
      return combine(a, b, (x, y) -> x - y);
    }

    private static Figure combine(Series a, Series b, java.util.function.DoubleBinaryOperator op) {
      if (a.isEmpty() || b.isEmpty()) {
        return Figure.NONE;
      }
      List<Double> perRound = new ArrayList<>();
      List<Double> am = a.roundMedians();
      List<Double> bm = b.roundMedians();
      for (int i = 0; i < Math.min(am.size(), bm.size()); i++) {
        perRound.add(op.applyAsDouble(am.get(i), bm.get(i)));
      }
      return new Figure(op.applyAsDouble(a.median(), b.median()), perRound);
    }

    static Figure figure(Series series) {
      return series.isEmpty() ? Figure.NONE : new Figure(series.median(), series.roundMedians());
    }

    String markdown() {
      StringBuilder md = new StringBuilder();
      md.append("| # | Figure | Handler | Baseline | Ratio / difference | Goal | Met |\n");
      md.append("|---|---|---|---|---|---|---|\n");
      Series handler = of("ThroughputBench.throughput handler");
      if (!handler.isEmpty()) {
        Series raw = of("ThroughputBench.throughput rawQueues");
        Series camel = of("ThroughputBench.throughput camelSeda");
        Figure vsRaw = ratio(handler, raw);
        Figure vsCamel = ratio(handler, camel);
        Series cpu = of("ThroughputBench.throughput handler " + CPU);
        Series rawCpu = of("ThroughputBench.throughput rawQueues " + CPU);
        Series camelCpu = of("ThroughputBench.throughput camelSeda " + CPU);
        String wake = perResult("handler");
        row(md, "1", "Threaded throughput, block, results/s (CPU ns; wake-ups per result)",
            count(handler) + cpu(cpu, wake),
            count(raw) + cpu(rawCpu, perResult("rawQueues")) + " (2 ArrayBlockingQueues)",
            vsRaw.format("%.2f") + "×" + cpuRatio(rawCpu, cpu), "≥ 1.2×", met(vsRaw.value() >= 1.2));
        Series batching = of("ThroughputBench.throughput rawBatching");
        if (!batching.isEmpty()) {
          Figure vsBatching = ratio(handler, batching);
          Series batchingCpu = of("ThroughputBench.throughput rawBatching " + CPU);
          row(md, "1b",
              "Threaded throughput vs a raw pipeline draining in batches, results/s (CPU ns; wake-ups per result)",
              count(handler) + cpu(cpu, wake),
              count(batching) + cpu(batchingCpu, perResult("rawBatching")) + " (ArrayBlockingQueue.drainTo, 32)",
              vsBatching.format("%.2f") + "×" + cpuRatio(batchingCpu, cpu), "≥ 1.0×", met(vsBatching.value() >= 1.0));
        }
        row(md, "2", "Same work vs Camel seda route, results/s (CPU ns; wake-ups per result)",
            count(handler) + cpu(cpu, wake),
            count(camel) + cpu(camelCpu, perResult("camelSeda")) + " (Camel 4.22 seda)",
            vsCamel.format("%.2f") + "×" + cpuRatio(camelCpu, cpu), "≥ 5×", met(vsCamel.value() >= 5));
      }
      for (String config : List.of("default", "extra", "typed")) {
        Series generate = of("DirectGenerateBench.handlerGenerate " + config);
        if (generate.isEmpty()) {
          continue;
        }
        Series plain = of("DirectGenerateBench.plainCall " + config);
        Figure added = difference(generate, plain);
        Figure addedCpu = difference(of("DirectGenerateBench.handlerGenerate " + config + " " + CPU),
            of("DirectGenerateBench.plainCall " + config + " " + CPU));
        row(md, "3", "Direct generate(), ns/call, config " + config, figure(generate).format("%.1f"),
            figure(plain).format("%.1f") + " (plain call)",
            "+" + added.format("%.1f") + (addedCpu == Figure.NONE ? "" : " (CPU: +" + addedCpu.format("%.1f") + ")"),
            "≤ +25 ns", met(added.value() <= 25));
      }
      if (latency != null) {
        latencyRow(md, latency.atHalfMax(), String.format(Locale.ROOT, "½ of the handler's max rate %s",
            count(latency.handlerMaxRates())), 100);
        latencyRow(md, latency.atFixedRate(), "a fixed low rate", 20);
      }
      Series accepted = of("ManyProducersBench.feed handler :accepted");
      if (!accepted.isEmpty()) {
        Series rawAccepted = of("ManyProducersBench.feed rawQueue :accepted");
        Series calls = of("ManyProducersBench.feed handler");
        Series rawCalls = of("ManyProducersBench.feed rawQueue");
        row(md, "5", "4 producers, drop_newest: accepted items/s (feed calls/s)",
            count(accepted) + " (" + count(calls) + ")",
            count(rawAccepted) + " (" + count(rawCalls) + ") (ArrayBlockingQueue.offer)",
            ratio(accepted, rawAccepted).format("%.2f") + "× accepted; " + ratio(calls, rawCalls).format("%.2f")
                + "× feed calls", "accounting law holds", "yes (checked every trial)");
      }
      if (memory != null) {
        MemoryHarness.PerItem h = memory.perItem().get("handler");
        MemoryHarness.PerItem abq = memory.perItem().get("arrayBlockingQueue");
        MemoryHarness.PerItem lbq = memory.perItem().get("linkedBlockingQueue");
        row(md, "9", "Heap retained per queued item, bytes (JOL / heap delta)", bytes(h),
            bytes(abq) + " (ArrayBlockingQueue); " + bytes(lbq) + " (LinkedBlockingQueue)",
            String.format(Locale.ROOT, "%.1f× ABQ", h.jolBytes() / abq.jolBytes()), "—", "—");
        row(md, "9", "Heap of one more idle handler (not started), bytes", String.valueOf(memory.idleHandlerBytes()), "—",
            "—", "—", "—");
      }
      systemRows.stream().sorted(java.util.Comparator.comparing(TableRow::number))
          .forEach(systemRow -> row(md, systemRow.cells()));
      md.append('\n').append(String.format(Locale.ROOT,
          "Mode %s: %d round(s); JMH 1 fork per round, %d×%s warm-up, %d×%s measurement. Values: median of all "
              + "measurement iterations of all rounds [min–max of the per-round medians]; a ratio or difference is "
              + "taken between pooled medians [and per round]. CPU: process CPU time per operation (all threads "
              + "of the fork; see CpuTimeProfiler), less sensitive to other work on the machine than wall time; a "
              + "CPU ratio is baseline/handler. Wake-ups: voluntary context switches of the fork's threads per "
              + "result (a park and its wake-up count one; PipelineHarness has benchmark 1 with 10 s of Camel "
              + "warm-up and the share of parking iterations). %s, %d CPUs (%s), %s. Suite took %.1f min; "
              + "load average (1/5/15 min) %s before, %s after.%n",
          mode.name(), mode.rounds(), mode.warmups(), mode.warmupTime(), mode.iterations(), mode.iterationTime(),
          LocalDate.now(), Runtime.getRuntime().availableProcessors(), cpuModel(),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), minutes,
          loadBefore, loadAfter));
      return md.toString();
    }

    /** @param goalMicros issue 11's p99 goal at this rate: 100 µs at half the saturated rate, 20 µs at 10,000/s */
    private static void latencyRow(StringBuilder md, Map<String, LatencyHarness.Latency> latencies, String what,
        int goalMicros) {
      LatencyHarness.Latency h = latencies.get(Pipelines.HANDLER);
      LatencyHarness.Latency r = latencies.get(Pipelines.RAW_QUEUES);
      row(md, "4", String.format(Locale.ROOT, "Feed-to-result latency at %,.0f items/s (%s): p50 / p99 / p99.9, µs",
              h.rate(), what), percentiles(h) + p99Spread(h),
          percentiles(r) + p99Spread(r) + " (2 ArrayBlockingQueues)",
          String.format(Locale.ROOT, "p99 %.2f×", h.p99() / (double) r.p99()), "p99 ≤ " + goalMicros + " µs", met(h.p99() <= goalMicros * 1_000L));
    }

    /** CPU ns per result, and {@code wakeups} (from {@link #perResult}) beside it when there are any. */
    private static String cpu(Series cpuNanos, String wakeups) {
      return cpuNanos.isEmpty() ? "" : " (" + figure(cpuNanos).format("%,.0f") + " ns" + wakeups + ")";
    }

    /** "; N wake-ups" per result of a {@code ThroughputBench} pipeline, or "" without the secondary result. */
    private String perResult(String pipeline) {
      Series wakeups = of("ThroughputBench.throughput " + pipeline + " " + WAKEUPS);
      return wakeups.isEmpty() ? "" : "; " + figure(wakeups).format("%.2f") + " wake-ups";
    }

    /** CPU per result of the baseline over the handler's: above 1, the handler spends less. */
    private static String cpuRatio(Series baselineCpu, Series handlerCpu) {
      Figure ratio = ratio(baselineCpu, handlerCpu);
      return ratio == Figure.NONE ? "" : " (CPU: " + ratio.format("%.2f") + "×)";
    }

    private static String count(Series values) {
      return figure(values).format("%,.0f");
    }

    private static void row(StringBuilder md, String... cells) {
      md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String met(boolean met) {
      return TableRow.met(met);
    }

    private static String count(List<Double> values) {
      return spread(values, "%,.0f");
    }

    /** The median of {@code values} [min–max], in {@code format}; "—" when there are none. */
    static String spread(List<Double> values, String format) {
      if (values.isEmpty()) {
        return "—";
      }
      String median = String.format(Locale.ROOT, format, median(values));
      if (values.size() == 1) {
        return median;
      }
      double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      return median + " [" + String.format(Locale.ROOT, format, min) + "–" + String.format(Locale.ROOT, format, max) + "]";
    }

    private static String percentiles(LatencyHarness.Latency l) {
      return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", l.p50() / 1e3, l.p99() / 1e3, l.p999() / 1e3);
    }

    private static String p99Spread(LatencyHarness.Latency l) {
      if (l.p99PerRound().size() < 2) {
        return "";
      }
      List<Double> micros = l.p99PerRound().stream().map(n -> n / 1e3).toList();
      return " (p99 per round " + spread(micros, "%.1f") + ")";
    }

    private static String bytes(MemoryHarness.PerItem row) {
      return String.format(Locale.ROOT, "%.1f / %.1f", row.jolBytes(), row.heapDeltaBytes());
    }

    /** A headline value and what it was per round. */
    record Figure(double value, List<Double> perRound) {
      static final Figure NONE = new Figure(Double.NaN, List.of());

      String format(String format) {
        if (this == NONE) {
          return "—";
        }
        String headline = String.format(Locale.ROOT, format, value);
        if (perRound.size() < 2) {
          return headline;
        }
        double min = perRound.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = perRound.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return headline + " [" + String.format(Locale.ROOT, format, min) + "–" + String.format(Locale.ROOT, format, max)
            + "]";
      }
    }

    static double median(List<Double> values) {
      if (values.isEmpty()) {
        return Double.NaN;
      }
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int middle = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
  }

  /** The 1, 5 and 15 minute load averages: other work on the machine skews every figure. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + "/" + fields[1] + "/" + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(line -> line.startsWith("model name")).findFirst()
          .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }
}
