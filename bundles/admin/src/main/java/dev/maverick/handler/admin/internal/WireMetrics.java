package dev.maverick.handler.admin.internal;

import dev.maverick.handler.wire.WireDropReason;
import dev.maverick.handler.wire.WireLedger;
import dev.maverick.handler.wire.WireState;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Every wire's ledger in the Prometheus text exposition format (0.0.4), after the handlers'
 * families: one family per figure, labelled {@code wire} and, for a target's row, {@code target}
 * (drops before the fan-out, such as {@code select_missing}, carry {@code target=""}).
 */
final class WireMetrics {
  private WireMetrics() {}

  /** One wire's figures, read once so that every family sees the same snapshot. */
  record Snapshot(String name, String from, WireState state, WireLedger ledger) {}

  private interface Samples extends BiConsumer<Snapshot, Sink> {}

  /** Writes one sample of the family being written. */
  private interface Sink {
    void sample(String labels, Number value);
  }

  private record Family(String name, String type, String help, Samples samples) {}

  private static final List<Family> FAMILIES = List.of(
      new Family("maverick_wire_taken_total", "counter", "Results taken from the wire's source.",
          (s, out) -> out.sample("from=\"" + PrometheusMetrics.escape(s.from()) + "\"", s.ledger().taken())),
      new Family("maverick_wire_filtered_total", "counter", "Results the wire's filter did not pass.",
          (s, out) -> out.sample("", s.ledger().filtered())),
      new Family("maverick_wire_delivered_total", "counter", "Results a target accepted.",
          (s, out) -> s.ledger().targets().forEach((target, row) -> out.sample(target(target), row.delivered()))),
      new Family("maverick_wire_dropped_total", "counter", "Results dropped, by target and reason.",
          (s, out) -> {
            for (WireDropReason reason : WireDropReason.values()) {
              out.sample(target("") + ",reason=\"" + reason.key() + "\"", count(s.ledger().dropped(), reason));
              s.ledger().targets().forEach((target, row) -> out.sample(target(target) + ",reason=\"" + reason.key()
                  + "\"", count(row.dropped(), reason)));
            }
          }),
      new Family("maverick_wire_dead_lettered_total", "counter", "Results a target refused, sent to the dead letter.",
          (s, out) -> s.ledger().targets().forEach((target, row) -> out.sample(target(target), row.deadLettered()))),
      new Family("maverick_wire_failed_total", "counter", "Results a target accepted and then failed on.",
          (s, out) -> s.ledger().targets().forEach((target, row) -> out.sample(target(target), row.failed()))),
      new Family("maverick_wire_buffered", "gauge", "Results in a target's buffer.",
          (s, out) -> s.ledger().targets().forEach((target, row) -> out.sample(target(target), row.buffered()))),
      new Family("maverick_wire_buffer_capacity", "gauge", "The capacity of a target's buffer (buffer_size).",
          (s, out) -> s.ledger().targets().forEach((target, row) -> out.sample(target(target), row.capacity()))),
      new Family("maverick_wire_in_hand", "gauge", "Results taken but not yet buffered, or being delivered.",
          (s, out) -> s.ledger().targets().forEach((target, row) -> out.sample(target(target), row.inHand()))),
      new Family("maverick_wire_blocked_seconds", "gauge", "How long the wire has been blocked (0 when it is not).",
          (s, out) -> out.sample("", s.ledger().blockedFor().toMillis() / 1000.0)),
      new Family("maverick_wire_balanced", "gauge", "1 when every target's row of the ledger balances.",
          (s, out) -> out.sample("", s.ledger().isBalanced() ? 1 : 0)),
      new Family("maverick_wire_state", "gauge", "The wire's state: 1 for the state it is in.",
          (s, out) -> {
            for (WireState state : WireState.values()) {
              out.sample("state=\"" + state.key() + "\"", s.state() == state ? 1 : 0);
            }
          }));

  /** The exposition text for these wires (nothing when there are none). */
  static String format(List<Snapshot> wires) {
    StringBuilder out = new StringBuilder(4096);
    if (wires.isEmpty()) {
      return "";
    }
    for (Family family : FAMILIES) {
      out.append("# HELP ").append(family.name()).append(' ').append(family.help()).append('\n');
      out.append("# TYPE ").append(family.name()).append(' ').append(family.type()).append('\n');
      for (Snapshot wire : wires) {
        family.samples().accept(wire, (labels, value) -> {
          out.append(family.name()).append("{wire=\"").append(PrometheusMetrics.escape(wire.name())).append('"');
          if (!labels.isEmpty()) {
            out.append(',').append(labels);
          }
          out.append("} ").append(value).append('\n');
        });
      }
    }
    return out.toString();
  }

  private static String target(String target) {
    return "target=\"" + PrometheusMetrics.escape(target) + "\"";
  }

  private static long count(Map<WireDropReason, Long> dropped, WireDropReason reason) {
    return dropped.getOrDefault(reason, 0L);
  }
}
