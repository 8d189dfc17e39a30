package dev.maverick.handler.bench;

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
import org.openjdk.jmh.annotations.Threads;

/**
 * Benchmarks 1 and 2, threaded throughput: one producer thread feeding, the worker doing the
 * echo's work, and the benchmark thread taking results; the score is results taken per second.
 * {@code pipeline=handler} is the handler under {@code overflow_policy=block}; its baselines, each
 * in its own forks of the same run: {@code rawQueues}, the same three threads around two
 * {@link java.util.concurrent.ArrayBlockingQueue}s of the same capacity (benchmark 1), {@code
 * rawBatching}, the same with a worker draining in batches ({@link RawBatchingPipeline}), and
 * {@code camelSeda}, the route {@code from("seda:in").process(...).to("seda:out")} (benchmark 2).
 * Every trial ends by checking that each fed item came out exactly once, and the handler's books.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class ThroughputBench {

  /** Which pipeline: see {@link Pipelines}. */
  @Param({Pipelines.HANDLER, Pipelines.RAW_QUEUES, Pipelines.RAW_BATCHING, Pipelines.CAMEL_SEDA})
  public String pipeline;

  /** Capacity of the input and of the result queue (the handler's default is 128). */
  @Param("128")
  public int capacity;

  private Feeder feeder;

  @Setup(Level.Trial)
  public void setUp() {
    feeder = Feeder.start(Pipelines.create(pipeline, capacity));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    feeder.stopAndVerify();
  }

  /** Takes one result; the producer and the worker keep the pipeline full meanwhile. */
  @Benchmark
  public Object throughput() throws InterruptedException {
    return feeder.take();
  }
}
