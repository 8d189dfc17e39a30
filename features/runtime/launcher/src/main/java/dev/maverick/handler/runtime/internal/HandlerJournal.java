package dev.maverick.handler.runtime.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerStats;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the handler services and, when the framework stops, reports how each handler ended: its
 * state (CLOSED once its component's {@code close()} drained it) and its final counters.
 *
 * <p>A handler's component unregisters the service and then closes the handler; the report is
 * written when the runtime bundle stops, after every handler bundle, so the closes have finished.
 */
final class HandlerJournal extends ServiceTracker<Handler<?, ?>, Handler<?, ?>> {
  private final List<Gone> goneAtShutdown = new ArrayList<>();

  @SuppressWarnings({"unchecked", "rawtypes"})
  HandlerJournal(BundleContext context) {
    super(context, (Class) Handler.class, null);
  }

  @Override
  public void removedService(ServiceReference<Handler<?, ?>> reference, Handler<?, ?> handler) {
    String kind = String.valueOf(reference.getProperty(Handler.KIND_PROPERTY));
    if (context.getBundle(0).getState() == Bundle.STOPPING) {
      synchronized (goneAtShutdown) {
        goneAtShutdown.add(new Gone(handler, kind));
      }
    } else {
      log().info("handler '{}' ({}) unregistered", handler.name(), kind);
    }
    super.removedService(reference, handler);
  }

  @Override
  public void close() {
    super.close();
    List<Gone> gone;
    synchronized (goneAtShutdown) {
      gone = List.copyOf(goneAtShutdown);
      goneAtShutdown.clear();
    }
    for (Gone handler : gone) {
      HandlerStats stats = handler.handler().stats();
      log().info("handler '{}' ({}) closed: state={}, fed={}, processed={}, errors={}, dropped={}, balanced={}",
          handler.handler().name(), handler.kind(), handler.handler().state(), stats.fedCount(),
          stats.processedCount(), stats.errorCount(), stats.droppedCount(), stats.isBalanced());
    }
    if (!gone.isEmpty()) {
      log().info("runtime stopped: {} handler(s) closed", gone.size());
    }
  }

  // looked up on use: this class is loaded before the logging backend starts
  private static Logger log() {
    return LoggerFactory.getLogger(HandlerJournal.class);
  }

  private record Gone(Handler<?, ?> handler, String kind) {}
}
