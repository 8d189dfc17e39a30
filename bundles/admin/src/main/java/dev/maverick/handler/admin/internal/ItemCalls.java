package dev.maverick.handler.admin.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerClosedException;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.QueueFullException;
import dev.maverick.handler.ResultsClaimedException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Items through a handler, for every front end: feed, generate and the next result. Items and
 * extras nested deeper than the API can give back are refused before the handler sees them. Waits
 * for a result are bounded per handler and in total ({@code max_result_waits_per_handler},
 * {@code max_result_waits}), so that clients waiting cannot hold every server thread.
 */
final class ItemCalls {
  private final HandlerRegistry registry;
  private final Supplier<AdminSettings> settings;
  /** Requests waiting for a result now, by handler service id; no entry at zero. */
  private final Map<Long, Integer> waiting = new ConcurrentHashMap<>();
  private final AtomicInteger waitingInTotal = new AtomicInteger();

  ItemCalls(HandlerRegistry registry, Supplier<AdminSettings> settings) {
    this.registry = registry;
    this.settings = settings;
  }

  /** The outcome of a feed: accepted, or dropped with the reason the handler recorded. */
  record FeedOutcome(boolean accepted, String reason) {}

  /** Feeds an item. A full queue under the {@code fail} policy is a 503. */
  FeedOutcome feed(String name, Object item, Map<String, ?> extra) {
    Handler<Object, Object> handler = registry.require(name).handler();
    requireShallow(item, extra);
    try {
      if (handler.feed(item, extra)) {
        return new FeedOutcome(true, null);
      }
      return new FeedOutcome(false, handler.stats().lastDrop().orElse("dropped"));
    } catch (QueueFullException e) {
      throw new AdminException(AdminException.UNAVAILABLE, e.getMessage());
    }
  }

  /**
   * Runs an item through the handler on the caller's thread. A bad item is a 400; a failure of the
   * handler a 500 whose message has the handler's secrets masked (a server's answer may quote one).
   */
  Object generate(String name, Object item, Map<String, ?> extra) {
    Handler<Object, Object> handler = registry.require(name).handler();
    requireShallow(item, extra);
    try {
      return handler.generate(item, extra);
    } catch (InvalidItemException e) {
      throw new AdminException(AdminException.BAD_REQUEST, e.getMessage(), Map.of(), e).masked(redaction(handler));
    } catch (HandlerClosedException e) {
      throw new AdminException(AdminException.UNAVAILABLE, e.getMessage(), Map.of(), e).masked(redaction(handler));
    } catch (ClassCastException e) {
      throw new AdminException(AdminException.BAD_REQUEST,
          "handler '" + name + "' cannot take an item of type " + typeOf(item) + ": " + e.getMessage(), Map.of(), e);
    } catch (RuntimeException e) {
      throw AdminException.handlerFailed("handler '" + name + "' failed to generate: " + e, e)
          .masked(redaction(handler));
    }
  }

  private Redaction redaction(Handler<?, ?> handler) {
    return Redaction.of(handler, settings.get().adminToken());
  }

  /**
   * Takes the next result, waiting up to {@code timeout} (at most {@code max_result_timeout}).
   *
   * @return empty on timeout
   * @throws AdminException 429 when as many requests wait already as the limits allow
   */
  Optional<Object> result(String name, Duration timeout) {
    HandlerEntry entry = registry.require(name);
    AdminSettings limits = settings.get();
    Duration max = limits.maxResultTimeout();
    if (timeout.isNegative() || timeout.compareTo(max) > 0) {
      throw AdminException.badRequest("invalid timeout " + seconds(timeout) + "; allowed: a number of seconds from 0 to "
          + seconds(max) + " (max_result_timeout)");
    }
    if (timeout.isZero()) {
      return take(entry, name, timeout);
    }
    long id = entry.id();
    try {
      if (waiting.merge(id, 1, Integer::sum) > limits.maxResultWaitsPerHandler()) {
        throw new AdminException(AdminException.TOO_MANY_REQUESTS, limits.maxResultWaitsPerHandler() + " requests wait "
            + "for a result of handler '" + name + "' already (max_result_waits_per_handler="
            + limits.maxResultWaitsPerHandler() + "); try again later, or ask with timeout=0");
      }
      if (waitingInTotal.incrementAndGet() > limits.maxResultWaits()) {
        waitingInTotal.decrementAndGet();
        throw new AdminException(AdminException.TOO_MANY_REQUESTS, limits.maxResultWaits() + " requests wait for "
            + "results already (max_result_waits=" + limits.maxResultWaits() + "); try again later, or ask with timeout=0");
      }
      try {
        return take(entry, name, timeout);
      } finally {
        waitingInTotal.decrementAndGet();
      }
    } finally {
      waiting.computeIfPresent(id, (key, count) -> count == 1 ? null : count - 1);
    }
  }

  private static Optional<Object> take(HandlerEntry entry, String name, Duration timeout) {
    try {
      return entry.handler().getResult(timeout);
    } catch (ResultsClaimedException e) {
      throw new AdminException(AdminException.CONFLICT, e.getMessage() + "; handler '" + name
          + "' has one reader, so its results cannot be taken here");
    }
  }

  /** How many requests wait for a result of this handler now. */
  int waitingFor(HandlerEntry entry) {
    return waiting.getOrDefault(entry.id(), 0);
  }

  /** Whether a result is waiting now, without taking it (HEAD on a result). */
  boolean hasResult(String name) {
    return registry.require(name).handler().stats().resultQueueSize() > 0;
  }

  private static void requireShallow(Object item, Map<String, ?> extra) {
    int itemDepth = JsonCodec.depth(item, JsonCodec.MAX_DEPTH + 1);
    if (itemDepth > JsonCodec.MAX_DEPTH) {
      throw AdminException.badRequest("the item nests values more than " + JsonCodec.MAX_DEPTH + " levels deep; "
          + "allowed: at most " + JsonCodec.MAX_DEPTH + " levels, so that its result can be given back");
    }
    if (JsonCodec.depth(extra, JsonCodec.MAX_DEPTH + 1) > JsonCodec.MAX_DEPTH) {
      throw AdminException.badRequest("'extra' nests values more than " + JsonCodec.MAX_DEPTH + " levels deep; "
          + "allowed: at most " + JsonCodec.MAX_DEPTH + " levels");
    }
  }

  static String seconds(Duration duration) {
    return String.valueOf(duration.toMillis() / 1000.0);
  }

  private static String typeOf(Object item) {
    return item == null ? "null" : item.getClass().getName();
  }
}
