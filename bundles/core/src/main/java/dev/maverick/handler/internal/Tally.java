package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;

/**
 * Where the outcome of one item in flight is counted, by the thread processing it: the handler's
 * {@link Ledger} for direct calls and, today, for the workers. The worker pool hands each item's
 * processing the tally it should count into, so that a worker with counters of its own (folded
 * into the ledger when it retires) needs no change outside the pool and the ledger. Every ending
 * counts the item in its next place before it moves it out of flight.
 */
public interface Tally {

  /** Processing of an item begins: {@code last_generate_at}. */
  void started();

  /** An item was processed: counted processed, then out of flight; {@code last_result_at}. */
  void processed();

  /** An item's processing threw: counted as an item error, then out of flight. */
  void failed();

  /** An item was dropped where it was processed ({@code ItemDroppedException}): the drop, then out of flight. */
  void dropped(DropReason reason, String detail);

  /**
   * An item's work goes on off the worker (a stage of {@code generateResultsAsync}): it must be
   * counted in the handler's {@link Ledger} as in flight, where the stage's end is counted, then
   * out of this tally's books.
   */
  void offWorker();

  /**
   * Where the results of this tally's items wait to be published together at the end of a batch,
   * or null when each result is published as it is made (direct calls, and handlers whose
   * subclass watches each item: see {@link ResultBatch}).
   */
  default ResultBatch pendingResults() {
    return null;
  }
}
