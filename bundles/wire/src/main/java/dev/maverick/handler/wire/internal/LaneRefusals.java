package dev.maverick.handler.wire.internal;

import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireDropReason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the copies a lane's target refused, failed on or never got go: to the wire's dead letter
 * with the reason in the extras ({@link Wire#REASON_EXTRA} and the rest), or dropped and counted
 * with the reason when the wire has none (and always for what the dead letter itself refuses).
 * Drops are logged at most once a second per lane.
 */
final class LaneRefusals {
  /** Logged as the lane's: one logger for everything a lane does. */
  private static final Logger LOG = LoggerFactory.getLogger(Lane.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String wire;
  private final String from;
  private final HandlerSlot slot;
  private final Lane deadLetter;
  private final boolean isDeadLetter;
  private final LaneBooks books;
  /** When the last refusal was logged (System.nanoTime()) and how many were not logged since. */
  private final long[] refusalLog = new long[2];

  /**
   * @param deadLetter where refused and failed copies go; null to drop them (and always for the dead letter itself)
   * @param books the lane's books, from whose hand a refused copy leaves
   */
  LaneRefusals(String wire, String from, HandlerSlot slot, Lane deadLetter, boolean isDeadLetter, LaneBooks books) {
    this.wire = wire;
    this.from = from;
    this.slot = slot;
    this.deadLetter = isDeadLetter ? null : deadLetter;
    this.isDeadLetter = isDeadLetter;
    this.books = books;
  }

  /** Whether refused copies are dropped here rather than sent to a dead letter. */
  boolean dropping() {
    return deadLetter == null;
  }

  /**
   * What the target calls when it fails on a copy it accepted: the copy goes to the dead letter
   * (settling nothing: its result was settled on acceptance); null without a dead letter, where the
   * target's own error count is the record.
   */
  Consumer<Throwable> onFailure(Delivery copy) {
    Lane letters = deadLetter;
    if (letters == null) {
      return null;
    }
    return error -> {
      books.failed.increment();
      books.refusedNow();
      letters.receive(Delivery.unsettled(copy.item, letterExtras(copy, "failed", String.valueOf(error))));
    };
  }

  /** A copy in the lane's hand the target refused, or could not get: to the dead letter, or dropped with the reason. */
  void refuse(Delivery copy, WireDropReason reason, String error) {
    books.refusedNow();
    if (isDeadLetter) {
      WireDropReason why = reason == WireDropReason.INVALID ? WireDropReason.DEAD_LETTER_REFUSED : reason;
      books.dropped(why).increment();
      books.inHand.decrement();
      warn("the dead letter '" + slot.name() + "' did not take an item", why, error, "dropped");
      copy.done();
    } else if (deadLetter != null) {
      deadLetter.receive(Delivery.rerouted(copy, letterExtras(copy, reason.key(), error)));
      books.deadLettered.increment();
      books.inHand.decrement();
    } else {
      books.dropped(reason).increment();
      books.inHand.decrement();
      warn("'" + slot.name() + "' did not take an item", reason, error, "dropped, as the wire has no dead_letter");
      copy.done();
    }
  }

  private void warn(String what, WireDropReason reason, String error, String outcome) {
    long now = System.nanoTime();
    synchronized (refusalLog) {
      if (refusalLog[0] != 0 && now - refusalLog[0] < LOG_INTERVAL_NANOS) {
        refusalLog[1]++;
        return;
      }
      long unlogged = refusalLog[1];
      refusalLog[0] = now;
      refusalLog[1] = 0;
      LOG.warn("wire '{}': {} ({}: {}); {}{}", wire, what, reason, error, outcome,
          unlogged == 0 ? "" : " (and " + unlogged + " more in the last second, not logged one by one)");
    }
  }

  private Map<String, Object> letterExtras(Delivery copy, String reason, String error) {
    Map<String, Object> extras = new LinkedHashMap<>(copy.extra);
    extras.put(Wire.FROM_EXTRA, from);
    extras.put(Wire.REASON_EXTRA, reason);
    extras.put(Wire.TARGET_EXTRA, slot.name());
    if (error != null) {
      extras.put(Wire.ERROR_EXTRA, error);
    }
    return extras;
  }
}
