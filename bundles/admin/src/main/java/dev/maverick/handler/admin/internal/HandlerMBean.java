package dev.maverick.handler.admin.internal;

import dev.maverick.handler.DropReason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A handler's stats as read-only MBean attributes, read live from {@code stats().toMap()}: the
 * seed's keys and ours; drops by reason as {@code dropped_<reason>}; a subclass's figures as
 * {@code details.<key>}; and {@code kind}, {@code pid}, {@code config_error}. Configuration is
 * changed through Config Admin only, so nothing here is writable.
 */
final class HandlerMBean extends ReadOnlyMBean {
  private final HandlerEntry entry;
  private final Supplier<Redaction> redaction;

  /**
   * @param redaction masks the handler's secrets in every text attribute (a last error may quote one)
   */
  HandlerMBean(HandlerEntry entry, Supplier<Redaction> redaction) {
    this.entry = entry;
    this.redaction = redaction;
  }

  /** The attributes now, by name. */
  @Override
  @SuppressWarnings("unchecked")
  Map<String, Object> attributes() {
    Redaction masking = redaction.get();
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("kind", entry.kind());
    attributes.put("pid", entry.pid());
    attributes.put("config_error", masking.mask(entry.configError()));
    Map<String, Object> stats = (Map<String, Object>) masking.maskAll(entry.handler().stats().toMap());
    stats.forEach((key, value) -> {
      if (key.equals("dropped_by_reason") && value instanceof Map<?, ?> reasons) {
        for (DropReason reason : DropReason.values()) {
          Object count = reasons.get(reason.key());
          attributes.put("dropped_" + reason.key(), count instanceof Number number ? number.longValue() : 0L);
        }
      } else if (key.equals("details") && value instanceof Map<?, ?> details) {
        details.forEach((detail, detailValue) -> attributes.put("details." + detail, scalar(detailValue)));
      } else {
        attributes.put(key, scalar(value));
      }
    });
    return attributes;
  }

  @Override
  String description() {
    return "Maverick handler '" + entry.name() + "' (" + entry.kind() + ")";
  }
}
