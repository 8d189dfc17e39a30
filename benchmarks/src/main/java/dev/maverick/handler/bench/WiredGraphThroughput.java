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
 * The wires benchmark: results per second through three stages doing the echo's work, one
 * producer thread feeding the first, the benchmark thread taking from the last.
 * {@code pipeline=wired}: three handlers joined by two wires; {@code glueLoop}: the same handlers
 * joined by a hand-written {@code getResult}/{@code feed} loop per hop; {@code camelSeda3}: a Camel
 * route of three SEDA stages. Each trial ends by checking that every fed item came out once and
 * the books (handlers' and wires'). {@link WiresHarness} runs it in alternated rounds; its name
 * keeps it out of the suite's {@code *Bench} run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class WiredGraphThroughput {

  /** The subject. */
  public static final String WIRED = "wired";
  /** Baseline: the same handlers, one getResult/feed thread per hop. */
  public static final String GLUE_LOOP = "glueLoop";
  /** Baseline: Camel, three SEDA stages. */
  public static final String CAMEL = "camelSeda3";

  /** Which pipeline. */
  @Param({WIRED, GLUE_LOOP, CAMEL})
  public String pipeline;

  /** Capacity of every queue and buffer (the handlers' default is 128). */
  @Param("128")
  public int capacity;

  private Feeder feeder;

  /** A new pipeline of the given kind. */
  static Pipeline create(String kind, int capacity) {
    return switch (kind) {
      case WIRED -> new WiredPipeline(capacity);
      case GLUE_LOOP -> new GlueLoopPipeline(capacity);
      case CAMEL -> new CamelThreeStagePipeline(capacity);
      default -> throw new IllegalArgumentException("unknown pipeline '" + kind + "'");
    };
  }

  @Setup(Level.Trial)
  public void setUp() {
    feeder = Feeder.start(create(pipeline, capacity));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    feeder.stopAndVerify();
  }

  /** Takes one result out of the last stage; the producer and the stages keep the graph full meanwhile. */
  @Benchmark
  public Object throughput() throws InterruptedException {
    return feeder.take();
  }
}
