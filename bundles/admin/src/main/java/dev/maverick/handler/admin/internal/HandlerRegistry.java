package dev.maverick.handler.admin.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers and kinds in the service registry, as the admin's front ends see them: found by
 * name, listed in order, watched by listeners (JMX, health checks, history), and awaited by writes
 * that must see a handler apply a change.
 */
final class HandlerRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerRegistry.class);

  private final BundleContext context;
  private final ServiceTracker<Object, HandlerEntry> handlers;
  private final ServiceTracker<HandlerKind, KindEntry> kinds;
  private final List<HandlerListener> listeners = new CopyOnWriteArrayList<>();
  /**
   * The handlers, kept here rather than read from the tracker: the tracker records an entry only
   * after its customizer returns, and waiters woken from the customizer must already see it.
   */
  private final Map<ServiceReference<?>, HandlerEntry> tracked = new ConcurrentHashMap<>();
  /** Bumped on every handler service event; waits watch it instead of sleeping. */
  private final AtomicLong version = new AtomicLong();
  private final Object versionLock = new Object();

  HandlerRegistry(BundleContext context) {
    this.context = context;
    this.kinds = new ServiceTracker<>(context, HandlerKind.class, new KindTracking());
    this.handlers = new ServiceTracker<>(context, Handler.class.getName(), new HandlerTracking());
  }

  /** Starts tracking kinds, then handlers. */
  void open() {
    kinds.open();
    handlers.open();
  }

  void close() {
    handlers.close();
    kinds.close();
  }

  /** Every handler, by name. */
  List<HandlerEntry> handlers() {
    List<HandlerEntry> all = new ArrayList<>(tracked.values());
    all.sort(Comparator.comparing(HandlerEntry::name));
    return all;
  }

  Optional<HandlerEntry> find(String name) {
    return tracked.values().stream().filter(entry -> entry.name().equals(name)).findFirst();
  }

  /** The handler of that name, or a 404 that lists the names there are. */
  HandlerEntry require(String name) {
    return find(name).orElseThrow(() -> AdminException.notFound("no handler named '" + name + "'; handlers: "
        + names(handlers().stream().map(HandlerEntry::name).toList())));
  }

  /** The handler running from a configuration PID. */
  Optional<HandlerEntry> byPid(String pid) {
    return tracked.values().stream().filter(entry -> pid.equals(entry.pid())).findFirst();
  }

  /** The handler now serving the PID: the same entry, or a new one if its component was re-created. */
  Optional<HandlerEntry> current(HandlerEntry entry, String pid) {
    return isTracked(entry) ? Optional.of(entry) : byPid(pid);
  }

  boolean isTracked(HandlerEntry entry) {
    return tracked.containsKey(entry.reference());
  }

  /** Every kind, by name. */
  List<KindEntry> kinds() {
    List<KindEntry> all = new ArrayList<>(kinds.getTracked().values());
    all.sort(Comparator.comparing(KindEntry::name));
    return all;
  }

  Optional<KindEntry> findKind(String kind) {
    return kinds.getTracked().values().stream().filter(entry -> entry.name().equals(kind)).findFirst();
  }

  /** The kind of name {@code kind}, or a 400 that lists the kinds there are. */
  KindEntry requireKind(String kind) {
    if (kind == null || kind.isBlank()) {
      throw AdminException.badRequest("missing 'kind'; kinds: " + kindNames());
    }
    return findKind(kind).orElseThrow(() -> AdminException.badRequest("unknown kind '" + kind + "'; kinds: "
        + kindNames()));
  }

  String kindNames() {
    return names(kinds().stream().map(KindEntry::name).toList());
  }

  /** Registers a listener and tells it of every handler there is already. */
  void addListener(HandlerListener listener) {
    listeners.add(listener);
    tracked.values().forEach(listener::added);
  }

  void removeListener(HandlerListener listener) {
    listeners.remove(listener);
  }

  /** Waits up to {@code timeout} for a condition on the handler services, woken by their events. */
  boolean await(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen = version.get();
      if (condition.getAsBoolean()) {
        return true;
      }
      synchronized (versionLock) {
        while (version.get() == seen) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          try {
            versionLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }
    }
  }

  static String names(List<String> names) {
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }

  private void changed() {
    synchronized (versionLock) {
      version.incrementAndGet();
      versionLock.notifyAll();
    }
  }

  private void tell(Consumer<HandlerListener> event) {
    for (HandlerListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException | LinkageError e) {
        // never let a listener keep a handler from being tracked
        LOG.warn("a handler listener failed: {}", e.toString(), e);
      }
    }
  }

  private final class HandlerTracking implements ServiceTrackerCustomizer<Object, HandlerEntry> {
    @Override
    @SuppressWarnings("unchecked")
    public HandlerEntry addingService(ServiceReference<Object> reference) {
      Object service = context.getService(reference);
      if (!(service instanceof Handler<?, ?>)) {
        if (service != null) {
          context.ungetService(reference);
        }
        return null;
      }
      HandlerEntry entry = new HandlerEntry(reference, (Handler<Object, Object>) service);
      tracked.put(reference, entry);
      tell(listener -> listener.added(entry));
      changed();
      return entry;
    }

    @Override
    public void modifiedService(ServiceReference<Object> reference, HandlerEntry entry) {
      entry.propertiesModified();
      tell(listener -> listener.modified(entry));
      changed();
    }

    @Override
    public void removedService(ServiceReference<Object> reference, HandlerEntry entry) {
      tracked.remove(reference);
      tell(listener -> listener.removed(entry));
      context.ungetService(reference);
      changed();
    }
  }

  private final class KindTracking implements ServiceTrackerCustomizer<HandlerKind, KindEntry> {
    @Override
    public KindEntry addingService(ServiceReference<HandlerKind> reference) {
      HandlerKind kind = context.getService(reference);
      return kind == null ? null : new KindEntry(reference, kind);
    }

    @Override
    public void modifiedService(ServiceReference<HandlerKind> reference, KindEntry entry) {
      // nothing cached
    }

    @Override
    public void removedService(ServiceReference<HandlerKind> reference, KindEntry entry) {
      context.ungetService(reference);
    }
  }
}
