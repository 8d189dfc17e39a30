package dev.maverick.handler.bench;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of benchmarks 1 and 4: what one writes by hand without a handler. Two
 * {@link ArrayBlockingQueue}s of the handler's capacity and a worker thread doing the same work;
 * {@code put} waits for room as {@code overflow_policy=block} does, {@code poll(timeout)} waits
 * for a result as {@code getResult(timeout)} does.
 */
public final class RawQueuesPipeline implements Pipeline {

  private final ArrayBlockingQueue<Object> in;
  private final ArrayBlockingQueue<Object> out;
  private final Thread worker;

  public RawQueuesPipeline(int capacity) {
    in = new ArrayBlockingQueue<>(capacity);
    out = new ArrayBlockingQueue<>(capacity);
    worker = new Thread(this::work, "raw-worker");
    worker.setDaemon(true);
    worker.start();
  }

  private void work() {
    try {
      while (true) {
        out.put(Echo.work(in.take(), Map.of()));
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
        "raw pipeline lost items: fed " + fed + ", taken " + taken + ", queued " + in.size() + "+" + out.size());
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
