package dev.maverick.handler.wire.internal;

import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireConfig;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One wire per factory configuration of {@value Wire#FACTORY_PID}, registered as a {@link Wire}
 * service with {@value Wire#NAME_PROPERTY}, {@value Wire#FROM_PROPERTY}, {@value Wire#TO_PROPERTY}
 * and {@value Wire#PID_PROPERTY}.
 *
 * <p>There is no {@code @Modified}: a changed configuration deactivates this instance, which hands
 * what it holds to the next one through the core's hand-over store, as an update of this bundle
 * does; one path for both. A refused configuration is registered too, as an invalid wire that says
 * why, and takes nothing; one the graph refused starts by itself once the wire in its way is gone.
 */
@Component(service = {}, configurationPid = Wire.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WireMetatype.class, factory = true)
public final class WireComponent {
  private static final Logger LOG = LoggerFactory.getLogger(WireComponent.class);
  private static final String SERVICE_PID = "service.pid";

  private final BundleContext context;
  private final WireGraph graph;
  private final String pid;
  private final Map<String, Object> properties;
  private WireService wire; // guarded by this
  private ServiceRegistration<Wire> registration; // guarded by this
  private boolean deactivated; // guarded by this

  /** Checks the configuration, starts the wire (or records why not) and registers it. */
  @Activate
  public WireComponent(BundleContext context, @Reference WireGraph graph, Map<String, Object> properties) {
    this.context = context;
    this.graph = graph;
    this.pid = String.valueOf(properties.getOrDefault(SERVICE_PID, Wire.FACTORY_PID));
    this.properties = Map.copyOf(properties);
    synchronized (this) {
      this.wire = startOrRefuse(true);
      this.registration = context.registerService(Wire.class, wire, serviceProperties(wire));
    }
  }

  /**
   * Starts the wire, or makes an invalid one that says why. A configuration refused by the graph
   * (a cycle, a source another wire reads, a name another wire has) waits for the graph to change
   * and tries again: deleting the wire in the way starts this one.
   */
  private WireService startOrRefuse(boolean firstTry) {
    WireConfig config;
    try {
      config = WireConfig.fromMap(properties);
    } catch (InvalidConfigurationException e) {
      return refused(e, firstTry);
    }
    WireEngine engine = new WireEngine(config, pid, new TrackedHandlers(context));
    try {
      graph.add(pid, config);
    } catch (InvalidConfigurationException e) {
      graph.onChange(pid, this::graphChanged);
      return refused(e, firstTry);
    }
    graph.onChange(pid, null);
    try {
      engine.start();
    } catch (RuntimeException e) {
      graph.remove(pid);
      engine.close(false);
      throw e;
    }
    return WireService.running(pid, engine);
  }

  private WireService refused(InvalidConfigurationException e, boolean log) {
    String message = e.withPid(pid).getMessage();
    if (log) {
      LOG.error("{}; the wire is not started", message);
    }
    return WireService.invalid(pid, properties, message);
  }

  /** Another wire left the graph: a wire it refused tries again, and registers itself anew if it runs now. */
  private synchronized void graphChanged() {
    if (deactivated || wire.engine() != null) {
      return;
    }
    WireService again = startOrRefuse(false);
    if (again.engine() == null) {
      return;
    }
    LOG.info("wire '{}' starts now that the graph allows it ({})", again.name(), pid);
    unregister();
    wire = again;
    registration = context.registerService(Wire.class, wire, serviceProperties(wire));
  }

  private static Dictionary<String, Object> serviceProperties(WireService wire) {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(Wire.NAME_PROPERTY, wire.name());
    properties.put(Wire.FROM_PROPERTY, wire.from());
    properties.put(Wire.TO_PROPERTY, wire.to().toArray(String[]::new));
    properties.put(Wire.PID_PROPERTY, wire.pid());
    return properties;
  }

  /**
   * Unregisters the wire, then closes it: handing what it holds to the next instance when one is
   * expected (this bundle stopped for an update or a restart, the configuration changed), or
   * delivering it for up to {@code shutdown_timeout} (the configuration was deleted, the framework
   * stops).
   */
  @Deactivate
  synchronized void deactivate(int reason) {
    deactivated = true;
    graph.onChange(pid, null);
    unregister();
    WireEngine engine = wire.engine();
    if (engine != null) {
      engine.close(successorExpected(reason));
      graph.remove(pid);
    }
  }

  private void unregister() {
    try {
      registration.unregister();
    } catch (IllegalStateException alreadyGone) {
      // the bundle is stopping and the framework unregistered it first
    }
  }

  private boolean successorExpected(int reason) {
    if (frameworkStopping()) {
      return false;
    }
    return reason == ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED
        || reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED;
  }

  private boolean frameworkStopping() {
    try {
      Bundle system = context.getBundle(0);
      return system == null || system.getState() == Bundle.STOPPING;
    } catch (IllegalStateException contextInvalid) {
      return false;
    }
  }
}
