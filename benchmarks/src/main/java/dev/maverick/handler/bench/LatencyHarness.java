package dev.maverick.handler.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Benchmark 4: feed-to-result latency percentiles at half of the measured maximum rate.
 *
 * <p>Not a JMH benchmark: JMH's {@code SampleTime} times one method on one thread, while this
 * latency starts on the producer's thread and ends on the consumer's, and needs an open-loop
 * producer that sends on a schedule whatever the pipeline does. So: each round first measures
 * the maximum rate of the handler and of its baseline (two {@code ArrayBlockingQueue}s),
 * saturated as in benchmark 1; then runs the handler and the baseline at half the handler's
 * maximum, the same rate for both; then both again at a low fixed rate, where nothing queues and
 * the figure is the cost of handing an item from thread to thread. The producer stamps each item
 * with {@link System#nanoTime()} just before {@code feed}; the consumer records {@code now - stamp}
 * into an HdrHistogram as it takes the result (one writer, no allocation). A second histogram
 * measures from the item's scheduled send time, so that time the producer spent blocked in
 * {@code feed} is not hidden (coordinated omission); its p99 is reported beside.
 *
 * <p>The producer sleeps ({@code parkNanos}) when the next send is more than 60 µs away, and
 * otherwise spins with {@link Thread#yield()}, so that on a small machine it does not keep a core
 * from the worker and the consumer.
 */
public final class LatencyHarness {

  private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long PARK_ABOVE_NANOS = TimeUnit.MICROSECONDS.toNanos(60);
  /** Linux wakes a parked thread up to 50 µs late (timer slack): wake that much early. */
  private static final long PARK_SLACK_NANOS = TimeUnit.MICROSECONDS.toNanos(55);

  /**
   * How long and how often to measure.
   *
   * @param fixedRate the low rate of the second measurement, items per second
   */
  public record Settings(int rounds, double maxSeconds, double warmSeconds, double measureSeconds, int capacity,
      double fixedRate) {}

  /** Percentiles of one pipeline at one rate, all rounds merged; nanoseconds. */
  public record Latency(String pipeline, double rate, long count, long p50, long p90, long p99, long p999, long max,
      long scheduledP99, List<Long> p99PerRound) {}

  /** Everything one run measured: latencies by pipeline, at half the handler's maximum and at the fixed rate. */
  public record Report(List<Double> handlerMaxRates, List<Double> rawMaxRates, Map<String, Latency> atHalfMax,
      Map<String, Latency> atFixedRate) {}

  private LatencyHarness() {}

  /** Runs the harness from the command line: {@code [rounds [measureSeconds [fixedRate]]]}. */
  public static void main(String[] args) throws InterruptedException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    double fixedRate = args.length > 2 ? Double.parseDouble(args[2]) : 10_000;
    run(new Settings(rounds, 2, 1, measure, 128, fixedRate), System.out);
  }

  /** Runs every round and merges them. */
  public static Report run(Settings settings, PrintStream out) throws InterruptedException {
    List<Double> handlerMax = new ArrayList<>();
    List<Double> rawMax = new ArrayList<>();
    Merged half = new Merged();
    Merged fixed = new Merged();
    for (int round = 1; round <= settings.rounds(); round++) {
      double max = maxRate(Pipelines.HANDLER, settings);
      double maxRaw = maxRate(Pipelines.RAW_QUEUES, settings);
      handlerMax.add(max);
      rawMax.add(maxRaw);
      out.printf("latency round %d: max rate handler %.0f/s, raw queues %.0f/s%n", round, max, maxRaw);
      for (String kind : List.of(Pipelines.HANDLER, Pipelines.RAW_QUEUES)) {
        half.add(kind, max / 2, settings, out);
      }
      for (String kind : List.of(Pipelines.HANDLER, Pipelines.RAW_QUEUES)) {
        fixed.add(kind, settings.fixedRate(), settings, out);
      }
    }
    return new Report(handlerMax, rawMax, half.latencies(), fixed.latencies());
  }

  /** Histograms of several rounds, by pipeline. */
  private static final class Merged {
    private final Map<String, Histogram> fromFeed = new LinkedHashMap<>();
    private final Map<String, Histogram> fromSchedule = new LinkedHashMap<>();
    private final Map<String, List<Long>> p99s = new LinkedHashMap<>();
    private final Map<String, List<Double>> rates = new LinkedHashMap<>();

    void add(String kind, double rate, Settings settings, PrintStream out) throws InterruptedException {
      Histogram feed = new Histogram(HIGHEST_NANOS, 3);
      Histogram scheduled = new Histogram(HIGHEST_NANOS, 3);
      paced(kind, rate, settings, feed, scheduled);
      out.printf("  %-9s at %,9.0f/s: p50 %7.1f us  p99 %8.1f us  p99.9 %8.1f us  max %8.1f us"
              + "  (from schedule: p99 %8.1f us; %d items)%n", kind, rate,
          micros(feed.getValueAtPercentile(50)), micros(feed.getValueAtPercentile(99)),
          micros(feed.getValueAtPercentile(99.9)), micros(feed.getMaxValue()),
          micros(scheduled.getValueAtPercentile(99)), feed.getTotalCount());
      fromFeed.computeIfAbsent(kind, k -> new Histogram(HIGHEST_NANOS, 3)).add(feed);
      fromSchedule.computeIfAbsent(kind, k -> new Histogram(HIGHEST_NANOS, 3)).add(scheduled);
      p99s.computeIfAbsent(kind, k -> new ArrayList<>()).add(feed.getValueAtPercentile(99));
      rates.computeIfAbsent(kind, k -> new ArrayList<>()).add(rate);
    }

    Map<String, Latency> latencies() {
      Map<String, Latency> latencies = new LinkedHashMap<>();
      fromFeed.forEach((kind, h) -> latencies.put(kind, new Latency(kind,
          rates.get(kind).stream().mapToDouble(Double::doubleValue).average().orElse(0), h.getTotalCount(),
          h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
          h.getValueAtPercentile(99.9), h.getMaxValue(), fromSchedule.get(kind).getValueAtPercentile(99),
          List.copyOf(p99s.get(kind)))));
      return latencies;
    }
  }

  /** Results per second with the producer feeding without pause (benchmark 1's setting). */
  static double maxRate(String kind, Settings settings) throws InterruptedException {
    Feeder feeder = Feeder.start(Pipelines.create(kind, settings.capacity()));
    try {
      long warmEnd = System.nanoTime() + seconds(settings.warmSeconds() / 2);
      while (System.nanoTime() - warmEnd < 0) {
        feeder.take();
      }
      long start = System.nanoTime();
      long end = start + seconds(settings.maxSeconds());
      long taken = 0;
      long now;
      do {
        feeder.take();
        taken++;
        now = System.nanoTime();
      } while (now - end < 0);
      return taken * 1e9 / (now - start);
    } finally {
      feeder.stopAndVerify();
    }
  }

  /**
   * Feeds {@code kind} at {@code rate} items per second for the warm-up and the measurement, the
   * caller's thread taking results; records the items sent during the measurement.
   */
  static void paced(String kind, double rate, Settings settings, Histogram fromFeed, Histogram fromSchedule)
      throws InterruptedException {
    Pipeline pipeline = Pipelines.create(kind, settings.capacity());
    long[] fedAt = new long[Items.POOL];
    long[] dueAt = new long[Items.POOL];
    double interval = 1e9 / rate;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
    long recordFrom = start + seconds(settings.warmSeconds());
    long stopAt = recordFrom + seconds(settings.measureSeconds());
    long[] fed = new long[1];
    Throwable[] failure = new Throwable[1];
    Thread producer = new Thread(() -> {
      long sequence = 0;
      try {
        while (true) {
          long due = start + (long) (sequence * interval);
          if (due - stopAt >= 0) {
            break;
          }
          waitUntil(due);
          int slot = Items.slot(sequence);
          dueAt[slot] = due;
          fedAt[slot] = System.nanoTime();
          pipeline.feed(Items.get(sequence));
          sequence++;
        }
      } catch (Throwable error) {
        failure[0] = error;
      } finally {
        fed[0] = sequence;
      }
    }, "bench-paced-producer");
    producer.setDaemon(true);
    producer.start();
    long taken = 0;
    try {
      long deadline = stopAt + Feeder.STALL_NANOS;
      // fed[0] is read only once the producer has ended (isAlive() false orders its last write first)
      while ((producer.isAlive() || taken < fed[0]) && System.nanoTime() - deadline < 0) {
        Object result = pipeline.take(TimeUnit.MILLISECONDS.toNanos(1));
        if (result == null) {
          continue;
        }
        long now = System.nanoTime();
        taken++;
        int slot = (Integer) Echo.itemOf(result);
        if (dueAt[slot] - recordFrom >= 0) {
          fromFeed.recordValue(Math.min(now - fedAt[slot], HIGHEST_NANOS));
          fromSchedule.recordValue(Math.min(now - dueAt[slot], HIGHEST_NANOS));
        }
      }
      producer.join();
      if (failure[0] != null) {
        throw new IllegalStateException("the paced producer failed", failure[0]);
      }
      pipeline.verify(fed[0], taken);
    } finally {
      pipeline.close();
    }
  }

  private static void waitUntil(long due) {
    long now;
    while ((now = System.nanoTime()) - due < 0) {
      if (due - now > PARK_ABOVE_NANOS) {
        LockSupport.parkNanos(due - now - PARK_SLACK_NANOS);
      } else {
        Thread.yield();
      }
    }
  }

  private static long seconds(double seconds) {
    return (long) (seconds * 1e9);
  }

  static double micros(long nanos) {
    return nanos / 1000.0;
  }
}
