package dev.maverick.handler.bench;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.OverflowPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Benchmark 5, many producers: four benchmark threads feed one handler under
 * {@code overflow_policy=drop_newest} while its worker does the echo's work and a consumer thread
 * takes the results. Scores: feed calls per second, and beside it ({@code accepted},
 * {@code rejected}) how many of them were accepted or dropped. Baseline ({@code target=rawQueue}):
 * the same threads around an {@link ArrayBlockingQueue} whose {@code offer} drops the newest.
 * Each trial ends at quiescence by checking the accounting law: the handler's counts equal the
 * producers' own, every drop is counted by reason, and {@code stats().isBalanced()}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
@State(Scope.Benchmark)
public class ManyProducersBench {

  /** {@code handler} or its baseline {@code rawQueue}. */
  @Param({"handler", "rawQueue"})
  public String target;

  /** Capacity of the input and of the result queue. */
  @Param("128")
  public int capacity;

  private Target sink;
  private final List<Counters> producers = new CopyOnWriteArrayList<>();

  @Setup(Level.Trial)
  public void setUp() {
    sink = switch (target) {
      case "handler" -> new HandlerTarget(capacity);
      case "rawQueue" -> new RawTarget(capacity);
      default -> throw new IllegalArgumentException("unknown target " + target);
    };
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    long accepted = 0;
    long rejected = 0;
    for (Counters counters : producers) {
      accepted += counters.totalAccepted + counters.accepted;
      rejected += counters.totalRejected + counters.rejected;
    }
    sink.verifyAndClose(accepted, rejected);
  }

  /** One feed from one of the four producers. */
  @Benchmark
  public boolean feed(Counters counters) {
    boolean accepted = sink.offer(Items.get(counters.sequence++));
    if (accepted) {
      counters.accepted++;
    } else {
      counters.rejected++;
    }
    return accepted;
  }

  /** Each producer's own count of what it fed, reported per second beside the score. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Counters {
    /** Feeds accepted in this iteration. */
    public long accepted;
    /** Feeds dropped (queue full) in this iteration. */
    public long rejected;
    long totalAccepted;
    long totalRejected;
    long sequence;

    @Setup(Level.Trial)
    public void register(ManyProducersBench bench) {
      bench.producers.add(this);
    }

    @Setup(Level.Iteration)
    public void nextIteration() {
      totalAccepted += accepted;
      totalRejected += rejected;
      accepted = 0;
      rejected = 0;
    }
  }

  private interface Target {
    boolean offer(Object item);

    void verifyAndClose(long accepted, long rejected) throws InterruptedException;
  }

  /** A consumer thread taking results until told to stop. */
  private static final class Consumer {
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Thread thread;
    private volatile boolean stop;
    private long taken; // read after join

    Consumer(String name, TakeFunction take) {
      thread = new Thread(() -> {
        long count = 0;
        try {
          while (!stop) {
            if (take.take() != null) {
              count++;
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          taken = count;
        }
      }, name);
      thread.setDaemon(true);
      thread.start();
    }

    long stop() throws InterruptedException {
      stop = true;
      thread.join();
      return taken;
    }
  }

  /** Waits while {@code busy} says work is still moving, at most {@link Feeder#STALL_NANOS}. */
  private static void awaitQuiescence(BooleanSupplier busy) throws InterruptedException {
    long deadline = System.nanoTime() + Feeder.STALL_NANOS;
    while (busy.getAsBoolean() && System.nanoTime() - deadline < 0) {
      Thread.sleep(1); // quiescence is a state, not an event anyone signals: poll it
    }
  }

  /** Takes one result, waiting up to {@link Consumer#POLL_NANOS}; null if none came. */
  @FunctionalInterface
  private interface TakeFunction {
    Object take() throws InterruptedException;
  }

  private static final class HandlerTarget implements Target {
    private final Echo.Handler handler;
    private final Consumer consumer;

    HandlerTarget(int capacity) {
      handler = new Echo.Handler(HandlerConfig.builder()
          .name("bench")
          .runAsThread(true)
          .maxQueueSize(capacity)
          .overflowPolicy(OverflowPolicy.DROP_NEWEST)
          .build());
      handler.start();
      Duration pollTimeout = Duration.ofNanos(Consumer.POLL_NANOS);
      consumer = new Consumer("bench-consumer", () -> handler.getResult(pollTimeout).orElse(null));
    }

    @Override
    public boolean offer(Object item) {
      return handler.feed(item);
    }

    @Override
    public void verifyAndClose(long accepted, long rejected) throws InterruptedException {
      awaitQuiescence(() -> {
        HandlerStats now = handler.stats();
        return now.inputQueueSize() > 0 || now.inFlight() > 0 || now.resultQueueSize() > 0;
      });
      long taken = consumer.stop();
      handler.close();
      HandlerStats stats = handler.stats();
      Pipeline.check(stats.fedCount() == accepted + rejected,
          "producers fed " + (accepted + rejected) + " but the handler counted " + stats);
      Pipeline.check(stats.acceptedCount() == accepted, "producers saw " + accepted + " accepted: " + stats);
      Pipeline.check(stats.dropped(DropReason.QUEUE_FULL) == rejected, "producers saw " + rejected + " dropped: " + stats);
      Pipeline.check(stats.processedCount() == accepted, "accepted " + accepted + " but processed: " + stats);
      Pipeline.check(stats.resultsTaken() == taken, "consumer took " + taken + ": " + stats);
      Pipeline.check(stats.isBalanced(), "accounting law broken at quiescence: " + stats);
    }
  }

  private static final class RawTarget implements Target {
    private final ArrayBlockingQueue<Object> in;
    private final ArrayBlockingQueue<Object> out;
    private final LongAdder processed = new LongAdder();
    private final LongAdder resultsDropped = new LongAdder();
    private final Thread worker;
    private final Consumer consumer;

    RawTarget(int capacity) {
      in = new ArrayBlockingQueue<>(capacity);
      out = new ArrayBlockingQueue<>(capacity);
      worker = new Thread(() -> {
        try {
          while (true) {
            Object result = Echo.work(in.take(), Map.of());
            processed.increment();
            if (!out.offer(result)) {
              resultsDropped.increment();
            }
          }
        } catch (InterruptedException closing) {
          // at quiescence
        }
      }, "raw-worker");
      worker.setDaemon(true);
      worker.start();
      consumer = new Consumer("raw-consumer", () -> out.poll(Consumer.POLL_NANOS, TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean offer(Object item) {
      return in.offer(item);
    }

    @Override
    public void verifyAndClose(long accepted, long rejected) throws InterruptedException {
      awaitQuiescence(() -> processed.sum() < accepted || !out.isEmpty());
      long taken = consumer.stop();
      worker.interrupt();
      worker.join();
      Pipeline.check(processed.sum() == accepted && taken + resultsDropped.sum() == accepted,
          "raw queue lost items: accepted " + accepted + ", processed " + processed.sum() + ", taken " + taken
              + ", results dropped " + resultsDropped.sum());
    }
  }
}
