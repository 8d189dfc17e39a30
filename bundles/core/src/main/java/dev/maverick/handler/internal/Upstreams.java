package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;

/**
 * The upstream settlements that {@code offer} callers give with their items, and the one rule of
 * when they run: once, when the item's journey through this handler is over. That is when its
 * result has been settled by whoever read it ({@code getResult}, or a reader's {@code settle()}),
 * or when the item ended without a result (processed to {@code null}, failed, or dropped for any
 * reason but one that abandons it at close). An element abandoned at close ({@code shutdown}, a
 * hand-over nobody took in time, or still queued when the process dies) is never settled, so that
 * a source upstream replays it after a restart. The upstream travels with the element
 * ({@link Envelope}): from the item to its result, and through a hand-over parcel.
 *
 * <p>A result dropped from the result queue (full, or evicted) settles its upstream: its item was
 * processed, and the handler's own policy chose to lose the result; holding the settlement back
 * would not bring the result back after a restart (the same policy decides again), and would stop
 * a Kafka source from committing anything after that record until then.
 */
public final class Upstreams {
  private final Subclass subclass;

  /** @param subclass runs each settlement contained, as a hook */
  public Upstreams(Subclass subclass) {
    this.subclass = subclass;
  }

  /** Whether a drop for {@code reason} ends an element's journey (true) or abandons it at close. */
  public static boolean settles(DropReason reason) {
    return reason != DropReason.SHUTDOWN && reason != DropReason.RESULT_SHUTDOWN
        && reason != DropReason.CALLBACK_SHUTDOWN;
  }

  /** The journey of a queued element ended: runs its upstream, if it has one. */
  public void ended(Object queued) {
    run(Envelope.upstreamOf(queued));
  }

  /** Runs an upstream settlement (null: none), contained: what it throws is logged. */
  public void run(Runnable upstream) {
    if (upstream != null) {
      subclass.fire(Hook.UPSTREAM, upstream, null, null);
    }
  }
}
