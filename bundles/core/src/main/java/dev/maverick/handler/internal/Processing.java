package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.ItemDroppedException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * How one item is processed through the template methods, and how its end is counted: processed
 * (its result published with its extras and upstream settlement), failed (error hook, the offer
 * caller's failure callback), or dropped for a reason the subclass names
 * ({@link ItemDroppedException}); then its upstream settlement, when it ended without a result
 * (see {@link Upstreams}). Each item is moved out of flight exactly once, before its result becomes
 * visible: whoever sees the result sees the item's books settled.
 *
 * <p>On the worker's path an item may finish off the worker: when the subclass's
 * {@code generateResultsAsync} returns a stage, the worker goes on with the next item and the
 * stage's completion finishes this one, on the thread that completes it, within the bound of the
 * {@link AsyncWindow}. Meanwhile the item stays counted in flight. At close, items whose stages have
 * not completed in time are counted dropped ({@code shutdown}: abandoned, their upstream not
 * settled).
 */
public final class Processing implements WorkerPool.Processor {

  /** An item whose work goes on off the worker, with what finishing it needs. */
  private record OffWorker(Object item, Object prepared, Map<String, ?> extra, Consumer<? super Throwable> onFailure,
      Runnable upstream) {}

  private final Subclass subclass;
  private final Ledger ledger;
  private final ResultOutlet results;
  private final Upstreams upstreams;
  private final Diagnostics diagnostics;
  private final HandlerLifecycle lifecycle;
  /** Null unless the subclass overrides generateResultsAsync: the synchronous path pays nothing. */
  private final AsyncWindow<OffWorker> window;
  /** Whether a worker's results wait for the end of its batch (see {@link ResultBatch}). */
  private final boolean batchesResults;

  /**
   * @param subclass the template methods and hooks
   * @param ledger where direct calls are counted
   * @param results where the workers' results go
   * @param upstreams runs the upstream settlement of an item that ended without a result
   * @param diagnostics where failures are logged
   * @param lifecycle whether the handler is closing (a worker interrupted then abandons its item)
   */
  public Processing(Subclass subclass, Ledger ledger, ResultOutlet results, Upstreams upstreams,
      Diagnostics diagnostics, HandlerLifecycle lifecycle) {
    this.subclass = subclass;
    this.ledger = ledger;
    this.results = results;
    this.upstreams = upstreams;
    this.diagnostics = diagnostics;
    this.lifecycle = lifecycle;
    this.window = subclass.finishesOffWorker() ? new AsyncWindow<>(subclass::maxAsyncInFlight) : null;
    this.batchesResults = window == null && !subclass.observesEachItem();
  }

  /**
   * Processes a queued element (see {@link Envelope}) already counted in flight, on a worker,
   * counting its outcome in {@code tally}. Throws only what no handler can contain; everything
   * else is counted and contained.
   */
  @Override
  public void process(Object queued, Tally tally) {
    if (queued instanceof Envelope) {
      run(Envelope.valueOf(queued), Envelope.extraOf(queued), Envelope.onFailureOf(queued),
          Envelope.upstreamOf(queued), tally, false);
    } else {
      run(queued, Map.of(), null, null, tally, false);
    }
  }

  /**
   * Publishes the results of {@code tally}'s batch that wait in its {@link ResultBatch}, in their
   * order, under one lock of the result queue; a worker calls it when its batch ends, and
   * processing calls it before an item ends otherwise (an error, a drop, no result), so that
   * results and what the subclass hears keep the items' order.
   */
  @Override
  public void endBatch(Tally tally) {
    ResultBatch pending = tally.pendingResults();
    if (pending == null || pending.isEmpty()) {
      return;
    }
    try {
      results.publishAll(pending);
    } finally {
      pending.clear();
    }
  }

  /**
   * Processes an item on the caller's thread ({@code generate}), counted in flight already: a
   * stage of {@code generateResultsAsync} is waited for.
   *
   * @return the result, or null when there is none
   * @throws ItemDroppedException and anything processing threw, after counting it
   */
  public Object direct(Object item, Map<String, ?> extra) {
    return run(item, extra, null, null, ledger, true);
  }

  /**
   * @param direct on the caller's thread: what processing threw is rethrown, the result returned
   *     instead of queued
   */
  private Object run(Object item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, Runnable upstream,
      Tally tally, boolean direct) {
    Object prepared = item;
    Object result;
    try {
      // inside the counted try: a fatal error thrown by the hook still moves the item out of flight
      subclass.fire(Hook.BEFORE_GENERATE, item, extra, null);
      tally.started();
      prepared = subclass.preprocess(item, extra);
      Object generated;
      if (window == null) {
        generated = subclass.generate(prepared, extra);
      } else if (direct) {
        CompletionStage<?> stage = subclass.generateAsync(prepared, extra);
        generated = stage == null ? subclass.generate(prepared, extra) : awaitStage(stage);
      } else if (startedOffWorker(item, prepared, extra, onFailure, upstream, tally)) {
        return null;
      } else {
        generated = subclass.generate(prepared, extra);
      }
      result = subclass.postprocess(prepared, extra, generated);
    } catch (ItemDroppedException dropped) {
      endBatch(tally);
      dropped(dropped, upstream, tally);
      if (direct) {
        throw dropped;
      }
      return null;
    } catch (Throwable error) {
      endBatch(tally);
      failed(item, extra, onFailure, upstream, error, tally);
      if (direct || Diagnostics.isFatal(error)) {
        throw Diagnostics.sneakyThrow(error);
      }
      return null;
    }
    return succeeded(prepared, extra, upstream, result, tally, direct);
  }

  /**
   * Waits for every item under way off the worker until the deadline ({@link System#nanoTime()}),
   * then counts those whose stage has not completed as dropped ({@code shutdown}): abandoned,
   * their upstream unsettled; a stage completing later changes nothing.
   *
   * @return how many were abandoned
   */
  public int finishOffWorker(long deadlineNanos) {
    if (window == null || window.awaitFinished(deadlineNanos)) {
      return 0;
    }
    List<OffWorker> abandoned = window.abandonAll();
    for (int i = 0; i < abandoned.size(); i++) {
      ledger.dropped(DropReason.SHUTDOWN, "its generateResultsAsync stage had not completed at close");
    }
    return abandoned.size();
  }

  /** @return true if the item went off the worker (or was abandoned by the close meanwhile: counted) */
  private boolean startedOffWorker(Object item, Object prepared, Map<String, ?> extra,
      Consumer<? super Throwable> onFailure, Runnable upstream, Tally tally) {
    if (!acquireSlot()) {
      tally.dropped(DropReason.SHUTDOWN, "the handler closed while the item waited for room under maxAsyncInFlight");
      return true;
    }
    CompletionStage<?> stage;
    try {
      stage = subclass.generateAsync(prepared, extra);
    } catch (Throwable error) {
      window.release();
      throw error;
    }
    if (stage == null) {
      window.release();
      return false;
    }
    OffWorker pending = new OffWorker(item, prepared, extra, onFailure, upstream);
    window.started(pending);
    tally.offWorker();
    stage.whenComplete((value, error) -> completed(pending, value, error));
    return true;
  }

  /** Takes a slot in the window; false if the close interrupted the wait (a stray interrupt waits on). */
  private boolean acquireSlot() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          window.acquire();
          return true;
        } catch (InterruptedException e) {
          if (lifecycle.isClosing()) {
            return false;
          }
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A stage completed: finishes its item unless the close abandoned it; on the completing thread. */
  private void completed(OffWorker pending, Object value, Throwable stageError) {
    if (!window.claim(pending)) {
      return;
    }
    try {
      Object result;
      try {
        if (stageError != null) {
          throw unwrap(stageError);
        }
        result = subclass.postprocess(pending.prepared(), pending.extra(), value);
      } catch (ItemDroppedException dropped) {
        dropped(dropped, pending.upstream(), ledger);
        return;
      } catch (Throwable error) {
        failed(pending.item(), pending.extra(), pending.onFailure(), pending.upstream(), error, ledger);
        return; // not our thread to end: a fatal error is counted and logged
      }
      succeeded(pending.prepared(), pending.extra(), pending.upstream(), result, ledger, false);
    } finally {
      window.release();
    }
  }

  private Object succeeded(Object prepared, Map<String, ?> extra, Runnable upstream, Object result, Tally tally,
      boolean direct) {
    tally.processed();
    ResultBatch pending = batchesResults ? tally.pendingResults() : null;
    if (pending != null) {
      if (result != null && !pending.isFull()) {
        // the subclass overrides no after-generate hook (see ResultBatch): nothing to tell it
        pending.add(Envelope.wrap(result, extra, null, upstream));
        return result;
      }
      endBatch(tally);
    }
    if (!direct && result != null) {
      results.publish(result, extra, upstream);
    }
    subclass.fire(Hook.AFTER_GENERATE, prepared, extra, result);
    if (result == null) {
      upstreams.run(upstream);
    }
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

  private static Object awaitStage(CompletionStage<?> stage) throws Throwable {
    try {
      return stage.toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the item's generateResultsAsync stage", e);
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof CancellationException ? new IllegalStateException("the item's stage was cancelled", cause)
        : cause;
  }
}
