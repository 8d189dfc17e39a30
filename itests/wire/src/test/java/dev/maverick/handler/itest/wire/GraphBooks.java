package dev.maverick.handler.itest.wire;

import dev.maverick.handler.DropReason.Ledger;
import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireLedger;
import dev.maverick.handler.wire.WireLedger.TargetLedger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The books of a whole graph of handlers and wires, every instance that ever ran (bundle updates
 * and wire reconfigurations make new ones): what entered the first handler must be, at a quiescent
 * point, what came out of the last one plus what is processed-and-dropped, errored or still held
 * anywhere, each for a named reason. It adds only the final places of each stage, never a stage's
 * own view of what it passed on, so a wire that counted a delivery its target never got, or a
 * handler that lost a result, leaves the graph short.
 *
 * <p>It holds for a chain of handlers that each make one result per item they process.
 */
final class GraphBooks {
  private final Collection<? extends Handler<?, ?>> first;
  private final Collection<? extends Handler<?, ?>> handlers;
  private final Collection<? extends Wire> wires;

  /**
   * @param first every instance of the first handler (where items enter)
   * @param handlers every instance of every handler of the graph, the first one's too
   * @param wires every instance of every wire of the graph
   */
  GraphBooks(Collection<? extends Handler<?, ?>> first, Collection<? extends Handler<?, ?>> handlers,
      Collection<? extends Wire> wires) {
    this.first = List.copyOf(first);
    this.handlers = List.copyOf(handlers);
    this.wires = List.copyOf(wires);
  }

  /** Items given to the first handler: fed (accepted or not), generated or produced. */
  long entered() {
    long entered = 0;
    for (Handler<?, ?> handler : first) {
      HandlerStats stats = handler.stats();
      entered += stats.fedCount() + stats.generateCount() + stats.producedCount();
    }
    return entered;
  }

  /** Where everything that entered is now, by place, given what was taken out of the last handler. */
  Map<String, Long> places(long takenOut) {
    Map<String, Long> places = new LinkedHashMap<>();
    places.put("taken out", takenOut);
    for (Handler<?, ?> handler : handlers) {
      HandlerStats stats = handler.stats();
      add(places, "item drops", stats.dropped(Ledger.ITEMS));
      add(places, "item errors", stats.itemErrorCount());
      add(places, "queued items", stats.inputQueueSize());
      add(places, "items in flight", stats.inFlight());
      add(places, "result drops", stats.dropped(Ledger.RESULTS));
      add(places, "queued results", stats.resultQueueSize());
      // hand-over between instances: what one handed off and the next took in cancels out
      add(places, "items handed over, not taken in", stats.handedOffCount() - stats.handedInCount());
      add(places, "results handed over, not taken in", stats.resultsHandedOff() - stats.resultsHandedIn());
    }
    // the last handler's results taken by the test are "taken out"; the others' by wires
    for (Wire wire : wires) {
      WireLedger ledger = wire.ledger();
      add(places, "filtered by wires", ledger.filtered());
      add(places, "dropped by wires", ledger.droppedCount());
      add(places, "dead-lettered by wires", ledger.deadLettered());
      add(places, "buffered in wires", ledger.buffered());
      add(places, "in the hands of wires", ledger.inHand());
      for (TargetLedger lane : ledger.targets().values()) {
        add(places, "handed between wire instances, not taken in", lane.handedOff() - lane.handedIn());
      }
    }
    return places;
  }

  /** {@code entered - everything in {@link #places}}: zero when the graph balances. */
  long unaccounted(long takenOut) {
    return entered() - places(takenOut).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Items and results handed from one instance to the next: of handlers, and of wires. */
  long[] handedOver() {
    long handlersHandedOff = 0;
    for (Handler<?, ?> handler : handlers) {
      handlersHandedOff += handler.stats().handedOffCount() + handler.stats().resultsHandedOff();
    }
    long wiresHandedOff = 0;
    for (Wire wire : wires) {
      for (TargetLedger lane : wire.ledger().targets().values()) {
        wiresHandedOff += lane.handedOff();
      }
    }
    return new long[] {handlersHandedOff, wiresHandedOff};
  }

  /** Every instance's own books balance (handlers' three ledgers, wires' rows). */
  List<String> unbalancedParts() {
    List<String> parts = new ArrayList<>();
    for (Handler<?, ?> handler : handlers) {
      if (!handler.stats().isBalanced()) {
        parts.add(handler.stats().toString());
      }
    }
    for (Wire wire : wires) {
      if (!wire.ledger().isBalanced()) {
        parts.add(wire.ledger().toString());
      }
    }
    return parts;
  }

  private static void add(Map<String, Long> places, String place, long count) {
    places.merge(place, count, Long::sum);
  }
}
