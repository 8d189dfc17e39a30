package dev.maverick.handler.admin.internal;

import dev.maverick.handler.HandlerStats;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * One Felix Health Check per handler, tagged {@value #TAG}, judged by {@link HealthJudgement}:
 * CRITICAL when its worker has died; WARN when a bounded queue is over 80% full, items were
 * dropped in the last minute, its last configuration change was rejected, or it reports a current
 * problem in its stats' {@code warnings}; OK otherwise.
 *
 * <p>Active only when Felix Health Checks runs (its executor is referenced), so that the bundle
 * never loads this class without the optional HC API package.
 */
@Component(immediate = true, service = {})
public final class HandlerHealthChecks implements HandlerListener {
  static final String TAG = "handlers";
  static final Duration DROP_WINDOW = Duration.ofMinutes(1);

  private final BundleContext context;
  private final HandlerAdmin admin;
  private final StatsHistory history;
  private final Map<Long, ServiceRegistration<HealthCheck>> checks = new ConcurrentHashMap<>();

  @Activate
  public HandlerHealthChecks(BundleContext context, @Reference HandlerAdmin admin, @Reference StatsHistory history,
      @Reference HealthCheckExecutor executor) {
    this.context = context;
    this.admin = admin;
    this.history = history;
    admin.registry().addListener(this);
  }

  @Deactivate
  void deactivate() {
    admin.registry().removeListener(this);
    checks.values().forEach(ServiceRegistration::unregister);
    checks.clear();
  }

  /** The name of a handler's check. */
  static String checkName(String handlerName) {
    return "Handler " + handlerName;
  }

  @Override
  public synchronized void added(HandlerEntry entry) {
    checks.computeIfAbsent(entry.id(),
        id -> context.registerService(HealthCheck.class, new Check(entry), properties(entry)));
  }

  @Override
  public synchronized void modified(HandlerEntry entry) {
    ServiceRegistration<HealthCheck> registration = checks.get(entry.id());
    if (registration != null) {
      registration.setProperties(properties(entry));
    }
  }

  @Override
  public synchronized void removed(HandlerEntry entry) {
    ServiceRegistration<HealthCheck> registration = checks.remove(entry.id());
    if (registration != null) {
      try {
        registration.unregister();
      } catch (IllegalStateException alreadyGone) {
        // the bundle is stopping
      }
    }
  }

  private static Dictionary<String, Object> properties(HandlerEntry entry) {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(HealthCheck.NAME, checkName(entry.name()));
    properties.put(HealthCheck.TAGS, new String[] {TAG});
    properties.put("handler.name", entry.name());
    return properties;
  }

  /** Runs the judgement on a fresh stats snapshot of one handler. */
  final class Check implements HealthCheck {
    private final HandlerEntry entry;

    Check(HandlerEntry entry) {
      this.entry = entry;
    }

    @Override
    public Result execute() {
      HandlerStats stats = entry.handler().stats();
      return HealthJudgement.judge(entry.name(), stats, history.droppedWithin(entry, stats, DROP_WINDOW),
          entry.configError(), admin.views().redaction(entry));
    }
  }
}
