package dev.maverick.handler.internal;

import java.util.Arrays;

/**
 * A worker's results not yet published: what its batch of items produced, published together
 * under one lock of the result queue when the batch ends ({@link Processing#endBatch}). Only for a
 * handler whose subclass cannot see the difference: one that overrides none of the per-item hooks
 * ({@code hookBeforeGenerate}, {@code hookAfterGenerate}, {@code hookOnError}), which would see a
 * batch's items begin before an earlier item's result is queued; and one that does not finish
 * items off the worker. Each item is counted processed before its result waits here, as before it
 * is queued; the result is counted published when it is offered. Used by its worker's thread only.
 */
public final class ResultBatch {
  private final Object[] queued;
  private final BoundedQueue.Offer[] outcomes;
  private int size;

  /** @param capacity the most results a batch holds: the worker's largest batch of items */
  public ResultBatch(int capacity) {
    this.queued = new Object[capacity];
    this.outcomes = new BoundedQueue.Offer[capacity];
  }

  /** Whether another result fits; a full batch is published before the next is added. */
  boolean isFull() {
    return size == queued.length;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /**
   * Adds a result as it is to be queued (see {@link Envelope}: with its item's extras and upstream).
   * No hook waits for it: a subclass whose results wait here overrides no per-item hook.
   */
  void add(Object queuedResult) {
    queued[size] = queuedResult;
    size++;
  }

  Object[] queued() {
    return queued;
  }

  BoundedQueue.Offer[] outcomes() {
    return outcomes;
  }

  /** Forgets what was published, so that nothing is kept reachable from an idle worker. */
  void clear() {
    Arrays.fill(queued, 0, size, null);
    Arrays.fill(outcomes, 0, size, null);
    size = 0;
  }
}
