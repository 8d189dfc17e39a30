package dev.maverick.handler.bench;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.OverflowPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The three handlers the wires benchmark joins: echo handlers {@code s1}, {@code s2}, {@code s3},
 * each with one worker, queues of the given capacity and {@code overflow_policy=block} waiting
 * without limit, so that nothing is ever dropped. Items go into {@code s1}; results come out of
 * {@code s3}; how they get from one to the next is what the pipelines compare.
 */
final class ThreeStages implements AutoCloseable {
  final Echo.Handler first;
  final Echo.Handler second;
  final Echo.Handler third;
  private Duration lastTimeout = Duration.ZERO; // the consumer's thread only

  ThreeStages(int capacity) {
    first = stage("s1", capacity);
    second = stage("s2", capacity);
    third = stage("s3", capacity);
  }

  private static Echo.Handler stage(String name, int capacity) {
    Echo.Handler handler = new Echo.Handler(HandlerConfig.builder().name(name).runAsThread(true).maxQueueSize(capacity)
        .overflowPolicy(OverflowPolicy.BLOCK).offerTimeout(Duration.ZERO).build());
    handler.start();
    return handler;
  }

  /** The handlers by name, for wires. */
  Map<String, Echo.Handler> byName() {
    Map<String, Echo.Handler> byName = new LinkedHashMap<>();
    for (Echo.Handler handler : List.of(first, second, third)) {
      byName.put(handler.name(), handler);
    }
    return byName;
  }

  void feed(Object item) {
    if (!first.feed(item)) {
      throw new IllegalStateException("s1 refused an item under overflow_policy=block: " + first.stats());
    }
  }

  Object take(long timeoutNanos) {
    Duration timeout = lastTimeout;
    if (timeout.toNanos() != timeoutNanos) {
      timeout = Duration.ofNanos(timeoutNanos);
      lastTimeout = timeout;
    }
    Optional<?> result = third.getResult(timeout);
    return result.orElse(null);
  }

  /** Each stage processed every item once, dropped and failed nothing, and its books balance. */
  void verify(long fed, long taken) {
    for (Echo.Handler stage : List.of(first, second, third)) {
      HandlerStats stats = quiet(stage);
      Pipeline.check(stats.processedCount() == fed, "fed " + fed + " but " + stage.name() + " processed " + stats);
      Pipeline.check(stats.droppedCount() == 0 && stats.errorCount() == 0, "drops or errors under block: " + stats);
      Pipeline.check(stats.isBalanced(), "accounting law broken at quiescence: " + stats);
    }
    Pipeline.check(third.stats().resultsTaken() == taken, "took " + taken + " but s3 counted " + third.stats());
  }

  /** The stats once nothing is in flight (a worker queues a result a moment before it leaves the item). */
  private static HandlerStats quiet(Echo.Handler stage) {
    long deadline = System.nanoTime() + Feeder.STALL_NANOS;
    HandlerStats stats = stage.stats();
    while (stats.inFlight() > 0 && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
      stats = stage.stats();
    }
    return stats;
  }

  @Override
  public void close() {
    first.close();
    second.close();
    third.close();
  }
}
