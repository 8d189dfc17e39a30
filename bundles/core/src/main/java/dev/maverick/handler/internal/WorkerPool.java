package dev.maverick.handler.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * A handler's worker threads: each takes a batch of items from the input queue (one lock, one
 * wake-up of blocked producers), counting them in flight as they leave the queue, and has the
 * handler process them one by one, counting each outcome in its own {@link WorkerTally}; a batch's
 * results are published together at its end where the subclass cannot tell (see
 * {@link ResultBatch}). The pool grows and shrinks in place (a retired worker finishes its batch
 * first), stops its workers at close (after the queue drains, or at once for a hand-over: the
 * item in hand is finished and the rest of the batch goes back to the head of the queue, still in
 * order), and replaces nothing by itself: a worker killed by a fatal error puts the rest of its
 * batch back and makes the handler {@code FAILED} until it is started again.
 */
public final class WorkerPool {

  /** Processes one queued element already counted in flight, counting its outcome in {@code tally}. */
  @FunctionalInterface
  public interface Processor {
    /** Throws only what no handler can contain; everything else is counted and contained. */
    void process(Object queued, Tally tally);

    /** The worker's batch has ended: publish what waits in {@code tally}'s {@link ResultBatch}. */
    default void endBatch(Tally tally) {}
  }

  private final BoundedQueue<Object> input;
  private final Ledger ledger;
  private final Processor processor;
  private final ThreadFactory threads;
  private final HandlerLifecycle lifecycle;
  private final Diagnostics diagnostics;
  private final List<Worker> workers = new CopyOnWriteArrayList<>();
  /** Set at close: finish the item in hand, then stop, whatever is still queued. */
  private volatile boolean abort;
  /** Workers wanted: a batch leaves room in the queue for every other worker's. */
  private volatile int wanted = 1;
  /**
   * @param input the handler's input queue
   * @param ledger where items are counted
   * @param processor what the handler does with an item
   * @param threads makes the worker threads
   * @param lifecycle the handler's lifecycle: its lock, and FAILED when a worker dies
   * @param diagnostics where a dying worker is logged
   */
  public WorkerPool(BoundedQueue<Object> input, Ledger ledger, Processor processor, ThreadFactory threads,
      HandlerLifecycle lifecycle, Diagnostics diagnostics) {
    this.input = input;
    this.ledger = ledger;
    this.processor = processor;
    this.threads = threads;
    this.lifecycle = lifecycle;
    this.diagnostics = diagnostics;
  }

  /** Starts or retires workers until {@code wanted} are active. Call with the lifecycle lock held. */
  public void resize(int wanted) {
    this.wanted = Math.max(1, wanted);
    workers.removeIf(worker -> !worker.thread.isAlive());
    List<Worker> active = new ArrayList<>();
    for (Worker worker : workers) {
      if (!worker.retire) {
        active.add(worker);
      }
    }
    for (int i = active.size(); i < wanted; i++) {
      Worker worker = new Worker();
      worker.thread = threads.newThread(worker);
      workers.add(worker);
      worker.thread.start();
    }
    if (active.size() > wanted) {
      for (Worker worker : active.subList(wanted, active.size())) {
        worker.retire = true;
      }
      input.wakeConsumers();
    }
  }

  /** Tells every worker to stop after the item in hand, leaving the queue as it is (a hand-over). */
  public void abort() {
    abort = true;
    input.wakeConsumers();
  }

  /**
   * Waits for every worker to end until the deadline ({@link System#nanoTime()}); then, if some
   * are still running, aborts and interrupts them and waits a grace period more.
   */
  public void stop(long deadlineNanos, long graceNanos) {
    if (!ThreadRegistry.awaitThreads(threads(), deadlineNanos)) {
      abort = true;
      workers.forEach(worker -> worker.thread.interrupt());
      ThreadRegistry.awaitThreads(threads(), System.nanoTime() + graceNanos);
    }
  }

  /** Worker threads alive. */
  public int alive() {
    int alive = 0;
    for (Worker worker : workers) {
      alive += worker.thread.isAlive() ? 1 : 0;
    }
    return alive;
  }

  private List<Thread> threads() {
    List<Thread> all = new ArrayList<>();
    for (Worker worker : workers) {
      all.add(worker.thread);
    }
    return all;
  }

  private void died(Worker dying, Throwable fatal) {
    ledger.failure(fatal);
    diagnostics.logger().error("[{}] worker thread {} died; the handler is FAILED until restarted with start()",
        diagnostics.name(), Thread.currentThread().getName(), fatal);
    synchronized (lifecycle.lock()) {
      // its thread stays alive a moment longer: a start() in that moment must not count it as
      // one of the running workers, or it would start none in its place
      dying.retire = true;
      lifecycle.failed();
    }
  }

  private final class Worker implements Runnable {
    private final List<Object> batch = new ArrayList<>(BatchSize.MAX);
    private final BatchSize batchSize = new BatchSize();
    private final WorkerTally tally = ledger.newWorker(BatchSize.MAX);
    private Thread thread;
    private volatile boolean retire;

    @Override
    public void run() {
      try {
        while (true) {
          // the generation first, then the flags: a retirement between the two still wakes the poll
          long generation = input.wakeGeneration();
          if (retire || abort) {
            break;
          }
          int taken;
          try {
            taken = input.pollBatch(batch, batchSize.next(input.capacity(), input.policy(), wanted), Long.MAX_VALUE,
                tally.takenInto(), generation);
          } catch (InterruptedException e) {
            continue;
          }
          if (taken == 0) {
            if (input.isClosed()) {
              return;
            }
            continue;
          }
          long began = System.nanoTime();
          int done = processBatch();
          batchSize.took(System.nanoTime() - began, done);
          if (!abort) {
            Thread.interrupted(); // a stray interrupt from user code must not end the loop
          }
        }
      } catch (Throwable fatal) {
        died(this, fatal);
      } finally {
        ledger.retire(tally);
      }
    }

    /**
     * Processes the batch in order; at an abort (a hand-over, or the close's deadline) it stops
     * after the item in hand and puts the rest back, as it does when an item kills the worker.
     *
     * @return how many items were processed
     */
    private int processBatch() {
      int next = 0;
      try {
        while (next < batch.size() && (next == 0 || !abort)) {
          Object item = batch.get(next);
          next++;
          processor.process(item, tally);
        }
      } finally {
        try {
          processor.endBatch(tally);
        } finally {
          putBack(next);
        }
      }
      return next;
    }

    /** Returns the batch's unprocessed items to the head of the queue: queued again before they leave flight. */
    private void putBack(int from) {
      int left = batch.size() - from;
      if (left > 0) {
        input.addAllFirst(batch.subList(from, batch.size()));
        tally.putBack(left);
      }
      batch.clear();
    }
  }
}
