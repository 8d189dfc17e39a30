package dev.maverick.handler.ds;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.InvalidConfigurationException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one handler as a {@link Handler} service for a DS component, and keeps it in step with
 * Config Admin.
 *
 * <p>The component registers the service through this class rather than with
 * {@code @Component(service = Handler.class)} because the {@value Handler#NAME_PROPERTY} service
 * property must follow the configured {@code name}, which DS cannot derive from a configuration
 * key of another name.
 *
 * <p>A configuration change is checked first ({@link HandlerKind#validate}); a bad one is logged
 * with the PID, the key, the value and what is allowed, recorded in the service property
 * {@value Handler#CONFIG_ERROR_PROPERTY}, and not applied: the handler keeps its last good configuration.
 *
 * <p>When the component is deactivated because its bundle is being updated or restarted (or DS
 * reactivates it), the handler hands its queued items and untaken results to the next instance of
 * the same configuration PID through the core's hand-over store, instead of draining them with the
 * old code; see {@link ArchitectureHandler#closeAndHandOver}. When the framework itself stops, or
 * the configuration is deleted for good, it drains as a plain {@code close()} does.
 *
 * @param <H> the handler type
 */
public final class HandlerService<H extends ArchitectureHandler<?, ?>> {

  private static final Logger LOG = LoggerFactory.getLogger(HandlerService.class);

  private final BundleContext context;
  private final HandlerKind kind;
  private String pid;
  private final H handler;
  private final ServiceRegistration<?> registration;
  private String configError;

  private HandlerService(BundleContext context, HandlerKind kind, String pid, H handler) {
    this.context = context;
    this.kind = kind;
    this.pid = pid;
    this.handler = handler;
    requireUniqueName(handler.name(), pid);
    this.registration = context.registerService(Handler.class.getName(), handler, serviceProperties());
  }

  /**
   * Validates the component's properties, builds the handler and registers it.
   *
   * @throws InvalidConfigurationException if the configuration is bad (logged; the component does not activate)
   * @throws IllegalStateException if another handler already has the configured name
   */
  public static <H extends ArchitectureHandler<?, ?>> HandlerService<H> publish(BundleContext context, HandlerKind kind,
      Map<String, ?> properties, Function<HandlerConfig, H> constructor) {
    String pid = ComponentConfigs.configurationPid(kind.pid(), properties);
    H handler;
    try {
      handler = constructor.apply(kind.validate(properties)); // the constructor refuses too many worker threads
    } catch (InvalidConfigurationException e) {
      InvalidConfigurationException named = e.pid().isPresent() ? e : e.withPid(pid);
      LOG.error("{}; the {} handler is not started", named.getMessage(), kind.kind());
      throw named;
    }
    try {
      handler.adoptHandover(pid);
      HandlerService<H> service = new HandlerService<>(context, kind, pid, handler);
      LOG.info("handler '{}' ({}) registered from configuration {}", handler.name(), kind.kind(), pid);
      return service;
    } catch (RuntimeException e) {
      handler.close();
      throw e;
    }
  }

  /** The handler. */
  public H handler() {
    return handler;
  }

  /**
   * Applies changed properties to the live handler, or rejects them and keeps the last good
   * configuration.
   *
   * @return true if applied
   */
  public synchronized boolean modified(Map<String, ?> properties) {
    HandlerConfig config;
    // DS may hand a live component another configuration: Felix SCR gives the first factory
    // configuration of the PID to the instance that ran without one
    String newPid = ComponentConfigs.configurationPid(kind.pid(), properties);
    try {
      config = kind.validate(properties);
      if (!config.name().orElse("").equals(handler.name())) {
        requireUniqueName(config.name().orElse(""), newPid);
      }
      try {
        handler.reconfigure(config); // refuses a worker_threads over the runtime's budget, changing nothing
      } catch (InvalidConfigurationException e) {
        throw e.withPid(newPid);
      }
    } catch (InvalidConfigurationException | IllegalStateException e) {
      configError = e.getMessage();
      LOG.error("{}; handler '{}' keeps its last good configuration", e.getMessage(), handler.name());
      registration.setProperties(serviceProperties());
      return false;
    }
    pid = newPid;
    configError = null;
    registration.setProperties(serviceProperties());
    LOG.info("handler '{}' reconfigured from {}", handler.name(), pid);
    return true;
  }

  /** Unregisters the service, then closes the handler for good (draining its queue). */
  public synchronized void close() {
    unregister();
    handler.close();
  }

  /**
   * Unregisters the service, then closes the handler as the DS deactivation reason calls for:
   * handing its work over to a successor when one is expected (bundle stopped for an update or a
   * restart, configuration modified, a singleton's configuration deleted so that it comes back
   * with defaults), draining it otherwise (framework shutdown, component disabled or disposed).
   *
   * @param reason the {@code int} DS passes to a {@code @Deactivate} method
   */
  public synchronized void deactivate(int reason) {
    unregister();
    if (successorExpected(reason)) {
      handler.closeAndHandOver(pid);
    } else {
      handler.close();
    }
  }

  private boolean successorExpected(int reason) {
    if (frameworkStopping()) {
      return false;
    }
    switch (reason) {
      case ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED:
      case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED:
        return true;
      case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED:
        return pid.equals(kind.pid()); // a singleton comes back with its defaults; a factory instance is gone
      default:
        return false;
    }
  }

  private boolean frameworkStopping() {
    try {
      Bundle system = context.getBundle(0);
      return system == null || system.getState() == Bundle.STOPPING;
    } catch (IllegalStateException contextInvalid) {
      return false;
    }
  }

  private void unregister() {
    try {
      registration.unregister();
    } catch (IllegalStateException alreadyGone) {
      // the bundle is stopping and the framework unregistered it first
    }
  }

  private Dictionary<String, Object> serviceProperties() {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(Handler.NAME_PROPERTY, handler.name());
    properties.put(Handler.KIND_PROPERTY, kind.kind());
    properties.put(Handler.PID_PROPERTY, pid);
    if (configError != null) {
      properties.put(Handler.CONFIG_ERROR_PROPERTY, configError);
    }
    return properties;
  }

  private void requireUniqueName(String name, String ownPid) {
    String filter = "(" + Handler.NAME_PROPERTY + "=" + ConfigKeys.ldapValue(name) + ")";
    ServiceReference<?>[] taken;
    try {
      taken = context.getAllServiceReferences(Handler.class.getName(), filter);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("bad handler name " + name, e);
    }
    if (taken != null) {
      for (ServiceReference<?> reference : taken) {
        if (!Objects.equals(reference.getProperty(Handler.PID_PROPERTY), ownPid)) {
          throw new IllegalStateException("configuration " + ownPid + ": the handler name '" + name
              + "' is already used by " + reference.getProperty(Handler.PID_PROPERTY) + "; names must be unique");
        }
      }
    }
  }
}
