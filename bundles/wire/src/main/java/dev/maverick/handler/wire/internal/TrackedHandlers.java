package dev.maverick.handler.wire.internal;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.Handler;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Follows handlers by {@value Handler#NAME_PROPERTY} in the service registry, one tracker per
 * slot. When the current instance leaves and another of the same name is registered (a
 * successor registered before its predecessor left), the slot moves to it.
 */
final class TrackedHandlers implements HandlerDirectory {
  private final BundleContext context;
  private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

  TrackedHandlers(BundleContext context) {
    this.context = context;
  }

  @Override
  public synchronized void follow(HandlerSlot slot) {
    Filter filter;
    try {
      filter = context.createFilter("(&(objectClass=" + Handler.class.getName() + ")(" + Handler.NAME_PROPERTY + "="
          + ConfigKeys.ldapValue(slot.name()) + "))");
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("bad handler name " + slot.name(), e);
    }
    ServiceTracker<Handler<Object, Object>, Handler<Object, Object>> tracker = new ServiceTracker<>(context, filter, null) {
      @Override
      public Handler<Object, Object> addingService(ServiceReference<Handler<Object, Object>> reference) {
        Handler<Object, Object> handler = super.addingService(reference);
        if (handler != null) {
          slot.arrived(handler);
        }
        return handler;
      }

      @Override
      public void removedService(ServiceReference<Handler<Object, Object>> reference, Handler<Object, Object> handler) {
        slot.departed(handler);
        Handler<Object, Object> other = getService();
        if (other != null && other != handler && slot.current() == null) {
          slot.arrived(other);
        }
        super.removedService(reference, handler);
      }
    };
    trackers.add(tracker);
    tracker.open();
  }

  @Override
  public synchronized void close() {
    trackers.forEach(ServiceTracker::close);
    trackers.clear();
  }
}
