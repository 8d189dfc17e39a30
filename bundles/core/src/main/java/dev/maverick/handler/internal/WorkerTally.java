package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongConsumer;

/**
 * One worker's {@link Tally}: counters that only its thread writes, where it counts the items it
 * takes and how each ended, and where its batch's results wait ({@link ResultBatch}). A plain
 * write published with a release store costs the worker no atomic instruction and no cache line
 * shared with the producer or the consumer, where the handler's {@link java.util.concurrent.atomic.LongAdder}s cost several per
 * item. The {@link Ledger} reads the counters of its live workers into every snapshot, and adds them
 * to its own when the worker ends ({@link Ledger#retire}).
 *
 * <p>The accounting rule holds as for the ledger's counters: an item is counted taken (under the
 * queue's lock, before the queue's smaller size is published) before it leaves the queue, and
 * counted processed, failed or gone elsewhere before it leaves flight. In flight is what was taken
 * less what ended; a reader reads the ends before the takes, so it never sees more ended than
 * taken.
 */
final class WorkerTally implements Tally {
  private static final VarHandle TAKEN;
  private static final VarHandle PROCESSED;
  private static final VarHandle FAILED;
  private static final VarHandle LEFT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAKEN = lookup.findVarHandle(WorkerTally.class, "taken", long.class);
      PROCESSED = lookup.findVarHandle(WorkerTally.class, "processed", long.class);
      FAILED = lookup.findVarHandle(WorkerTally.class, "failed", long.class);
      LEFT = lookup.findVarHandle(WorkerTally.class, "left", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Ledger ledger;
  private final ResultBatch pending;
  /** Counts items into {@link #taken}: what the input queue is told to count a batch into. */
  private final LongConsumer takenInto = this::took;
  // written by the worker's thread only, each with a release store; read with acquire loads
  private long taken;
  private long processed;
  private long failed;
  /** Items that left flight for somewhere else: dropped, gone off the worker, put back in the queue. */
  private long left;

  WorkerTally(Ledger ledger, int batchCapacity) {
    this.ledger = ledger;
    this.pending = new ResultBatch(batchCapacity);
  }

  /** What the input queue counts a batch into, under its lock. */
  LongConsumer takenInto() {
    return takenInto;
  }

  private void took(long items) {
    TAKEN.setRelease(this, taken + items);
  }

  /** Items put back in the queue, already counted there: out of flight. */
  void putBack(int items) {
    LEFT.setRelease(this, left + items);
  }

  @Override
  public void started() {
    ledger.started();
  }

  @Override
  public void processed() {
    PROCESSED.setRelease(this, processed + 1);
    ledger.stamp(Ledger.Stamp.RESULT);
  }

  @Override
  public void failed() {
    FAILED.setRelease(this, failed + 1);
  }

  @Override
  public void dropped(DropReason reason, String detail) {
    ledger.drop(reason, detail);
    LEFT.setRelease(this, left + 1);
  }

  @Override
  public void offWorker() {
    ledger.inFlight.increment(); // the stage's end is counted in the ledger
    LEFT.setRelease(this, left + 1);
  }

  @Override
  public ResultBatch pendingResults() {
    return pending;
  }

  /** Items taken and not ended; the ends are read before the takes. */
  long inFlight() {
    long ended = (long) PROCESSED.getAcquire(this) + (long) FAILED.getAcquire(this) + (long) LEFT.getAcquire(this);
    return (long) TAKEN.getAcquire(this) - ended;
  }

  long processedCount() {
    return (long) PROCESSED.getAcquire(this);
  }

  long failedCount() {
    return (long) FAILED.getAcquire(this);
  }
}
