package dev.maverick.handler.bench;

import java.util.Map;

/**
 * The baseline of benchmarks 1 and 4: what one writes by hand without a handler. Two
 * {@link java.util.concurrent.ArrayBlockingQueue}s of the handler's capacity and a worker thread
 * doing the same work, one item at a time.
 */
public final class RawQueuesPipeline extends TwoQueuePipeline {

  public RawQueuesPipeline(int capacity) {
    super(capacity, "raw-worker");
    start();
  }

  @Override
  void work() throws InterruptedException {
    while (true) {
      out.put(Echo.work(in.take(), Map.of()));
    }
  }
}
