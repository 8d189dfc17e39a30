package dev.maverick.handler.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The second baseline of benchmark 1: {@link RawQueuesPipeline} with a worker that drains in
 * batches, as a careful hand-written pipeline would. It waits for one item with {@code take}, then
 * takes whatever else is queued, up to {@value #BATCH}, with one {@code drainTo} (one lock, one
 * signal to a blocked producer), and puts the batch's results. A handler that batches its
 * hand-over must be measured against this, not only against one lock per item, so that a gain
 * from batching is not read as beating a weak baseline.
 */
public final class RawBatchingPipeline implements Pipeline {
  /** At most this many items per drain: the handler's own bound for a 128-slot queue and one worker. */
  static final int BATCH = 32;

  private final ArrayBlockingQueue<Object> in;
  private final ArrayBlockingQueue<Object> out;
  private final Thread worker;

  public RawBatchingPipeline(int capacity) {
    in = new ArrayBlockingQueue<>(capacity);
    out = new ArrayBlockingQueue<>(capacity);
    worker = new Thread(this::work, "raw-batching-worker");
    worker.setDaemon(true);
    worker.start();
  }

  private void work() {
    List<Object> batch = new ArrayList<>(BATCH);
    try {
      while (true) {
        batch.add(in.take());
        in.drainTo(batch, BATCH - 1);
        for (Object item : batch) {
          out.put(Echo.work(item, Map.of()));
        }
        batch.clear();
      }
    } catch (InterruptedException closing) {
      // close() at quiescence: nothing is in flight
    }
  }

  @Override
  public void feed(Object item) throws InterruptedException {
    in.put(item);
  }

  @Override
  public Object take(long timeoutNanos) throws InterruptedException {
    return out.poll(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void verify(long fed, long taken) {
    Pipeline.check(fed == taken && in.isEmpty() && out.isEmpty(),
        "raw batching pipeline lost items: fed " + fed + ", taken " + taken + ", queued " + in.size() + "+" + out.size());
  }

  @Override
  public void close() {
    worker.interrupt();
    try {
      worker.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
