package dev.maverick.handler.wire.internal;

import dev.maverick.handler.Handover;
import dev.maverick.handler.TakenResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a wire's buffered copies to the next instance of the same configuration PID through the
 * core's {@link Handover} store: a configuration change or an update of this bundle. Each copy is
 * parked as a map of JDK and core classes only ({@code target}, {@code dead_letter}, {@code item},
 * {@code extra} and the unsettled {@link TakenResult} under {@code result}), so the successor, loaded
 * from another bundle revision, can read it and settle the result.
 */
final class WireHandover {
  private static final Logger LOG = LoggerFactory.getLogger(WireHandover.class);
  private static final String TARGET = "target";
  private static final String DEAD_LETTER = "dead_letter";
  private static final String ITEM = "item";
  private static final String EXTRA = "extra";
  private static final String RESULT = "result";

  private WireHandover() {}

  /** One lane's copies, in order, as parked. */
  record Parked(Lane lane, List<Delivery> copies) {}

  /**
   * Parks the copies; what nobody claims within {@code lifetime} moves from handed off to dropped
   * ({@code shutdown}) in the lanes' books, and its results are settled.
   */
  static void park(String key, String owner, List<Parked> lanes, Duration lifetime) {
    List<Object> entries = new ArrayList<>();
    List<Runnable> expiries = new ArrayList<>();
    for (Parked parked : lanes) {
      boolean deadLetter = parked.lane().isDeadLetter();
      for (Delivery copy : parked.copies()) {
        Map<String, Object> entry = new HashMap<>();
        entry.put(TARGET, parked.lane().target());
        entry.put(DEAD_LETTER, deadLetter);
        entry.put(ITEM, copy.item);
        entry.put(EXTRA, copy.extra);
        if (copy.result() != null) {
          entry.put(RESULT, copy.result());
        }
        entries.add(entry);
        expiries.add(() -> parked.lane().expiredHandOff(copy));
      }
    }
    if (entries.isEmpty()) {
      return;
    }
    Handover.park(key, owner, entries, lifetime, expired -> {
      LOG.warn("{}: {} item(s) handed over at close were not taken over within {} s; dropped (shutdown)", owner,
          expired.size(), lifetime.toMillis() / 1000.0);
      expiries.forEach(Runnable::run);
    });
    LOG.info("{}: {} item(s) handed over to the next instance", owner, entries.size());
  }

  /**
   * Takes over what the predecessor parked under {@code key}: each copy goes to the end of the lane
   * of its target (or to the dead letter), in order, before the lanes start. A copy for a target the
   * wire no longer has is counted in {@code unwired} and its share of the result settled.
   *
   * @param lanes the wire's target lanes by target name
   * @param deadLetter the wire's dead-letter lane, or null
   * @return how many copies were taken over
   */
  @SuppressWarnings("unchecked")
  static int adopt(String key, String owner, Map<String, Lane> lanes, Lane deadLetter, LongAdder unwired) {
    List<Object> entries = Handover.claim(key);
    if (entries.isEmpty()) {
      return 0;
    }
    // the copies of one result share one count: group them by the result they came from
    Map<TakenResult<?>, List<Map<String, ?>>> byResult = new IdentityHashMap<>();
    for (Object entry : entries) {
      Map<String, ?> map = (Map<String, ?>) entry;
      Object result = map.get(RESULT);
      if (result instanceof TakenResult<?> taken) {
        byResult.computeIfAbsent(taken, any -> new ArrayList<>()).add(map);
      }
    }
    Map<Map<String, ?>, Delivery> made = new IdentityHashMap<>();
    byResult.forEach((result, group) -> {
      List<Object> items = new ArrayList<>();
      List<Map<String, ?>> extras = new ArrayList<>();
      group.forEach(map -> {
        items.add(map.get(ITEM));
        extras.add((Map<String, ?>) map.get(EXTRA));
      });
      Delivery[] copies = Delivery.adopted(result, items, extras);
      for (int i = 0; i < copies.length; i++) {
        made.put(group.get(i), copies[i]);
      }
    });
    Map<Lane, List<Delivery>> perLane = new LinkedHashMap<>();
    int gone = 0;
    for (Object entry : entries) {
      Map<String, ?> map = (Map<String, ?>) entry;
      Delivery copy = made.get(map);
      if (copy == null) {
        copy = Delivery.unsettled(map.get(ITEM), (Map<String, ?>) map.get(EXTRA));
      }
      Lane lane = Boolean.TRUE.equals(map.get(DEAD_LETTER)) ? deadLetter : lanes.get(String.valueOf(map.get(TARGET)));
      if (lane == null) {
        unwired.increment();
        gone++;
        copy.done();
      } else {
        perLane.computeIfAbsent(lane, any -> new ArrayList<>()).add(copy);
      }
    }
    perLane.forEach(Lane::adopt);
    LOG.info("{} took over {} item(s) from its previous instance{}", owner, entries.size(),
        gone == 0 ? "" : "; " + gone + " for targets it no longer has were dropped (unwired)");
    return entries.size();
  }
}
