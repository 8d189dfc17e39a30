package dev.maverick.handler.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the wires benchmark ({@link WiredGraphThroughput}) in alternated rounds: each round one JMH
 * fork of each pipeline, in an order that rotates from round to round, so that the subject and its
 * two baselines share the machine's mood; a ratio is taken per round. Writes {@code wires.md}.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.maverick.handler.bench.WiresHarness [--rounds 10] [--out DIR] [--smoke]
 * </pre>
 *
 * Goals: wired ≥ 1.0× the hand-written loop, ≥ 3× Camel. The exit status is non-zero only when a
 * trial failed its checks, never because of a timing.
 */
public final class WiresHarness {
  private static final List<String> PIPELINES = List.of(WiredGraphThroughput.WIRED, WiredGraphThroughput.GLUE_LOOP,
      WiredGraphThroughput.CAMEL);

  private WiresHarness() {}

  public static void main(String[] args) throws Exception {
    int rounds = 10;
    Path out = Path.of("bench-results");
    boolean smoke = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--smoke" -> smoke = true;
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; use --rounds N, --out DIR, --smoke");
      }
    }
    if (smoke) {
      rounds = 1;
    }
    String loadBefore = Suite.loadAverage();
    long started = System.nanoTime();
    // pipeline -> round -> iteration scores (results/s) and CPU ns per result
    Map<String, List<List<Double>>> scores = new LinkedHashMap<>();
    Map<String, List<List<Double>>> cpu = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < PIPELINES.size(); k++) {
        String pipeline = PIPELINES.get((round + k) % PIPELINES.size());
        RunResult result = run(pipeline, smoke);
        List<Double> iterations = new ArrayList<>();
        List<Double> cpuPerResult = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
          for (IterationResult iteration : fork.getIterationResults()) {
            iterations.add(iteration.getPrimaryResult().getScore());
            if (iteration.getSecondaryResults().containsKey("cpu.time.norm")) {
              cpuPerResult.add(iteration.getSecondaryResults().get("cpu.time.norm").getScore());
            }
          }
        }
        scores.computeIfAbsent(pipeline, any -> new ArrayList<>()).add(iterations);
        cpu.computeIfAbsent(pipeline, any -> new ArrayList<>()).add(cpuPerResult);
        System.out.printf(Locale.ROOT, "round %d %s: %.0f results/s%n", round + 1, pipeline, Suite.Results.median(iterations));
      }
    }
    String table = table(scores, cpu, rounds, smoke, loadBefore, Suite.loadAverage(), (System.nanoTime() - started) / 60e9);
    Files.createDirectories(out);
    Files.writeString(out.resolve("wires.md"), table);
    System.out.println();
    System.out.println(table);
    System.out.println("written to " + out.toAbsolutePath().resolve("wires.md"));
  }

  private static RunResult run(String pipeline, boolean smoke) throws Exception {
    OptionsBuilder options = new OptionsBuilder();
    options.include(WiredGraphThroughput.class.getName().replace(".", "\\.") + "\\.throughput")
        .param("pipeline", pipeline)
        .forks(1)
        .warmupIterations(smoke ? 1 : 5)
        .warmupTime(smoke ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
        .measurementIterations(smoke ? 1 : 5)
        .measurementTime(TimeValue.seconds(1))
        .shouldFailOnError(true)
        .addProfiler(CpuTimeProfiler.class);
    while (true) {
      try {
        return new Runner(options.build()).runSingle();
      } catch (RunnerException e) {
        // JMH holds /tmp/jmh.lock while it runs: someone else's run on this machine; wait for it
        if (e.getMessage() == null || !e.getMessage().contains("JMH lock")) {
          throw e;
        }
        System.out.println("another JMH run holds the lock; waiting 30 s");
        Thread.sleep(30_000);
      }
    }
  }

  private static String table(Map<String, List<List<Double>>> scores, Map<String, List<List<Double>>> cpu, int rounds,
      boolean smoke, String loadBefore, String loadAfter, double minutes) {
    StringBuilder md = new StringBuilder();
    md.append("| Pipeline | Results/s | CPU ns per result | Wired ÷ this, results/s (per round: median [min–max]; rounds ≥ goal) | Goal |\n");
    md.append("|---|---|---|---|---|\n");
    List<Double> wiredRounds = roundMedians(scores.get(WiredGraphThroughput.WIRED));
    for (String pipeline : PIPELINES) {
      List<Double> perRound = roundMedians(scores.get(pipeline));
      String ratio = "—";
      String goal = "—";
      if (!pipeline.equals(WiredGraphThroughput.WIRED)) {
        double target = pipeline.equals(WiredGraphThroughput.GLUE_LOOP) ? 1.0 : 3.0;
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < perRound.size(); i++) {
          ratios.add(wiredRounds.get(i) / perRound.get(i));
        }
        long met = ratios.stream().filter(r -> r >= target).count();
        double pooled = pooled(scores.get(WiredGraphThroughput.WIRED)) / pooled(scores.get(pipeline));
        ratio = String.format(Locale.ROOT, "%.2f× pooled; %s per round; %d of %d", pooled, spread(ratios, "%.2f"), met,
            ratios.size());
        goal = String.format(Locale.ROOT, "≥ %.1f× (%s)", target, pooled >= target ? "met" : "**not met**");
      }
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", describe(pipeline),
          spread(perRound, "%,.0f"), spread(roundMedians(cpu.get(pipeline)), "%,.0f"), ratio, goal));
    }
    md.append(String.format(Locale.ROOT, "%n%s: %d round(s), each one JMH fork per pipeline in rotating order, %s; "
            + "results/s and CPU per result: median of each round's iterations, then median [min–max] over rounds; "
            + "pooled: the ratio of the medians of all iterations. Three echo stages, queues and buffers of 128, "
            + "block everywhere. %s, %d CPUs (%s), %s. Took %.1f min; load average (1/5/15 min) %s before, %s after.%n",
        smoke ? "Smoke (not a measurement)" : "Measured", rounds,
        smoke ? "1×0.5 s warm-up, 1×1 s measurement" : "5×1 s warm-up (Camel warms up slowly), 5×1 s measurement", LocalDate.now(),
        Runtime.getRuntime().availableProcessors(), Suite.cpuModel(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), minutes, loadBefore,
        loadAfter));
    return md.toString();
  }

  private static String describe(String pipeline) {
    return switch (pipeline) {
      case WiredGraphThroughput.WIRED -> "wired: 3 handlers, 2 wires";
      case WiredGraphThroughput.GLUE_LOOP -> "glue loop: 3 handlers, a getResult/feed thread per hop";
      default -> "Camel 4.22: 3 SEDA stages";
    };
  }

  private static List<Double> roundMedians(List<List<Double>> rounds) {
    return rounds.stream().map(Suite.Results::median).toList();
  }

  private static double pooled(List<List<Double>> rounds) {
    return Suite.Results.median(rounds.stream().flatMap(List::stream).toList());
  }

  private static String spread(List<Double> values, String format) {
    if (values.isEmpty()) {
      return "—";
    }
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return String.format(Locale.ROOT, format, Suite.Results.median(values)) + " [" + String.format(Locale.ROOT, format, min)
        + "–" + String.format(Locale.ROOT, format, max) + "]";
  }
}
