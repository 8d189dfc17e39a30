package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;

/**
 * One worker's {@link Tally}: where it counts the outcome of each item it processes, and where
 * its batch's results wait ({@link ResultBatch}). Used by its worker's thread only.
 */
final class WorkerTally implements Tally {
  private final Ledger ledger;
  private final ResultBatch pending;

  WorkerTally(Ledger ledger, int batchCapacity) {
    this.ledger = ledger;
    this.pending = new ResultBatch(batchCapacity);
  }

  @Override
  public void started() {
    ledger.started();
  }

  @Override
  public void processed() {
    ledger.processed();
  }

  @Override
  public void failed() {
    ledger.failed();
  }

  @Override
  public void dropped(DropReason reason, String detail) {
    ledger.dropped(reason, detail);
  }

  @Override
  public void offWorker() {
    ledger.offWorker();
  }

  @Override
  public ResultBatch pendingResults() {
    return pending;
  }
}
