package dev.maverick.handler.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Benchmark 1 (and 1b, 2) as issue 11 asks for it: {@link ThroughputBench} in rounds, each round one
 * JMH fork of every pipeline ({@link Pipelines#ALL}) in an order that rotates from round to round,
 * so that a ratio can be taken per round and no pipeline always runs first. Each fork: 3 × 1 s of
 * warm-up (Camel 10 × 1 s), then N × 1 s measured; every iteration gives results/s, CPU ns per
 * result and wake-ups per result ({@link CpuTimeProfiler}). An iteration with at least
 * {@value #PARKING} wake-ups per result is a <em>parking</em> iteration (threads park and are woken
 * about once per item or more), otherwise a <em>batching</em> one. Writes {@code pipeline.md} (the
 * table, the goals, the machine) and {@code pipeline-iterations.csv} (every measured iteration).
 *
 * <pre>
 *   java -cp benchmarks.jar dev.maverick.handler.bench.PipelineHarness --rounds 10 [--iterations 5] [--out DIR]
 *   java -cp benchmarks.jar dev.maverick.handler.bench.PipelineHarness --smoke
 * </pre>
 *
 * The exit status is non-zero only when a fork failed (an exception, a broken accounting check),
 * never because of a timing.
 */
public final class PipelineHarness {

  /** Wake-ups per result from which an iteration counts as a parking one. */
  static final double PARKING = 0.5;

  /** How much to measure. */
  record Settings(int rounds, int warmups, int camelWarmups, TimeValue warmupTime, int iterations,
      TimeValue iterationTime) {}

  /** One measured iteration. */
  record Iteration(double throughput, double cpuNanos, double wakeups) {
    boolean parking() {
      return wakeups >= PARKING;
    }
  }

  private static final String BENCHMARK = "^" + Pattern.quote(ThroughputBench.class.getName() + ".throughput") + "$";

  private PipelineHarness() {}

  public static void main(String[] args) throws Exception {
    int rounds = 10;
    int iterations = 5;
    boolean smoke = false;
    Path out = Path.of("bench-results");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
        case "--iterations" -> iterations = Integer.parseInt(value(args, ++i));
        case "--out" -> out = Path.of(value(args, ++i));
        case "--smoke" -> smoke = true;
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; use --rounds N, --iterations N, --out DIR, --smoke");
      }
    }
    Settings settings = smoke
        ? new Settings(1, 1, 1, TimeValue.milliseconds(500), 1, TimeValue.seconds(1))
        : new Settings(rounds, 3, 10, TimeValue.seconds(1), iterations, TimeValue.seconds(1));
    Files.createDirectories(out);
    String loadBefore = Suite.loadAverage();
    long started = System.nanoTime();
    Map<String, List<List<Iteration>>> measured = run(settings, System.out);
    double minutes = (System.nanoTime() - started) / 60e9;
    String loadAfter = Suite.loadAverage();
    String report = report(measured, settings, smoke, minutes, loadBefore, loadAfter);
    Files.writeString(out.resolve("pipeline.md"), report);
    Files.writeString(out.resolve("pipeline-iterations.csv"), csv(measured));
    System.out.println();
    System.out.println(report);
    System.out.println("written to " + out.toAbsolutePath().resolve("pipeline.md") + " and pipeline-iterations.csv");
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  /** Runs the rounds; per pipeline, per round, the measured iterations. */
  static Map<String, List<List<Iteration>>> run(Settings settings, PrintStream log) throws Exception {
    Map<String, List<List<Iteration>>> measured = new LinkedHashMap<>();
    Pipelines.ALL.forEach(pipeline -> measured.put(pipeline, new ArrayList<>()));
    int kinds = Pipelines.ALL.size();
    for (int round = 0; round < settings.rounds(); round++) {
      for (int k = 0; k < kinds; k++) {
        String pipeline = Pipelines.ALL.get((round + k) % kinds);
        log.printf(Locale.ROOT, "%n=== round %d of %d: %s ===%n", round + 1, settings.rounds(), pipeline);
        measured.get(pipeline).add(fork(settings, pipeline));
      }
    }
    return measured;
  }

  /** One JMH fork of {@link ThroughputBench} for {@code pipeline}; its measured iterations. */
  private static List<Iteration> fork(Settings settings, String pipeline) throws Exception {
    boolean camel = pipeline.equals(Pipelines.CAMEL_SEDA);
    var options = new OptionsBuilder()
        .include(BENCHMARK)
        .param("pipeline", pipeline)
        .forks(1)
        .warmupIterations(camel ? settings.camelWarmups() : settings.warmups())
        .warmupTime(settings.warmupTime())
        .measurementIterations(settings.iterations())
        .measurementTime(settings.iterationTime())
        .shouldFailOnError(true)
        .addProfiler(CpuTimeProfiler.class)
        .build();
    List<Iteration> iterations = new ArrayList<>();
    for (RunResult run : new Runner(options).run()) {
      for (BenchmarkResult forkResult : run.getBenchmarkResults()) {
        for (IterationResult iteration : forkResult.getIterationResults()) {
          Map<String, Result> secondary = iteration.getSecondaryResults();
          iterations.add(new Iteration(iteration.getPrimaryResult().getScore(), score(secondary, "cpu.time.norm"),
              score(secondary, "wakeups.norm")));
        }
      }
    }
    if (iterations.isEmpty()) {
      throw new IllegalStateException("no measured iteration for " + pipeline);
    }
    return iterations;
  }

  private static double score(Map<String, Result> secondary, String label) {
    Result result = secondary.get(label);
    return result == null ? Double.NaN : result.getScore();
  }

  /** The markdown report: the pipelines, the goals, the machine. */
  static String report(Map<String, List<List<Iteration>>> measured, Settings settings, boolean smoke, double minutes,
      String loadBefore, String loadAfter) {
    StringBuilder md = new StringBuilder();
    md.append("| Pipeline | Results/s | CPU ns/result | Wake-ups/result | Parking iterations |\n");
    md.append("|---|---|---|---|---|\n");
    measured.forEach((pipeline, rounds) -> md.append("| ").append(pipeline).append(" | ")
        .append(figure(rounds, Iteration::throughput, "%,.0f")).append(" | ")
        .append(figure(rounds, Iteration::cpuNanos, "%,.0f")).append(" | ")
        .append(figure(rounds, Iteration::wakeups, "%.3f")).append(" | ")
        .append(parkingShare(rounds)).append(" |\n"));
    md.append("\n| Goal (issue 11) | Ratio per round: median [min–max] | Met |\n|---|---|---|\n");
    goal(md, measured, "Results/s, handler / rawQueues ≥ 1.2×", Iteration::throughput, Pipelines.RAW_QUEUES, 1.2, true);
    goal(md, measured, "Results/s, handler / rawBatching ≥ 1.0×", Iteration::throughput, Pipelines.RAW_BATCHING, 1.0,
        true);
    goal(md, measured, "CPU per result, handler / rawQueues ≤ 1.0×", Iteration::cpuNanos, Pipelines.RAW_QUEUES, 1.0,
        false);
    goal(md, measured, "CPU per result, handler / rawBatching ≤ 1.0×", Iteration::cpuNanos, Pipelines.RAW_BATCHING,
        1.0, false);
    goal(md, measured, "Results/s, handler / camelSeda ≥ 5×", Iteration::throughput, Pipelines.CAMEL_SEDA, 5.0, true);
    md.append('\n').append(String.format(Locale.ROOT,
        "%s%d round(s), each one JMH fork per pipeline in a rotating order; warm-up %d × %s (camelSeda %d × %s), "
            + "measurement %d × %s; queues of 128, block. Values: median of all measured iterations [min–max of the "
            + "per-round medians]. Wake-ups: voluntary context switches of all the fork's threads per result "
            + "(CpuTimeProfiler); an iteration is a parking one at ≥ %.1f wake-ups per result, else a batching one. "
            + "A goal's ratio is taken between the two pipelines' medians of the same round.%n%n"
            + "Machine: %d CPUs (%s); %s; %s. Took %.1f min; load average (1/5/15 min) %s before, %s after.%n",
        smoke ? "SMOKE (not a measurement): " : "", settings.rounds(), settings.warmups(), settings.warmupTime(),
        settings.camelWarmups(), settings.warmupTime(), settings.iterations(), settings.iterationTime(), PARKING,
        Runtime.getRuntime().availableProcessors(), Suite.cpuModel(), javaVersion(),
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), minutes, loadBefore, loadAfter));
    return md.toString();
  }

  private static void goal(StringBuilder md, Map<String, List<List<Iteration>>> measured, String what,
      ToDoubleFunction<Iteration> metric, String baseline, double goal, boolean atLeast) {
    List<List<Iteration>> handler = measured.get(Pipelines.HANDLER);
    List<List<Iteration>> other = measured.get(baseline);
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < Math.min(handler.size(), other.size()); round++) {
      ratios.add(median(handler.get(round), metric) / median(other.get(round), metric));
    }
    long met = ratios.stream().filter(r -> atLeast ? r >= goal : r <= goal).count();
    md.append("| ").append(what).append(" | ").append(Suite.Results.spread(ratios, "%.2f")).append("× | met in ")
        .append(met).append(" of ").append(ratios.size()).append(" rounds |\n");
  }

  /** Median of all iterations [min–max of the per-round medians]. */
  private static String figure(List<List<Iteration>> rounds, ToDoubleFunction<Iteration> metric, String format) {
    List<Iteration> all = rounds.stream().flatMap(List::stream).toList();
    List<Double> perRound = rounds.stream().map(round -> median(round, metric)).toList();
    return spread(median(all, metric), perRound, format);
  }

  /** Share of parking iterations, all rounds [min–max per round]. */
  private static String parkingShare(List<List<Iteration>> rounds) {
    List<Iteration> all = rounds.stream().flatMap(List::stream).toList();
    List<Double> perRound = rounds.stream().map(PipelineHarness::share).toList();
    if (all.stream().allMatch(it -> Double.isNaN(it.wakeups()))) {
      return "—";
    }
    return spread(share(all), perRound, "%.0f%%") + " of " + all.size();
  }

  private static double share(List<Iteration> iterations) {
    return 100.0 * iterations.stream().filter(Iteration::parking).count() / iterations.size();
  }

  private static String spread(double headline, List<Double> perRound, String format) {
    if (Double.isNaN(headline)) {
      return "—";
    }
    String text = String.format(Locale.ROOT, format, headline);
    if (perRound.size() < 2) {
      return text;
    }
    double min = perRound.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = perRound.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return text + " [" + String.format(Locale.ROOT, format, min) + "–" + String.format(Locale.ROOT, format, max) + "]";
  }

  private static double median(List<Iteration> iterations, ToDoubleFunction<Iteration> metric) {
    return Suite.Results.median(iterations.stream().map(metric::applyAsDouble).toList());
  }

  /** Every measured iteration, one line each. */
  static String csv(Map<String, List<List<Iteration>>> measured) {
    StringBuilder csv = new StringBuilder("pipeline,round,iteration,results_per_s,cpu_ns_per_result,"
        + "wakeups_per_result,regime\n");
    measured.forEach((pipeline, rounds) -> {
      for (int round = 0; round < rounds.size(); round++) {
        List<Iteration> iterations = rounds.get(round);
        for (int i = 0; i < iterations.size(); i++) {
          Iteration it = iterations.get(i);
          csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.1f,%.1f,%.4f,%s%n", pipeline, round + 1, i + 1,
              it.throughput(), it.cpuNanos(), it.wakeups(), it.parking() ? "parking" : "batching"));
        }
      }
    });
    return csv.toString();
  }

  /** The first line of {@code java -version} of this JVM, and its VM line. */
  static String javaVersion() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try {
      Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
      List<String> lines;
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        lines = reader.lines().toList();
      }
      process.waitFor();
      return lines.isEmpty() ? "java -version: no output"
          : lines.get(0) + (lines.size() > 2 ? " (" + lines.get(2) + ")" : "");
    } catch (Exception e) {
      return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }
  }
}
