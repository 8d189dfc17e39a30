package dev.maverick.handler.kafka.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * What a source may commit: per partition, the records it published in offset order, which of
 * them have been settled (delivered onward), and so the position to commit: the offset after the
 * highest record such that it and every record published before it on its partition have settled.
 * Records settle in any order; the position only moves over a contiguous run of settled records.
 * Offsets need not be contiguous (a compacted topic, transaction markers): the run is over the
 * records published, not over numbers.
 *
 * <p>It also remembers, per partition, the highest offset ever published here or (from a commit's
 * metadata) by the member that owned the partition before, so that a record seen again after a
 * rebalance or a restart is recognised as a redelivery.
 *
 * <p>Each assignment of a partition to this source has a number (its epoch, counted here): a
 * record is published under the epoch of its partition's assignment, and a settle names it, so
 * that the settle of a record published before the partition went away and came back cannot be
 * taken for the settle of the same offset published again.
 *
 * <p>Thread-safe: the poll thread publishes and commits, any thread settles.
 */
final class OffsetLedger {
  /** What a commit's metadata says: the highest offset published so far on the partition. */
  static final String SEEN_PREFIX = "maverick:seen=";

  private final Map<TopicPartition, Partition> partitions = new HashMap<>();
  private long outstanding;
  private long staleSettles;

  private static final class Partition {
    /** Published and not yet committable, in offset order. */
    final ArrayDeque<Long> pending = new ArrayDeque<>();
    /** Settled, but behind a record that has not settled. */
    final TreeSet<Long> settledAhead = new TreeSet<>();
    /** The position to commit: after the last record of the settled run; -1 before any. */
    long position = -1;
    /** The position last handed out by {@link #commitable}. */
    long offered = -1;
    /** The highest offset published here or by an earlier owner; -1 when none is known. */
    long seen = -1;
    boolean assigned = true;
    int epoch;
  }

  private final AtomicInteger epochs;

  /** @param epochs numbers the assignments: shared by the ledgers of one source, so that no two meet one number */
  OffsetLedger(AtomicInteger epochs) {
    this.epochs = epochs;
  }

  /** A ledger of its own (for tests). */
  OffsetLedger() {
    this(new AtomicInteger());
  }

  /**
   * A partition was assigned, with the position committed for it (or -1) and the commit's
   * metadata (or null), which may say up to where an earlier owner had published.
   */
  synchronized void assigned(TopicPartition partition, long committed, String metadata) {
    Partition state = partitions.computeIfAbsent(partition, p -> new Partition());
    if (!state.assigned || state.epoch == 0) {
      state.epoch = epochs.incrementAndGet();
    }
    state.assigned = true;
    state.offered = committed;
    state.seen = Math.max(state.seen, seenIn(metadata));
  }

  /**
   * A published record, as the ledger knows it: what its settle must name.
   *
   * @param epoch the assignment of its partition it was published under
   * @param redelivered true if it had been published before, here or by an earlier owner of its partition
   */
  record Mark(TopicPartition partition, long offset, int epoch, boolean redelivered) {}

  /**
   * Records that a record is about to be published. Its partition must be assigned.
   *
   * @throws IllegalStateException if it is not
   */
  synchronized Mark published(TopicPartition partition, long offset) {
    Partition state = partitions.get(partition);
    if (state == null || !state.assigned) {
      throw new IllegalStateException(partition + " is not assigned to this source");
    }
    boolean redelivered = offset <= state.seen;
    state.seen = Math.max(state.seen, offset);
    state.pending.addLast(offset);
    outstanding++;
    return new Mark(partition, offset, state.epoch, redelivered);
  }

  /** As {@link #settled(TopicPartition, long, int)}, for a mark {@link #published} gave. */
  boolean settled(Mark mark) {
    return settled(mark.partition(), mark.offset(), mark.epoch());
  }

  /**
   * A published record has been delivered onward. A record of a partition no longer assigned here
   * (or assigned again since: another epoch), or one not pending, is counted as stale and
   * otherwise ignored: its partition's owner reads it again.
   *
   * @param epoch the epoch of the record's {@link Mark}
   * @return true if it was pending here
   */
  synchronized boolean settled(TopicPartition partition, long offset, int epoch) {
    Partition state = partitions.get(partition);
    if (state == null || !state.assigned || state.epoch != epoch || state.pending.isEmpty()
        || offset < state.pending.peekFirst()
        || offset > state.pending.peekLast() || state.settledAhead.contains(offset)) {
      staleSettles++;
      return false;
    }
    outstanding--;
    if (offset != state.pending.peekFirst()) {
      state.settledAhead.add(offset);
      return true;
    }
    state.position = state.pending.pollFirst() + 1;
    while (!state.pending.isEmpty() && state.settledAhead.remove(state.pending.peekFirst())) {
      state.position = state.pending.pollFirst() + 1;
    }
    return true;
  }

  /**
   * The positions to commit that moved since the last call, with the partition's highest
   * published offset (for {@link #SEEN_PREFIX} metadata).
   *
   * @param only the partitions to look at; null for every assigned one
   */
  synchronized Map<TopicPartition, long[]> commitable(Collection<TopicPartition> only) {
    Map<TopicPartition, long[]> moved = new LinkedHashMap<>();
    partitions.forEach((partition, state) -> {
      if (state.assigned && state.position > state.offered && (only == null || only.contains(partition))) {
        moved.put(partition, new long[] {state.position, state.seen});
        state.offered = state.position;
      }
    });
    return moved;
  }

  /**
   * A commit handed out by {@link #commitable} failed: offer its positions again next time (unless
   * they have moved on since).
   */
  synchronized void commitFailed(Map<TopicPartition, long[]> positions) {
    positions.forEach((partition, position) -> {
      Partition state = partitions.get(partition);
      if (state != null && state.offered == position[0]) {
        state.offered = position[0] - 1;
      }
    });
  }

  /**
   * The partitions left this member (revoked or lost): forget what is pending there; its records
   * are read again by the new owner. What was published stays remembered as seen.
   *
   * @return how many published records were still pending there
   */
  synchronized long forget(Collection<TopicPartition> gone) {
    long dropped = 0;
    for (TopicPartition partition : gone) {
      Partition state = partitions.get(partition);
      if (state != null) {
        dropped += state.pending.size() - state.settledAhead.size();
        state.pending.clear();
        state.settledAhead.clear();
        state.assigned = false;
      }
    }
    outstanding -= dropped;
    return dropped;
  }

  /** Records published and not yet settled, on the partitions assigned here. */
  synchronized long outstanding() {
    return outstanding;
  }

  /** Settles that found nothing pending: records of a partition that had moved away, or settled twice. */
  synchronized long staleSettles() {
    return staleSettles;
  }

  /** The position last handed out for commit, per assigned partition (-1: none yet). */
  synchronized Map<TopicPartition, Long> committedPositions() {
    Map<TopicPartition, Long> positions = new LinkedHashMap<>();
    partitions.forEach((partition, state) -> {
      if (state.assigned) {
        positions.put(partition, state.offered);
      }
    });
    return positions;
  }

  /** The metadata a commit of this partition carries. */
  static String metadata(long seen) {
    return SEEN_PREFIX + seen;
  }

  private static long seenIn(String metadata) {
    if (metadata == null || !metadata.startsWith(SEEN_PREFIX)) {
      return -1;
    }
    try {
      return Long.parseLong(metadata.substring(SEEN_PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
