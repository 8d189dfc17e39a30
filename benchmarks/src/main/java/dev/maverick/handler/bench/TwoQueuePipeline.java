package dev.maverick.handler.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the raw baselines share: two {@link ArrayBlockingQueue}s of the handler's capacity and one
 * worker thread between them; {@code put} waits for room as {@code overflow_policy=block} does,
 * {@code poll(timeout)} waits for a result as {@code getResult(timeout)} does. A subclass says how
 * the worker moves items from {@link #in} to {@link #out}.
 */
abstract class TwoQueuePipeline implements Pipeline {
  final ArrayBlockingQueue<Object> in;
  final ArrayBlockingQueue<Object> out;
  private final Thread worker;

  TwoQueuePipeline(int capacity, String workerName) {
    in = new ArrayBlockingQueue<>(capacity);
    out = new ArrayBlockingQueue<>(capacity);
    worker = new Thread(() -> {
      try {
        work();
      } catch (InterruptedException closing) {
        // close() at quiescence: nothing is in flight
      }
    }, workerName);
    worker.setDaemon(true);
  }

  /** Starts the worker; called by the subclass's constructor, once its own fields are set. */
  final void start() {
    worker.start();
  }

  /** Moves items from {@link #in} to {@link #out} until interrupted. */
  abstract void work() throws InterruptedException;

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
    Pipeline.check(fed == taken && in.isEmpty() && out.isEmpty(), getClass().getSimpleName() + " lost items: fed "
        + fed + ", taken " + taken + ", queued " + in.size() + "+" + out.size());
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
