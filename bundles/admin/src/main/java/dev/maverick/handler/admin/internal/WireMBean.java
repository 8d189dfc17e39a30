package dev.maverick.handler.admin.internal;

import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireDropReason;
import dev.maverick.handler.wire.WireLedger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A wire as read-only MBean attributes, read live: {@code from}, {@code to}, {@code state},
 * {@code pid}, {@code error}, {@code warnings} (joined by "; "), the ledger's figures
 * ({@code taken}, {@code delivered}, ... as in {@code WireLedger.toMap()}), drops by reason as
 * {@code dropped_<reason>}, and each target's row as {@code target.<name>.<figure>}.
 */
final class WireMBean extends ReadOnlyMBean {
  private final Wire wire;
  private final WireViews views;

  WireMBean(Wire wire, WireViews views) {
    this.wire = wire;
    this.views = views;
  }

  @Override
  Map<String, Object> attributes() {
    Redaction masking = views.redaction();
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("from", wire.from());
    attributes.put("to", String.join(",", wire.to()));
    attributes.put("state", wire.state().key());
    attributes.put("pid", wire.pid());
    attributes.put("error", masking.mask(wire.error().orElse(null)));
    attributes.put("warnings", masking.mask(String.join("; ", wire.warnings())));
    WireLedger ledger = wire.ledger();
    Map<String, Object> figures = ledger.toMap();
    figures.forEach((key, value) -> {
      if (!(value instanceof Map<?, ?>)) {
        attributes.put(key, scalar(value));
      }
    });
    for (WireDropReason reason : WireDropReason.values()) {
      long count = ledger.dropped().getOrDefault(reason, 0L);
      for (WireLedger.TargetLedger row : ledger.targets().values()) {
        count += row.dropped().getOrDefault(reason, 0L);
      }
      attributes.put("dropped_" + reason.key(), count);
    }
    ((Map<?, ?>) figures.get("targets")).forEach((target, row) -> ((Map<?, ?>) row).forEach((figure, value) -> {
      if (!(value instanceof Map<?, ?>)) {
        attributes.put("target." + target + "." + figure, scalar(value));
      }
    }));
    return attributes;
  }

  @Override
  String description() {
    return "Maverick wire '" + wire.name() + "' (" + wire.from() + " -> " + String.join(", ", wire.to()) + ")";
  }
}
