package dev.maverick.handler.admin.internal;

import dev.maverick.handler.wire.Wire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Wire} services in the registry, as the admin's front ends see them: found by name,
 * listed in order, watched by listeners (JMX, health checks), and awaited by writes that must see
 * a wire apply a change.
 */
final class WireRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(WireRegistry.class);

  /** Told when a wire service comes, changes its properties or goes. */
  interface Listener {
    void added(WireEntry entry);

    void removed(WireEntry entry);
  }

  private final BundleContext context;
  private final ServiceTracker<Wire, WireEntry> tracker;
  /** Kept here rather than read from the tracker, which records an entry only after its customizer returns. */
  private final Map<ServiceReference<Wire>, WireEntry> tracked = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ChangeSignal signal = new ChangeSignal();

  WireRegistry(BundleContext context) {
    this.context = context;
    this.tracker = new ServiceTracker<>(context, Wire.class, new Tracking());
  }

  void open() {
    tracker.open();
  }

  void close() {
    tracker.close();
  }

  /** Every wire, by name; of a wire being replaced (two instances for a moment), the newer one. */
  List<WireEntry> wires() {
    Map<String, WireEntry> newest = new TreeMap<>();
    tracked.values().forEach(entry -> newest.merge(entry.name(), entry, (a, b) -> a.id() > b.id() ? a : b));
    return new ArrayList<>(newest.values());
  }

  /** The newest wire of that name. */
  Optional<WireEntry> find(String name) {
    return tracked.values().stream().filter(entry -> entry.name().equals(name)).max(Comparator.comparing(WireEntry::id));
  }

  /** The wire of that name, or a 404 that lists the wires there are. */
  WireEntry require(String name) {
    return find(name).orElseThrow(() -> AdminException.notFound("no wire named '" + name + "'; wires: "
        + HandlerRegistry.names(wires().stream().map(WireEntry::name).toList())));
  }

  /** The newest wire running from a configuration PID. */
  Optional<WireEntry> byPid(String pid) {
    return tracked.values().stream().filter(entry -> pid.equals(entry.wire().pid()))
        .max(Comparator.comparing(WireEntry::id));
  }

  /** Registers a listener and tells it of every wire there is already. */
  void addListener(Listener listener) {
    listeners.add(listener);
    tracked.values().forEach(listener::added);
  }

  void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  /** Waits up to {@code timeout} for a condition on the wire services, woken by their events. */
  boolean await(BooleanSupplier condition, Duration timeout) {
    return signal.await(condition, timeout);
  }

  private void tell(Consumer<Listener> event) {
    for (Listener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("a wire listener failed: {}", e.toString(), e);
      }
    }
  }

  private final class Tracking implements ServiceTrackerCustomizer<Wire, WireEntry> {
    @Override
    public WireEntry addingService(ServiceReference<Wire> reference) {
      Wire wire = context.getService(reference);
      if (wire == null) {
        return null;
      }
      WireEntry entry = new WireEntry(reference, wire);
      tracked.put(reference, entry);
      tell(listener -> listener.added(entry));
      signal.changed();
      return entry;
    }

    @Override
    public void modifiedService(ServiceReference<Wire> reference, WireEntry entry) {
      // a wire's name is read from the service itself; the listeners re-register under a new name
      tell(listener -> listener.removed(entry));
      tell(listener -> listener.added(entry));
      signal.changed();
    }

    @Override
    public void removedService(ServiceReference<Wire> reference, WireEntry entry) {
      tracked.remove(reference);
      tell(listener -> listener.removed(entry));
      context.ungetService(reference);
      signal.changed();
    }
  }
}
