package dev.maverick.handler.admin.internal;

import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireLedger;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * One Felix Health Check per wire, {@code Wire <name>}, tagged {@value #TAG}: WARN with each of
 * the wire's {@link Wire#warnings()} (blocked for more than 5 s, dead-lettering or dropping in the
 * last minute, waiting for a handler, a refused configuration: the wire bundle decides, so that the
 * rule lives in one place); OK otherwise. Active only while both Felix Health Checks and the wire
 * bundle run.
 */
@Component(immediate = true, service = {})
public final class WireHealthChecks implements WireRegistry.Listener {
  static final String TAG = "wires";

  private final BundleContext context;
  private final WireAdmin wires;
  private final Map<Long, ServiceRegistration<HealthCheck>> checks = new ConcurrentHashMap<>();

  @Activate
  public WireHealthChecks(BundleContext context, @Reference WireAdmin wires, @Reference HealthCheckExecutor executor) {
    this.context = context;
    this.wires = wires;
    wires.registry().addListener(this);
  }

  @Deactivate
  void deactivate() {
    wires.registry().removeListener(this);
    checks.values().forEach(WireHealthChecks::unregister);
    checks.clear();
  }

  /** The name of a wire's check. */
  static String checkName(String wireName) {
    return "Wire " + wireName;
  }

  @Override
  public void added(WireEntry entry) {
    checks.computeIfAbsent(entry.id(), id -> {
      Hashtable<String, Object> properties = new Hashtable<>();
      properties.put(HealthCheck.NAME, checkName(entry.name()));
      properties.put(HealthCheck.TAGS, new String[] {TAG});
      properties.put(Wire.NAME_PROPERTY, entry.name());
      return context.registerService(HealthCheck.class, () -> judge(entry.wire(), wires.views().redaction()),
          (Dictionary<String, Object>) properties);
    });
  }

  @Override
  public void removed(WireEntry entry) {
    ServiceRegistration<HealthCheck> registration = checks.remove(entry.id());
    if (registration != null) {
      unregister(registration);
    }
  }

  private static void unregister(ServiceRegistration<HealthCheck> registration) {
    try {
      registration.unregister();
    } catch (IllegalStateException alreadyGone) {
      // the bundle is stopping
    }
  }

  /** Judges a wire from one snapshot: a WARN line per warning, else OK with its figures. */
  static Result judge(Wire wire, Redaction redaction) {
    FormattingResultLog log = new FormattingResultLog();
    for (String warning : wire.warnings()) {
      log.warn("wire '{}': {}", wire.name(), redaction.shown(warning, Redaction.MAX_TEXT));
    }
    if (wire.warnings().isEmpty()) {
      WireLedger ledger = wire.ledger();
      log.info("wire '{}' ({} -> {}) is {}: {} taken, {} delivered, {} buffered", wire.name(), wire.from(),
          String.join(", ", wire.to()), wire.state().key(), ledger.taken(), ledger.delivered(), ledger.buffered());
    }
    return new Result(log);
  }
}
