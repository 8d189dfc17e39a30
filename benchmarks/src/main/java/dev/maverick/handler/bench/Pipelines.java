package dev.maverick.handler.bench;

import dev.maverick.handler.WaitStrategy;
import java.util.List;

/** The pipelines benchmarks 1, 2 and 4 compare, by the name a JMH parameter gives. */
public final class Pipelines {

  /** The handler under test. */
  public static final String HANDLER = "handler";
  /** The handler under test with {@code wait_strategy=spin}: see {@link dev.maverick.handler.WaitStrategy}. */
  public static final String HANDLER_SPIN = "handlerSpin";
  /** Baseline: two ArrayBlockingQueues and a worker thread. */
  public static final String RAW_QUEUES = "rawQueues";
  /** Baseline: the same, with a worker that drains in batches ({@code drainTo}). */
  public static final String RAW_BATCHING = "rawBatching";
  /** Baseline: the Camel seda route. */
  public static final String CAMEL_SEDA = "camelSeda";

  /** Every name {@link #create} knows. */
  public static final List<String> ALL = List.of(HANDLER, HANDLER_SPIN, RAW_QUEUES, RAW_BATCHING, CAMEL_SEDA);

  private Pipelines() {}

  /** A new pipeline of the given kind whose queues hold {@code capacity} elements each. */
  public static Pipeline create(String kind, int capacity) {
    return switch (kind) {
      case HANDLER -> new HandlerPipeline(capacity, WaitStrategy.PARK);
      case HANDLER_SPIN -> new HandlerPipeline(capacity, WaitStrategy.SPIN);
      case RAW_QUEUES -> new RawQueuesPipeline(capacity);
      case RAW_BATCHING -> new RawBatchingPipeline(capacity);
      case CAMEL_SEDA -> new CamelPipeline(capacity);
      default -> throw new IllegalArgumentException("unknown pipeline '" + kind + "'; known: " + ALL);
    };
  }
}
