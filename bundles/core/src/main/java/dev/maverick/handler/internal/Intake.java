package dev.maverick.handler.internal;

import dev.maverick.handler.Admission;
import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerClosedException;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.QueueFullException;
import dev.maverick.handler.internal.BoundedQueue.Offer;
import dev.maverick.handler.internal.Ledger.Stamp;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ways an item enters a handler: {@code feed} (queued under the input queue's policy, dropped
 * and counted when it does not fit), {@code offer} (queued when there is room in time, else left
 * with the caller and counted nowhere) and {@code generate} (processed on the caller's thread).
 * Each checks the item first and runs the feed hooks; the hot path allocates nothing for an item
 * without extras.
 */
public final class Intake {
  private final Lane<Object> input;
  private final Ledger ledger;
  private final HandlerLifecycle lifecycle;
  private final Diagnostics diagnostics;
  private final Subclass subclass;
  private final Runnable startOnFirstFeed;

  /**
   * @param input the input queue
   * @param ledger where items are counted
   * @param lifecycle whether the workers start by themselves, and whether the handler is closing
   * @param diagnostics the handler's name, for errors
   * @param subclass the template methods and hooks
   * @param startOnFirstFeed starts the workers when they are due to start by themselves
   */
  public Intake(Lane<Object> input, Ledger ledger, HandlerLifecycle lifecycle, Diagnostics diagnostics,
      Subclass subclass, Runnable startOnFirstFeed) {
    this.input = input;
    this.ledger = ledger;
    this.lifecycle = lifecycle;
    this.diagnostics = diagnostics;
    this.subclass = subclass;
    this.startOnFirstFeed = startOnFirstFeed;
  }

  /**
   * Queues an item under the input queue's policy; counts it accepted, or dropped with its reason.
   *
   * @return true if queued
   * @throws QueueFullException when full under {@code fail} (counted first)
   */
  public boolean feed(Object item, Map<String, ?> extra) {
    Map<String, ?> frozen = Envelope.freeze(extra);
    subclass.fire(Hook.BEFORE_FEED, item, frozen, null);
    InvalidItemException invalid = subclass.check(item, frozen);
    if (invalid != null) {
      input.refuse(DropReason.INVALID, invalid.getMessage());
      subclass.fire(Hook.AFTER_FEED, item, frozen, Boolean.FALSE);
      return false;
    }
    startIfDue();
    boolean queued;
    try {
      queued = input.offer(Envelope.wrap(item, frozen, null), true);
    } catch (QueueFullException full) {
      subclass.fire(Hook.AFTER_FEED, item, frozen, Boolean.FALSE);
      throw full;
    }
    if (queued) {
      ledger.stamp(Stamp.FEED);
    }
    subclass.fire(Hook.AFTER_FEED, item, frozen, queued); // a fatal error here leaves the item counted accepted
    return queued;
  }

  /** Queues an item if there is room within {@code timeoutNanos}; counts it only if it is queued. */
  public Admission offer(Object item, Map<String, ?> extra, long timeoutNanos, Consumer<? super Throwable> onFailure) {
    Map<String, ?> frozen = Envelope.freeze(extra);
    subclass.fire(Hook.BEFORE_FEED, item, frozen, null);
    InvalidItemException invalid = subclass.check(item, frozen);
    if (invalid != null) {
      subclass.fire(Hook.AFTER_FEED, item, frozen, Boolean.FALSE);
      return Admission.invalid(invalid.getMessage());
    }
    startIfDue();
    Offer outcome = input.offerWaiting(Envelope.wrap(item, frozen, onFailure), timeoutNanos);
    boolean accepted = outcome == Offer.ACCEPTED;
    if (accepted) {
      ledger.stamp(Stamp.FEED);
    }
    subclass.fire(Hook.AFTER_FEED, item, frozen, accepted);
    return accepted ? Admission.ACCEPTED : outcome == Offer.CLOSED ? Admission.CLOSED : Admission.FULL;
  }

  /**
   * Processes an item on the caller's thread.
   *
   * @throws InvalidItemException if the item is invalid (counted dropped)
   * @throws HandlerClosedException once the handler is closing (counted dropped)
   */
  public Object generate(Object item, Map<String, ?> extra) {
    Map<String, ?> frozen = Envelope.freeze(extra);
    InvalidItemException invalid = subclass.check(item, frozen);
    if (invalid != null) {
      ledger.generateRefused(DropReason.INVALID, invalid.getMessage());
      throw invalid;
    }
    if (lifecycle.isClosing()) {
      ledger.generateRefused(DropReason.CLOSED, null);
      throw new HandlerClosedException(diagnostics.name(), "generate");
    }
    ledger.generating();
    return subclass.run(item, frozen, null, ledger, true);
  }

  /** What the workers do with a queued element (already counted in flight). */
  public void process(Object queued, Tally tally) {
    if (queued instanceof Envelope) {
      subclass.run(Envelope.valueOf(queued), Envelope.extraOf(queued), Envelope.onFailureOf(queued), tally, false);
    } else {
      subclass.run(queued, Map.of(), null, tally, false);
    }
  }

  private void startIfDue() {
    if (lifecycle.autoStart()) {
      startOnFirstFeed.run();
    }
  }
}
