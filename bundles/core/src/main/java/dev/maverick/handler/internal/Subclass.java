package dev.maverick.handler.internal;

import dev.maverick.handler.InvalidItemException;
import java.util.Map;
import java.util.concurrent.CompletionStage;

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

  /** {@code preprocessItem}; what it throws propagates. */
  Object preprocess(Object item, Map<String, ?> extra);

  /** {@code generateResults}; what it throws propagates. */
  Object generate(Object item, Map<String, ?> extra);

  /** {@code generateResultsAsync}: the stage that finishes the item, or null for {@link #generate}. */
  CompletionStage<?> generateAsync(Object item, Map<String, ?> extra);

  /** {@code postprocessResult}; what it throws propagates. */
  Object postprocess(Object item, Map<String, ?> extra, Object result);

  /** Whether the subclass overrides {@code generateResultsAsync}: items may finish off the worker. */
  boolean finishesOffWorker();

  /**
   * Whether the subclass watches each item's processing ({@code hookBeforeGenerate},
   * {@code hookAfterGenerate} or {@code hookOnError} overridden): then each result is queued before
   * the next item begins, as the hooks' contract says, and a worker does not publish its batch's
   * results together (see {@link ResultBatch}).
   */
  default boolean observesEachItem() {
    return true;
  }

  /** {@code maxAsyncInFlight}: the most items finishing off the worker at once. */
  int maxAsyncInFlight();

  /** The subclass's {@code startUp()}; what it throws propagates. */
  void startUp();
}
