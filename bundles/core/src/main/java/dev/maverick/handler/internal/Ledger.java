package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.HandlerStatsBuilder;
import dev.maverick.handler.StatsCount;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every counter, drop and timestamp of one handler, and the order in which a snapshot reads them.
 *
 * <p>The accounting law rests on one rule that every part follows: an element is counted in its
 * next place before it leaves the one it is in (a queue counts an element it hands out in the
 * taker's counter under its lock, before its size drops; a refusal counts the drop before the
 * refusal). {@link #snapshot} reads places from upstream to downstream (what came in, the queues,
 * what is in flight, then the final places), so an element that moves during the read is seen
 * twice at worst, never zero times: {@link HandlerStats#unaccountedItems()} and its siblings are
 * never positive, and zero at quiescence.
 *
 * <p>Counters are {@link LongAdder}s, written by many threads without contention; the parts of
 * this package count into them directly, but for the workers, each of which counts the items it
 * takes and ends in a {@link WorkerTally} of its own, read here into every snapshot. The {@code last_*_at} timestamps are epoch millis from
 * {@link CoarseClock}, written only when they change (at most once a millisecond) with release
 * stores, so that the producer and the workers do not bounce a cache line per item.
 */
public final class Ledger implements Tally {

  /** The {@code last_*_at} timestamps. */
  public enum Stamp {
    /** An item was accepted by {@code feed}. */
    FEED,
    /** Processing of an item began. */
    GENERATE,
    /** An item was processed, or a producer published. */
    RESULT,
    /** A network call succeeded. */
    NETWORK_CALL
  }

  private static final DropReason[] REASONS = DropReason.values();
  /** Accesses lastAt's elements; static final, so that the JIT compiles each access to a plain move. */
  private static final VarHandle LAST_AT = MethodHandles.arrayElementVarHandle(long[].class);

  // items
  final LongAdder accepted = new LongAdder();
  final LongAdder feedRejected = new LongAdder();
  final LongAdder generated = new LongAdder();
  final LongAdder produced = new LongAdder();
  final LongAdder processed = new LongAdder();
  final LongAdder inFlight = new LongAdder();
  final LongAdder itemErrors = new LongAdder();
  final LongAdder handedIn = new LongAdder();
  final LongAdder handedOff = new LongAdder();
  // results
  final LongAdder resultsQueued = new LongAdder();
  final LongAdder resultsRejected = new LongAdder();
  final LongAdder resultsTaken = new LongAdder();
  final LongAdder resultsHandedIn = new LongAdder();
  final LongAdder resultsHandedOff = new LongAdder();
  // callback tasks
  final LongAdder callbacksQueued = new LongAdder();
  final LongAdder callbacksRefused = new LongAdder();
  final LongAdder callbacksCompleted = new LongAdder();
  final LongAdder callbacksRunning = new LongAdder();
  final LongAdder callbackErrors = new LongAdder();
  // outside the three ledgers
  final LongAdder networkErrors = new LongAdder();
  final LongAdder otherErrors = new LongAdder();

  private final LongAdder[] drops = new LongAdder[REASONS.length];
  /** The live workers' own counters: read into every snapshot, added to the adders above when a worker ends. */
  private final List<WorkerTally> workers = new CopyOnWriteArrayList<>();
  private final Instant createdAt = Instant.now();
  private final long[] lastAt = new long[Stamp.values().length];
  private final Diagnostics diagnostics;
  private volatile LastDrop lastDrop;
  private volatile Throwable failure;

  /** @param diagnostics where each drop is logged */
  public Ledger(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
    for (int i = 0; i < drops.length; i++) {
      drops[i] = new LongAdder();
    }
  }

  /** A worker's counters, from before it takes its first item until {@link #retire}. */
  WorkerTally newWorker(int batchCapacity) {
    WorkerTally tally = new WorkerTally(this, batchCapacity);
    workers.add(tally);
    return tally;
  }

  /**
   * A worker ended: its counts are added to the ledger's, then it is forgotten. A snapshot reads a
   * worker's counters before the ledger's, so that one taken in between sees the counts twice at
   * worst, never zero times.
   */
  void retire(WorkerTally worker) {
    long processedThere = worker.processedCount();
    long failedThere = worker.failedCount();
    inFlight.add(worker.inFlight()); // zero: a worker ends with its batch processed or put back
    processed.add(processedThere);
    itemErrors.add(failedThere);
    workers.remove(worker);
  }

  /** When the handler was made. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Counts a drop, remembers it as the last one and logs it (rate-limited). */
  public void drop(DropReason reason, String detail) {
    drops[reason.ordinal()].increment();
    noteDrop(reason, detail);
  }

  /** Remembers and logs a drop that its queue has counted already (an eviction). */
  public void noteDrop(DropReason reason, String detail) {
    LastDrop previous = lastDrop;
    if (detail != null || previous == null || previous.reason != reason) {
      lastDrop = new LastDrop(reason, detail); // a run of the same drop allocates nothing
    }
    diagnostics.dropped(reason, detail);
  }

  /** Remembers {@code count} drops already counted at once (a drain), without a log line each. */
  public void noteDropped(DropReason reason, int count) {
    if (count > 0) {
      lastDrop = new LastDrop(reason, count + " at once");
    }
  }

  /** The counter of one drop reason, for a queue that counts its drops under its own lock. */
  LongAdder drops(DropReason reason) {
    return drops[reason.ordinal()];
  }

  /** Records "now" in a timestamp; one that already holds this millisecond is left alone. */
  public void stamp(Stamp which) {
    long now = CoarseClock.millis();
    int index = which.ordinal();
    if ((long) LAST_AT.getOpaque(lastAt, index) != now) {
      LAST_AT.setRelease(lastAt, index, now);
    }
  }

  @Override
  public void started() {
    stamp(Stamp.GENERATE);
  }

  @Override
  public void processed() {
    processed.increment();
    inFlight.decrement();
    stamp(Stamp.RESULT);
  }

  @Override
  public void failed() {
    itemErrors.increment();
    inFlight.decrement();
  }

  @Override
  public void dropped(DropReason reason, String detail) {
    drop(reason, detail);
    inFlight.decrement();
  }

  /** Already in this ledger's items in flight: it stays there until its stage ends. */
  @Override
  public void offWorker() {}

  /** A {@code generate} call takes an item: in flight first, then counted as generated. */
  public void generating() {
    inFlight.increment();
    generated.increment();
  }

  /** A {@code generate} call refuses an item: the drop first, then the call. */
  public void generateRefused(DropReason reason, String detail) {
    drop(reason, detail);
    generated.increment();
  }

  /** A producer published a result of its own: processed first, then counted as produced. */
  public void produced() {
    processed.increment();
    produced.increment();
    stamp(Stamp.RESULT);
  }

  /** A network call failed (counted once, whatever its hooks do). */
  public void networkError() {
    networkErrors.increment();
  }

  /** An error that belongs to no item or callback (a producer's source, startUp). */
  public void otherError() {
    otherErrors.increment();
  }

  /** A thread of the handler died of this; shown in the stats as the handler's failure. */
  public void failure(Throwable fatal) {
    failure = fatal;
  }

  /**
   * Reads every counter into {@code stats}, places upstream before places downstream (see the
   * class description), the queues' sizes between what came in and what left them.
   */
  public void snapshot(HandlerStatsBuilder stats, Lane<?> input, Lane<?> results, Lane<?> callbacks,
      Settlement settlement) {
    stats.createdAt(createdAt).lastFeedAt(stamped(Stamp.FEED)).lastGenerateAt(stamped(Stamp.GENERATE))
        .lastResultAt(stamped(Stamp.RESULT)).lastNetworkCallAt(stamped(Stamp.NETWORK_CALL));
    long acceptedNow = accepted.sum();
    stats.count(StatsCount.FED, acceptedNow + feedRejected.sum()).count(StatsCount.ACCEPTED, acceptedNow)
        .count(StatsCount.GENERATED, generated.sum()).count(StatsCount.PRODUCED, produced.sum())
        .count(StatsCount.HANDED_IN, handedIn.sum())
        .count(StatsCount.RESULTS_PUBLISHED, resultsQueued.sum() + resultsRejected.sum())
        .count(StatsCount.RESULTS_HANDED_IN, resultsHandedIn.sum())
        .count(StatsCount.CALLBACKS_EMITTED, callbacksQueued.sum() + callbacksRefused.sum());
    stats.queueSizes(input.queue().size(), results.queue().size(), callbacks.queue().size())
        .queueCapacities(input.queue().capacity(), results.queue().capacity(), callbacks.queue().capacity());
    long workersInFlight = 0;
    for (WorkerTally worker : workers) {
      workersInFlight += worker.inFlight();
    }
    stats.count(StatsCount.IN_FLIGHT, workersInFlight + inFlight.sum())
        .count(StatsCount.CALLBACKS_RUNNING, callbacksRunning.sum());
    long workersProcessed = 0;
    long workersFailed = 0;
    for (WorkerTally worker : workers) { // the workers' before the ledger's: see retire
      workersProcessed += worker.processedCount();
      workersFailed += worker.failedCount();
    }
    stats.count(StatsCount.PROCESSED, workersProcessed + processed.sum())
        .count(StatsCount.ITEM_ERRORS, workersFailed + itemErrors.sum())
        .count(StatsCount.HANDED_OFF, handedOff.sum())
        .count(StatsCount.RESULTS_UNSETTLED, settlement.unsettled()) // before taken: never more than taken
        .count(StatsCount.RESULTS_TAKEN, resultsTaken.sum()).count(StatsCount.RESULTS_HANDED_OFF, resultsHandedOff.sum())
        .count(StatsCount.CALLBACKS_COMPLETED, callbacksCompleted.sum())
        .count(StatsCount.CALLBACK_ERRORS, callbackErrors.sum());
    for (DropReason reason : REASONS) {
      stats.dropped(reason, drops[reason.ordinal()].sum());
    }
    stats.count(StatsCount.NETWORK_ERRORS, networkErrors.sum()).count(StatsCount.OTHER_ERRORS, otherErrors.sum());
    LastDrop last = lastDrop;
    Throwable failed = failure;
    stats.diagnostics(last == null ? null : last.describe(), failed == null ? null : failed.toString());
  }

  /** A timestamp as an instant, never before creation (the coarse clock may lag the creation's precise one). */
  private Instant stamped(Stamp which) {
    long epochMillis = (long) LAST_AT.getAcquire(lastAt, which.ordinal());
    if (epochMillis == 0) {
      return null;
    }
    Instant at = Instant.ofEpochMilli(epochMillis);
    return at.isBefore(createdAt) ? createdAt : at;
  }

  private record LastDrop(DropReason reason, String detail) {
    String describe() {
      return detail == null ? reason.key() : reason.key() + ": " + detail;
    }
  }
}
