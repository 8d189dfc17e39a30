package dev.maverick.handler.itest;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The handlers that must not notice when another bundle is stopped, updated or uninstalled: it
 * records each one's service (by {@code service.id}) and counters, and checks later that the same
 * service is still registered, its handler still open, and its counters unchanged.
 */
public final class Bystanders {
  /** What is compared: the seed's counters and the item ledger. */
  private record Counters(long fed, long generated, long processed, long errors, long networkErrors, long dropped) {
    static Counters of(HandlerStats stats) {
      return new Counters(stats.fedCount(), stats.generateCount(), stats.processedCount(), stats.errorCount(),
          stats.networkErrorCount(), stats.droppedCount());
    }
  }

  private record Watched(Object serviceId, Handler<?, ?> handler, Counters counters) {}

  private final BundleContext context;
  private final Map<String, Watched> watched = new LinkedHashMap<>();

  private Bystanders(BundleContext context) {
    this.context = context;
  }

  /**
   * Records the handlers matching each filter (one service each), waiting for them to be
   * registered and quiescent.
   *
   * @param filters LDAP filters on the Handler service, e.g. {@code (handler.name=upper)}
   */
  public static Bystanders watch(BundleContext context, List<String> filters) {
    Bystanders bystanders = new Bystanders(context);
    for (String filter : filters) {
      Handler<?, ?> handler = Await.service(context, Handler.class, filter);
      Await.until("nothing in flight in " + filter, () -> handler.stats().inFlight() == 0
          && handler.stats().inputQueueSize() == 0);
      bystanders.watched.put(filter, new Watched(bystanders.reference(filter).getProperty(Constants.SERVICE_ID), handler,
          Counters.of(handler.stats())));
    }
    return bystanders;
  }

  /**
   * Waits until the handler is quiescent (nothing in flight) and the accounting law holds, and
   * returns that snapshot.
   */
  public static HandlerStats balanced(Handler<?, ?> handler) {
    Await.until("a balanced, quiescent handler", () -> handler.stats().inFlight() == 0 && handler.stats().isBalanced());
    return handler.stats();
  }

  /** Fails unless every watched handler is the same, open service with the same counters. */
  public void assertUndisturbed(String when) {
    watched.forEach((filter, seen) -> {
      ServiceReference<?> now = reference(filter);
      if (now == null || !seen.serviceId().equals(now.getProperty(Constants.SERVICE_ID))) {
        throw new AssertionError(when + ": the service " + filter + " was re-registered or removed (was service.id "
            + seen.serviceId() + ", now " + (now == null ? "none" : now.getProperty(Constants.SERVICE_ID)) + ")");
      }
      HandlerState state = seen.handler().state();
      if (state == HandlerState.CLOSING || state == HandlerState.CLOSED) {
        throw new AssertionError(when + ": the handler " + filter + " was closed");
      }
      Counters counters = Counters.of(seen.handler().stats());
      if (!counters.equals(seen.counters())) {
        throw new AssertionError(when + ": the counters of " + filter + " changed from " + seen.counters() + " to " + counters);
      }
    });
  }

  private ServiceReference<?> reference(String filter) {
    ServiceReference<?>[] references = Osgi.references(context, Handler.class, filter);
    if (references != null && references.length > 1) {
      throw new AssertionError("more than one handler matches " + filter);
    }
    return references == null ? null : references[0];
  }
}
