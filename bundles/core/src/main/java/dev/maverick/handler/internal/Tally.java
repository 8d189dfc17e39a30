package dev.maverick.handler.internal;

/**
 * Where the outcome of one item in flight is counted, by the thread processing it: the handler's
 * {@link Ledger} for direct calls and, today, for the workers. The worker pool hands each item's
 * processing the tally it should count into, so that a worker with counters of its own (folded
 * into the ledger when it retires) needs no change outside the pool and the ledger.
 */
public interface Tally {

  /** Processing of an item begins: {@code last_generate_at}. */
  void started();

  /** An item was processed: counted processed, then out of flight; {@code last_result_at}. */
  void processed();

  /** An item's processing threw: counted as an item error, then out of flight. */
  void failed();
}
