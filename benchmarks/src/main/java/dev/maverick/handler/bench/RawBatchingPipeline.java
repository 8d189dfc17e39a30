package dev.maverick.handler.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The second baseline of benchmark 1: {@link RawQueuesPipeline} with a worker that drains in
 * batches, as a careful hand-written pipeline would. It waits for one item with {@code take}, then
 * takes whatever else is queued, up to {@value #BATCH}, with one {@code drainTo} (one lock, one
 * signal to a blocked producer), and puts the batch's results. A handler that batches its
 * hand-over must be measured against this, not only against one lock per item, so that a gain
 * from batching is not read as beating a weak baseline.
 */
public final class RawBatchingPipeline extends TwoQueuePipeline {
  /** At most this many items per drain: the handler's own bound for a 128-slot queue and one worker. */
  static final int BATCH = 32;

  public RawBatchingPipeline(int capacity) {
    super(capacity, "raw-batching-worker");
    start();
  }

  @Override
  void work() throws InterruptedException {
    List<Object> batch = new ArrayList<>(BATCH);
    while (true) {
      batch.add(in.take());
      in.drainTo(batch, BATCH - 1);
      for (Object item : batch) {
        out.put(Echo.work(item, Map.of()));
      }
      batch.clear();
    }
  }
}
