package dev.maverick.handler.wire;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of a wire's books. Every result the wire took is in exactly one place for
 * each target, because each target gets every result:
 *
 * <pre>
 * taken + handed_in = filtered + dropped before fan-out
 *                   + delivered + dropped + dead_lettered + buffered + in_hand + handed_off   (per target)
 * </pre>
 *
 * With one target this is the wire's whole ledger; with several, each target's row balances
 * against the same {@code taken}. {@code handed_in} and {@code handed_off} are what the wire took
 * over from its predecessor and handed to its successor (a configuration change, a bundle update).
 * Items sent to the dead letter (refused by a target, or failed in it) have their own ledger:
 * {@code received + handed_in = delivered + dropped + buffered + in_hand + handed_off}.
 *
 * <p>Counters are read without stopping the wire. Every move is counted in its new place before
 * it leaves the old one and the snapshot reads places from upstream to downstream, so a snapshot
 * taken under load may count a moving result twice but never zero times: {@link #unaccounted} is
 * never positive, and zero at a quiescent point.
 *
 * @param name the wire's name
 * @param taken results taken from the source
 * @param filtered results the filter did not pass (delivered to no target)
 * @param dropped results dropped before fan-out, by reason ({@link WireDropReason#SELECT_MISSING})
 * @param unwired copies handed over by the wire's predecessor for targets (or a dead letter) this
 *     wire no longer has: dropped ({@link WireDropReason#UNWIRED}) as they arrived, outside the
 *     targets' books
 * @param targets each target's books, in configured order
 * @param deadLetter the dead letter's books, when the wire has one
 * @param blockedFor how long the wire has been blocked: waiting for room in a full buffer under
 *     {@code block}, or a target taking nothing; zero when it is not
 */
public record WireLedger(String name, long taken, long filtered, Map<WireDropReason, Long> dropped,
    long unwired, Map<String, TargetLedger> targets, Optional<DeadLetterLedger> deadLetter, Duration blockedFor) {

  /** Copies the maps, so the snapshot cannot change. */
  public WireLedger {
    dropped = copy(dropped);
    targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  /**
   * One target's books.
   *
   * @param target the target handler's name
   * @param handedIn results taken over for this target from the wire's predecessor
   * @param delivered results the target accepted
   * @param dropped results dropped for this target, by reason
   * @param deadLettered results the target refused, sent to the dead letter instead
   * @param buffered results in the target's buffer
   * @param capacity the buffer's capacity ({@code buffer_size})
   * @param inHand results taken but not yet buffered for this target, or being delivered to it
   * @param handedOff results handed to the wire's successor
   * @param failed results the target accepted and then failed on (already counted delivered; sent
   *     on to the dead letter)
   * @param waiting true while the target is not registered
   * @param blockedFor how long the target has taken nothing while the wire had something for it
   */
  public record TargetLedger(String target, long handedIn, long delivered, Map<WireDropReason, Long> dropped,
      long deadLettered, long buffered, int capacity, long inHand, long handedOff, long failed, boolean waiting,
      Duration blockedFor) {

    /** Copies the map, so the snapshot cannot change. */
    public TargetLedger {
      dropped = copy(dropped);
    }

    /** Results dropped for this target, over every reason. */
    public long droppedCount() {
      return sum(dropped);
    }
  }

  /**
   * The dead letter's books.
   *
   * @param handler the dead-letter handler's name
   * @param received items sent to the dead letter: refused by a target, or failed in it
   * @param handedIn items taken over from the wire's predecessor
   * @param delivered items the dead-letter handler accepted
   * @param dropped items dropped, by reason
   * @param buffered items waiting for the dead-letter handler
   * @param inHand items being delivered
   * @param handedOff items handed to the wire's successor
   * @param waiting true while the dead-letter handler is not registered
   */
  public record DeadLetterLedger(String handler, long received, long handedIn, long delivered,
      Map<WireDropReason, Long> dropped, long buffered, long inHand, long handedOff, boolean waiting) {

    /** Copies the map, so the snapshot cannot change. */
    public DeadLetterLedger {
      dropped = copy(dropped);
    }

    /** {@code received + handed_in - (delivered + dropped + buffered + in_hand + handed_off)}; zero when balanced. */
    public long unaccounted() {
      return received + handedIn - (delivered + sum(dropped) + buffered + inHand + handedOff);
    }
  }

  /** Results dropped before fan-out, over every reason. */
  public long droppedBeforeFanOut() {
    return sum(dropped);
  }

  /** Results delivered, summed over the targets. */
  public long delivered() {
    return targets.values().stream().mapToLong(TargetLedger::delivered).sum();
  }

  /** Results dropped, before fan-out, as unwired and for each target, summed. */
  public long droppedCount() {
    return droppedBeforeFanOut() + unwired + targets.values().stream().mapToLong(TargetLedger::droppedCount).sum();
  }

  /** Results sent to the dead letter, summed over the targets. */
  public long deadLettered() {
    return targets.values().stream().mapToLong(TargetLedger::deadLettered).sum();
  }

  /** Results buffered, summed over the targets. */
  public long buffered() {
    return targets.values().stream().mapToLong(TargetLedger::buffered).sum();
  }

  /** Results in hand, summed over the targets. */
  public long inHand() {
    return targets.values().stream().mapToLong(TargetLedger::inHand).sum();
  }

  /**
   * For one target: {@code taken + handed_in - (filtered + dropped before fan-out + delivered +
   * dropped + dead_lettered + buffered + in_hand + handed_off)}; zero when balanced, never positive.
   *
   * @throws IllegalArgumentException if the wire has no such target
   */
  public long unaccounted(String target) {
    TargetLedger lane = targets.get(target);
    if (lane == null) {
      throw new IllegalArgumentException("wire '" + name + "' has no target '" + target + "'; it has " + targets.keySet());
    }
    return taken + lane.handedIn() - (filtered + droppedBeforeFanOut() + lane.delivered() + lane.droppedCount()
        + lane.deadLettered() + lane.buffered() + lane.inHand() + lane.handedOff());
  }

  /** True when every target's books and the dead letter's balance; expected at every quiescent point. */
  public boolean isBalanced() {
    for (String target : targets.keySet()) {
      if (unaccounted(target) != 0) {
        return false;
      }
    }
    return deadLetter.map(books -> books.unaccounted() == 0).orElse(true);
  }

  /**
   * The snapshot as a map for JSON, metrics and the shell: the wire's figures (each summed over
   * the targets), then {@code targets} (one map per target) and {@code dead_letter} (or null).
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("taken", taken);
    map.put("filtered", filtered);
    map.put("delivered", delivered());
    map.put("dropped", droppedCount());
    map.put("dead_lettered", deadLettered());
    map.put("buffered", buffered());
    map.put("in_hand", inHand());
    map.put("balanced", isBalanced());
    map.put("blocked_seconds", blockedFor.toMillis() / 1000.0);
    map.put("dropped_by_reason", byKey(dropped));
    map.put("unwired", unwired);
    Map<String, Object> lanes = new LinkedHashMap<>();
    targets.forEach((target, lane) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("delivered", lane.delivered());
      row.put("dropped", lane.droppedCount());
      row.put("dropped_by_reason", byKey(lane.dropped()));
      row.put("dead_lettered", lane.deadLettered());
      row.put("failed", lane.failed());
      row.put("buffered", lane.buffered());
      row.put("capacity", lane.capacity());
      row.put("in_hand", lane.inHand());
      row.put("handed_in", lane.handedIn());
      row.put("handed_off", lane.handedOff());
      row.put("waiting", lane.waiting());
      row.put("blocked_seconds", lane.blockedFor().toMillis() / 1000.0);
      row.put("unaccounted", unaccounted(target));
      lanes.put(target, row);
    });
    map.put("targets", lanes);
    map.put("dead_letter", deadLetter.map(books -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("handler", books.handler());
      row.put("received", books.received());
      row.put("delivered", books.delivered());
      row.put("dropped_by_reason", byKey(books.dropped()));
      row.put("buffered", books.buffered());
      row.put("in_hand", books.inHand());
      row.put("handed_in", books.handedIn());
      row.put("handed_off", books.handedOff());
      row.put("waiting", books.waiting());
      row.put("unaccounted", books.unaccounted());
      return (Object) row;
    }).orElse(null));
    return map;
  }

  private static Map<String, Long> byKey(Map<WireDropReason, Long> dropped) {
    Map<String, Long> byKey = new LinkedHashMap<>();
    dropped.forEach((reason, count) -> byKey.put(reason.key(), count));
    return byKey;
  }

  private static Map<WireDropReason, Long> copy(Map<WireDropReason, Long> dropped) {
    EnumMap<WireDropReason, Long> copy = new EnumMap<>(WireDropReason.class);
    copy.putAll(dropped);
    return Collections.unmodifiableMap(copy);
  }

  private static long sum(Map<WireDropReason, Long> dropped) {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }
}
