package dev.maverick.handler.internal;

import dev.maverick.handler.InvalidItemException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the core's parts ask of the handler subclass: its template methods and hooks. The base
 * class implements it once, privately; the parts never see the subclass itself.
 */
public interface Subclass {

  /**
   * Runs a hook with its arguments (a boolean as the shared {@link Boolean} constants). What it
   * throws is logged and ignored, but what no handler can contain, which is rethrown.
   *
   * @return what {@code statsDetails()} returned; null for the other hooks, and when one threw
   */
  Object fire(Hook hook, Object a, Object b, Object c);

  /** Why an item is invalid here ({@code validateItem}, {@code expected_type}), or null when it is valid. */
  InvalidItemException check(Object item, Map<String, ?> extra);

  /**
   * Processes an item already counted in flight through the template methods, counting its
   * outcome in {@code tally} and, when it is not {@code direct}, queueing its result.
   *
   * @param onFailure told if processing throws (an {@code offer} caller's), or null
   * @param direct on the caller's thread ({@code generate}): a failure is rethrown, the result returned
   * @return the result; null when there is none, or when a threaded item failed
   */
  Object run(Object item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, Tally tally, boolean direct);

  /** The subclass's {@code startUp()}; what it throws propagates. */
  void startUp();
}
