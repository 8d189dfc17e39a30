package dev.maverick.handler.admin.internal;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wires as every front end shows them: name, from, to, pid, state, error, warnings, config and
 * ledger. An {@code extra} under a secret-like key is masked, and so is the admin token wherever
 * a text (an error, a warning) might quote it.
 */
final class WireViews {
  private final Supplier<AdminSettings> settings;

  WireViews(Supplier<AdminSettings> settings) {
    this.settings = settings;
  }

  /** A wire as the API shows it. */
  Map<String, Object> view(WireEntry entry) {
    Wire wire = entry.wire();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", wire.name());
    view.put("from", wire.from());
    view.put("to", wire.to());
    view.put("pid", wire.pid());
    view.put("state", wire.state().key());
    view.put("error", wire.error().orElse(null));
    view.put("warnings", wire.warnings());
    view.put("config", wire.config().map(WireViews::displayConfig).orElse(null));
    view.put("ledger", wire.ledger().toMap());
    @SuppressWarnings("unchecked")
    Map<String, Object> masked = (Map<String, Object>) redaction().maskAll(view);
    return masked;
  }

  /** What masks the admin token in what is shown of wires. */
  Redaction redaction() {
    Optional<String> token = settings.get().adminToken();
    return Redaction.of(token.map(List::of).orElse(List.of()));
  }

  /** A wire's configuration for people: every key with its effective value, secret-like extras masked. */
  static Map<String, Object> displayConfig(WireConfig config) {
    Map<String, Object> shown = new LinkedHashMap<>(config.toMap());
    Map<String, String> extra = new LinkedHashMap<>(config.extra());
    extra.replaceAll((key, value) -> HandlerConfig.isSecretKey(key) ? HandlerConfig.MASK : value);
    shown.put(WireConfig.EXTRA, extra);
    return shown;
  }
}
