package dev.maverick.handler.internal;

import dev.maverick.handler.OverflowPolicy;

/**
 * How many items a worker takes from the input queue at once. Batches save a lock and a wake-up
 * per item where items are quick; where they are slow (speech, network) nothing is saved and a
 * batch would only keep items from other workers and from {@code drop_oldest}'s eviction. So: one
 * item under {@code drop_oldest} (what waits must stay in the queue, where it can be evicted);
 * otherwise as many as take about {@value #TARGET_NANOS} ns to process, judged by a moving
 * average of the worker's own items, at most {@value #MAX}, and at most half the queue's capacity
 * shared among the workers, so that one worker's batch never empties the queue under the others.
 * One worker's own, not thread-safe.
 */
final class BatchSize {
  /** The largest batch. */
  static final int MAX = 32;
  /** About how long a batch should take: an item slower than this goes alone. */
  static final long TARGET_NANOS = 20_000;

  /** Moving average of the time per item, in ns; 0 until the first batch, which is one item. */
  private long nanosPerItem;

  /** The next batch's size for a queue of {@code capacity} (0: unbounded) and {@code workers} workers. */
  int next(int capacity, OverflowPolicy policy, int workers) {
    if (policy == OverflowPolicy.DROP_OLDEST || nanosPerItem == 0 || nanosPerItem >= TARGET_NANOS) {
      return 1;
    }
    long bound = capacity == 0 ? MAX : Math.max(1, capacity / (2L * Math.max(1, workers)));
    return (int) Math.min(Math.min(MAX, bound), TARGET_NANOS / nanosPerItem);
  }

  /** A batch of {@code items} took {@code nanos}: the average moves a quarter of the way. */
  void took(long nanos, int items) {
    if (items <= 0) {
      return;
    }
    long sample = Math.max(1, nanos / items);
    nanosPerItem = nanosPerItem == 0 ? sample : nanosPerItem + (sample - nanosPerItem) / 4;
  }
}
