package dev.maverick.handler.wire.internal;

import dev.maverick.handler.wire.WireDropReason;
import dev.maverick.handler.wire.WireLedger.DeadLetterLedger;
import dev.maverick.handler.wire.WireLedger.TargetLedger;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The books of one {@link Lane}: a counter for each place a copy can be in (the reader's hand,
 * the buffer, the delivering thread's hand, and the final places), written as copies move and read
 * by ledger snapshots downstream of the reader's hand, so that a snapshot under load may count a
 * moving copy twice but never misses one. Also when the target last took nothing and when the lane
 * last refused a copy, for the wire's warnings.
 */
final class LaneBooks {
  final LongAdder readerHand = new LongAdder();
  final LongAdder inHand = new LongAdder();
  final LongAdder received = new LongAdder();
  final LongAdder handedIn = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder handedOff = new LongAdder();
  private final LongAdder[] dropped = new LongAdder[WireDropReason.values().length];

  private final HandlerSlot slot;
  private final LaneBuffer buffer;
  /** System.nanoTime() since when the target has taken nothing while the lane had a copy for it; 0 when not. */
  private volatile long blockedSince;
  /** System.nanoTime() of the last copy refused (dead-lettered or dropped as refused); 0 when none. */
  private volatile long lastRefusal;

  LaneBooks(HandlerSlot slot, LaneBuffer buffer) {
    this.slot = slot;
    this.buffer = buffer;
    for (int i = 0; i < dropped.length; i++) {
      dropped[i] = new LongAdder();
    }
  }

  /** The counter of copies dropped for {@code reason}. */
  LongAdder dropped(WireDropReason reason) {
    return dropped[reason.ordinal()];
  }

  /** The target took nothing just now while the lane had a copy for it. */
  void markBlocked() {
    if (blockedSince == 0) {
      blockedSince = System.nanoTime();
    }
  }

  /** The target took a copy, or the lane has nothing for a present target. */
  void clearBlocked() {
    if (blockedSince != 0) { // a read is cheaper than a volatile write on every delivery
      blockedSince = 0;
    }
  }

  /** A copy was refused just now. */
  void refusedNow() {
    lastRefusal = System.nanoTime();
  }

  /** System.nanoTime() of the last copy refused, or 0. */
  long lastRefusal() {
    return lastRefusal;
  }

  /** How long the target has taken nothing while the lane had a copy for it (also the reader waiting for room). */
  Duration blockedFor(long now) {
    long since = blockedSince;
    long readerSince = buffer.blockedSince();
    long earliest = since == 0 ? readerSince : readerSince == 0 ? since : Math.min(since, readerSince);
    return earliest == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - earliest));
  }

  /** Copies dropped as refused by the target (no dead letter), or by the dead letter itself. */
  long refusedDrops() {
    return dropped(WireDropReason.INVALID).sum() + dropped(WireDropReason.DEAD_LETTER_REFUSED).sum()
        + dropped(WireDropReason.SHUTDOWN).sum();
  }

  /**
   * A target's books, read downstream of the reader's hand (which the caller read first, with
   * {@code readerHandNow}): buffered, in hand, then the final places.
   */
  TargetLedger targetLedger(long readerHandNow, long now) {
    long handedInNow = handedIn.sum();
    long bufferedNow = buffer.size();
    long handNow = inHand.sum();
    long deliveredNow = delivered.sum();
    Map<WireDropReason, Long> drops = drops();
    long lettered = deadLettered.sum();
    long off = handedOff.sum();
    return new TargetLedger(slot.name(), handedInNow, deliveredNow, drops, lettered, bufferedNow, buffer.capacity(),
        readerHandNow + handNow, off, failed.sum(), slot.waiting(), blockedFor(now));
  }

  /** The dead letter's books: what came in first, then buffered, in hand, and the final places. */
  DeadLetterLedger deadLetterLedger() {
    long receivedNow = received.sum();
    long handedInNow = handedIn.sum();
    long bufferedNow = buffer.size();
    long handNow = inHand.sum();
    long deliveredNow = delivered.sum();
    Map<WireDropReason, Long> drops = drops();
    return new DeadLetterLedger(slot.name(), receivedNow, handedInNow, deliveredNow, drops, bufferedNow, handNow,
        handedOff.sum(), slot.waiting());
  }

  private Map<WireDropReason, Long> drops() {
    Map<WireDropReason, Long> drops = new EnumMap<>(WireDropReason.class);
    for (WireDropReason reason : WireDropReason.values()) {
      long count = dropped(reason).sum();
      if (count != 0) {
        drops.put(reason, count);
      }
    }
    return drops;
  }
}
