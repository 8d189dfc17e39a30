package dev.maverick.handler.bench;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.WaitStrategy;
import java.time.Duration;
import java.util.Optional;

/**
 * The handler under test: an echo handler with one worker thread, both queues of the given
 * capacity, {@code overflow_policy=block} waiting without limit, so that nothing is ever dropped.
 */
public final class HandlerPipeline implements Pipeline {

  private final Echo.Handler handler;
  private Duration lastTimeout = Duration.ZERO; // the consumer's thread only

  public HandlerPipeline(int capacity) {
    this(capacity, WaitStrategy.PARK);
  }

  /** @param waitStrategy how its threads wait ({@code wait_strategy}) */
  public HandlerPipeline(int capacity, WaitStrategy waitStrategy) {
    handler = new Echo.Handler(HandlerConfig.builder()
        .waitStrategy(waitStrategy)
        .name("bench")
        .runAsThread(true)
        .maxQueueSize(capacity)
        .overflowPolicy(OverflowPolicy.BLOCK)
        .offerTimeout(Duration.ZERO)
        .build());
    handler.start();
  }

  @Override
  public void feed(Object item) {
    if (!handler.feed(item)) {
      throw new IllegalStateException("the handler refused an item under overflow_policy=block: " + handler.stats());
    }
  }

  @Override
  public Object take(long timeoutNanos) {
    // a caller holds its timeout as a constant; do not measure making a Duration per call
    Duration timeout = lastTimeout;
    if (timeout.toNanos() != timeoutNanos) {
      timeout = Duration.ofNanos(timeoutNanos);
      lastTimeout = timeout;
    }
    Optional<?> result = handler.getResult(timeout);
    return result.orElse(null);
  }

  @Override
  public void verify(long fed, long taken) {
    // Taking the last result is not yet quiescence: the worker queues a result before it runs
    // hookAfterGenerate and leaves the in-flight count, so wait for it to be idle (PROFILE.md, P0).
    long deadline = System.nanoTime() + Feeder.STALL_NANOS;
    HandlerStats stats = handler.stats();
    while (stats.inFlight() > 0 && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
      stats = handler.stats();
    }
    Pipeline.check(stats.fedCount() == fed, "fed " + fed + " but the handler counted " + stats);
    Pipeline.check(stats.processedCount() == fed, "fed " + fed + " but processed " + stats);
    Pipeline.check(stats.resultsTaken() == taken, "took " + taken + " but the handler counted " + stats);
    Pipeline.check(stats.droppedCount() == 0 && stats.errorCount() == 0, "drops or errors under block: " + stats);
    Pipeline.check(stats.isBalanced(), "accounting law broken at quiescence: " + stats);
  }

  @Override
  public void close() {
    handler.close();
    HandlerStats stats = handler.stats();
    Pipeline.check(stats.isBalanced() && stats.droppedCount() == 0, "accounting law broken after close: " + stats);
  }

  /** The handler itself, for benchmarks that look at more than the pipeline. */
  public Echo.Handler handler() {
    return handler;
  }
}
