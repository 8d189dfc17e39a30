package dev.maverick.handler.admin.internal;

import dev.maverick.handler.Handler;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * One handler found in the service registry. Its name, kind and PID are read from the live
 * service properties, so a rename through Config Admin shows at once.
 */
final class HandlerEntry {
  private final ServiceReference<?> reference;
  private final Handler<Object, Object> handler;
  private final AtomicLong modifications = new AtomicLong();

  HandlerEntry(ServiceReference<?> reference, Handler<Object, Object> handler) {
    this.reference = reference;
    this.handler = handler;
  }

  /** The service id: stable while the handler lives, even across renames. */
  long id() {
    return (Long) reference.getProperty(Constants.SERVICE_ID);
  }

  String name() {
    Object name = reference.getProperty(Handler.NAME_PROPERTY);
    return name instanceof String text ? text : handler.name();
  }

  /** The kind, or {@code ""} when the service does not say. */
  String kind() {
    Object kind = reference.getProperty(Handler.KIND_PROPERTY);
    return kind instanceof String text ? text : "";
  }

  /** The configuration PID behind the handler, or {@code null} when the service does not say. */
  String pid() {
    Object pid = reference.getProperty(Handler.PID_PROPERTY);
    return pid instanceof String text ? text : null;
  }

  /** Why the last configuration change was rejected, or {@code null}. */
  String configError() {
    Object error = reference.getProperty(Handler.CONFIG_ERROR_PROPERTY);
    return error == null ? null : String.valueOf(error);
  }

  Handler<Object, Object> handler() {
    return handler;
  }

  /** How many times the service properties changed: the handler glue sets them on every reconfiguration. */
  long modifications() {
    return modifications.get();
  }

  void propertiesModified() {
    modifications.incrementAndGet();
  }

  ServiceReference<?> reference() {
    return reference;
  }

  @Override
  public String toString() {
    return "handler '" + name() + "' (" + kind() + ")";
  }
}
