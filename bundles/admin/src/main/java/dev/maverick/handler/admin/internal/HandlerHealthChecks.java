package dev.maverick.handler.admin.internal;

import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import java.time.Duration;
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
 * One Felix Health Check per handler, tagged {@value #TAG}: CRITICAL when its worker has died;
 * WARN when a bounded queue is over 80% full, items were dropped in the last minute, or its last
 * configuration change was rejected; OK otherwise.
 *
 * <p>Active only when Felix Health Checks runs (its executor is referenced), so that the bundle
 * never loads this class without the optional HC API package.
 */
@Component(immediate = true, service = {})
public final class HandlerHealthChecks implements HandlerListener {
  static final String TAG = "handlers";
  static final double QUEUE_WARN_RATIO = 0.8;
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
    admin.addListener(this);
  }

  @Deactivate
  void deactivate() {
    admin.removeListener(this);
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

  /** Judges one handler's health from a fresh stats snapshot. */
  final class Check implements HealthCheck {
    private final HandlerEntry entry;

    Check(HandlerEntry entry) {
      this.entry = entry;
    }

    @Override
    public Result execute() {
      FormattingResultLog log = new FormattingResultLog();
      HandlerStats stats = entry.handler().stats();
      String name = entry.name();
      boolean problem = false;
      if (stats.state() == HandlerState.FAILED) {
        log.critical("handler '{}': its worker thread died: {}", name, stats.failure().orElse("no cause recorded"));
        problem = true;
      } else if (stats.state() == HandlerState.CLOSING || stats.state() == HandlerState.CLOSED) {
        log.warn("handler '{}' is {}", name, stats.state().name().toLowerCase(java.util.Locale.ROOT));
        problem = true;
      }
      problem |= queue(log, name, "input", stats.inputQueueSize(), stats.inputQueueCapacity());
      problem |= queue(log, name, "result", stats.resultQueueSize(), stats.resultQueueCapacity());
      problem |= queue(log, name, "callback", stats.callbackQueueSize(), stats.callbackQueueCapacity());
      long dropped = history.droppedWithin(entry, stats, DROP_WINDOW);
      if (dropped > 0) {
        log.warn("handler '{}': {} dropped in the last minute (last: {})", name, dropped,
            stats.lastDrop().orElse("unknown"));
        problem = true;
      }
      if (entry.configError() != null) {
        log.warn("handler '{}': its last configuration change was rejected: {}", name, entry.configError());
        problem = true;
      }
      if (!problem) {
        log.info("handler '{}' is {}: {} processed, {} dropped, input queue {}/{}", name,
            stats.state().name().toLowerCase(java.util.Locale.ROOT), stats.processedCount(), stats.droppedCount(),
            stats.inputQueueSize(), stats.inputQueueCapacity());
      }
      return new Result(log);
    }

    private boolean queue(FormattingResultLog log, String name, String queue, int size, int capacity) {
      if (capacity > 0 && size > QUEUE_WARN_RATIO * capacity) {
        log.warn("handler '{}': the {} queue is over 80% full ({}/{})", name, queue, size, capacity);
        return true;
      }
      return false;
    }
  }
}
