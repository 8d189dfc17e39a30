package dev.maverick.handler.internal;

import dev.maverick.handler.ItemDroppedException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How one item is processed through the template methods, and how its end is counted: processed
 * (its result published with its extras and upstream settlement), failed (error hook, the offer
 * caller's failure callback), or dropped for a reason the subclass names
 * ({@link ItemDroppedException}); then its upstream settlement, when it ended without a result
 * (see {@link Upstreams}). Each item is moved out of flight exactly once, before its result becomes
 * visible: whoever sees the result sees the item's books settled.
 */
public final class Processing {
  private final Subclass subclass;
  private final Ledger ledger;
  private final ResultOutlet results;
  private final Upstreams upstreams;
  private final Diagnostics diagnostics;

  /**
   * @param subclass the template methods and hooks
   * @param ledger where direct calls are counted
   * @param results where the workers' results go
   * @param upstreams runs the upstream settlement of an item that ended without a result
   * @param diagnostics where failures are logged
   */
  public Processing(Subclass subclass, Ledger ledger, ResultOutlet results, Upstreams upstreams,
      Diagnostics diagnostics) {
    this.subclass = subclass;
    this.ledger = ledger;
    this.results = results;
    this.upstreams = upstreams;
    this.diagnostics = diagnostics;
  }

  /**
   * Processes a queued element (see {@link Envelope}) already counted in flight, on a worker,
   * counting its outcome in {@code tally}. Throws only what no handler can contain; everything
   * else is counted and contained.
   */
  public void process(Object queued, Tally tally) {
    if (queued instanceof Envelope) {
      run(Envelope.valueOf(queued), Envelope.extraOf(queued), Envelope.onFailureOf(queued),
          Envelope.upstreamOf(queued), tally);
    } else {
      run(queued, Map.of(), null, null, tally);
    }
  }

  private void run(Object item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, Runnable upstream,
      Tally tally) {
    Object prepared = item;
    Object result;
    try {
      // inside the counted try: a fatal error thrown by the hook still moves the item out of flight
      subclass.fire(Hook.BEFORE_GENERATE, item, extra, null);
      tally.started();
      prepared = subclass.preprocess(item, extra);
      result = subclass.postprocess(prepared, extra, subclass.generate(prepared, extra));
    } catch (ItemDroppedException dropped) {
      dropped(dropped, upstream, tally);
      return;
    } catch (Throwable error) {
      failed(item, extra, onFailure, upstream, error, tally);
      if (Diagnostics.isFatal(error)) {
        throw Diagnostics.sneakyThrow(error);
      }
      return;
    }
    tally.processed();
    if (result != null) {
      results.publish(result, extra, upstream);
    }
    subclass.fire(Hook.AFTER_GENERATE, prepared, extra, result);
    if (result == null) {
      upstreams.run(upstream);
    }
  }

  /**
   * Processes an item on the caller's thread ({@code generate}), counted in flight already.
   *
   * @return the result, or null when there is none
   * @throws ItemDroppedException and anything processing threw, after counting it
   */
  public Object direct(Object item, Map<String, ?> extra) {
    Object prepared = item;
    Object result;
    try {
      subclass.fire(Hook.BEFORE_GENERATE, item, extra, null);
      ledger.started();
      prepared = subclass.preprocess(item, extra);
      result = subclass.postprocess(prepared, extra, subclass.generate(prepared, extra));
    } catch (ItemDroppedException dropped) {
      dropped(dropped, null, ledger);
      throw dropped;
    } catch (Throwable error) {
      failed(item, extra, null, null, error, ledger);
      throw Diagnostics.sneakyThrow(error);
    }
    ledger.processed();
    subclass.fire(Hook.AFTER_GENERATE, prepared, extra, result);
    return result;
  }

  private void failed(Object item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, Runnable upstream,
      Throwable error, Tally tally) {
    tally.failed();
    diagnostics.failed(Diagnostics.LogTopic.ITEM_ERROR, "processing an item failed", error);
    subclass.fire(Hook.ON_ERROR, item, extra, error);
    if (onFailure != null) {
      subclass.fire(Hook.ON_FAILURE, onFailure, error, null);
    }
    upstreams.run(upstream);
  }

  /** Counted as dropped for the subclass's reason; no error hook, no failure callback. */
  private void dropped(ItemDroppedException dropped, Runnable upstream, Tally tally) {
    tally.dropped(dropped.reason(), dropped.detail());
    if (Upstreams.settles(dropped.reason())) {
      upstreams.run(upstream);
    }
  }
}
