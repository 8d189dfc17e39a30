package dev.maverick.handler.internal;

import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.ResultReader;
import dev.maverick.handler.ResultsClaimedException;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Where a handler's results leave it: the result queue, and who may take from it. Anyone may, with
 * {@code getResult}, until one reader claims the results; then only that reader does, until it
 * closes. A taken result is counted taken by the queue before it leaves it; one taken by the
 * reader is unsettled until the reader settles it.
 */
public final class ResultOutlet {
  private final Lane<Object> lane;
  private final Ledger ledger;
  private final Diagnostics diagnostics;
  private final Settlement settlement;
  private final Upstreams upstreams;
  private final Object claimLock = new Object();
  private volatile ClaimedResults<?> claim;

  /**
   * @param capacity the result queue's capacity ({@code result_queue_size})
   * @param policy its policy ({@code result_overflow_policy})
   * @param offerTimeoutNanos how long {@code block} waits
   * @param ledger where results are counted
   * @param diagnostics where drops and claims are logged
   * @param settled runs once per settled result, with its value and extras
   * @param upstreams runs the upstream settlement a result carries once it is settled, or dropped
   */
  public ResultOutlet(int capacity, OverflowPolicy policy, long offerTimeoutNanos, Ledger ledger,
      Diagnostics diagnostics, BiConsumer<Object, Map<String, ?>> settled, Upstreams upstreams) {
    this.lane = new Lane<>(Lane.Kind.RESULT, capacity, policy, offerTimeoutNanos, ledger, diagnostics, upstreams);
    this.ledger = ledger;
    this.diagnostics = diagnostics;
    this.upstreams = upstreams;
    this.settlement = new Settlement(settled, upstreams);
  }

  /**
   * Queues a result with its frozen extras, counting it published.
   *
   * @return true if queued
   * @throws dev.maverick.handler.QueueFullException when full under {@code fail}, if {@code failThrows}
   */
  public boolean publish(Object result, Map<String, ?> frozenExtra, boolean failThrows) {
    return lane.offer(Envelope.wrap(result, frozenExtra, null), failThrows);
  }

  /**
   * Queues a worker's result with its item's extras and upstream settlement, counting it
   * published; a result that does not fit is counted dropped and settles its upstream at once.
   *
   * @return true if queued
   */
  public boolean publish(Object result, Map<String, ?> frozenExtra, Runnable upstream) {
    boolean queued = lane.offer(Envelope.wrap(result, frozenExtra, null, upstream), false);
    if (!queued) {
      upstreams.run(upstream);
    }
    return queued;
  }

  /**
   * Queues a worker's batch of results in their order under one lock, each counted published as
   * {@link #publish(Object, Map, Runnable)} counts it; a result that does not fit is counted
   * dropped and settles its upstream at once.
   */
  public void publishAll(ResultBatch batch) {
    Object[] queued = batch.queued();
    BoundedQueue.Offer[] outcomes = batch.outcomes();
    lane.offerAll(queued, batch.size(), outcomes);
    for (int i = 0; i < batch.size(); i++) {
      if (!outcomes[i].isAccepted()) {
        upstreams.run(Envelope.upstreamOf(queued[i]));
      }
    }
  }

  /**
   * Takes the next queued element for {@code getResult}, waiting up to {@code timeoutNanos}.
   *
   * @return the element (see {@link Envelope}), or null on timeout, when closed and empty, or when
   *     interrupted (the interrupt flag is then set again)
   * @throws ResultsClaimedException while a reader holds the results
   */
  public Object take(long timeoutNanos) {
    requireUnclaimed();
    return Waits.poll(lane.queue(), timeoutNanos, ledger.resultsTaken);
  }

  /** @throws ResultsClaimedException while a reader holds the results */
  public void requireUnclaimed() {
    ClaimedResults<?> current = claim;
    if (current != null) {
      throw new ResultsClaimedException(diagnostics.name(), current.owner());
    }
  }

  /**
   * Makes {@code owner} the one reader.
   *
   * @throws ResultsClaimedException if another reader holds the results
   */
  public <R> ResultReader<R> claim(String owner) {
    synchronized (claimLock) {
      requireUnclaimed();
      ClaimedResults<R> reader = new ClaimedResults<>(diagnostics.name(), owner, lane.queue(), ledger.resultsTaken,
          settlement, this::release);
      claim = reader;
      diagnostics.verbose("results claimed by {}", owner);
      return reader;
    }
  }

  /** Who holds the results, if anyone. */
  public Optional<String> reader() {
    ClaimedResults<?> current = claim;
    return current == null ? Optional.empty() : Optional.of(current.owner());
  }

  /** The result queue. */
  public Lane<Object> lane() {
    return lane;
  }

  /** Results taken by the reader and not settled. */
  public Settlement settlement() {
    return settlement;
  }

  private void release(ClaimedResults<?> reader) {
    synchronized (claimLock) {
      if (claim == reader) {
        claim = null;
        diagnostics.verbose("results released by {}", reader.owner());
      }
    }
  }
}
