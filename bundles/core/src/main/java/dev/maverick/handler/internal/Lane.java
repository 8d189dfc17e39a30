package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.QueueFullException;
import dev.maverick.handler.internal.BoundedQueue.Offer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * One of a handler's three queues with its books: what it accepted, what it refused and why. It
 * is the one offer path of its queue: every outcome of an offer is counted here, the drop before
 * the refusal (see {@link Ledger}), so that nothing offered is ever uncounted, whatever the caller
 * does next. Consumers take from {@link #queue()}, naming the counter of the element's next place.
 *
 * @param <E> what the queue holds
 */
public final class Lane<E> {

  /** The three queues of a handler: their names, policy keys and drop reasons. */
  public enum Kind {
    /** Items fed, waiting for a worker. */
    INPUT("input", "overflow_policy", DropReason.QUEUE_FULL, DropReason.EVICTED, DropReason.CLOSED),
    /** Results, waiting for getResult or the reader; a result made after close still fits if it can. */
    RESULT("result", "result_overflow_policy", DropReason.RESULT_QUEUE_FULL, DropReason.RESULT_EVICTED,
        DropReason.RESULT_QUEUE_FULL),
    /** Callback tasks, waiting for the callback thread. */
    CALLBACK("callback", "callback_overflow_policy", DropReason.CALLBACK_QUEUE_FULL, DropReason.CALLBACK_EVICTED,
        DropReason.CALLBACK_CLOSED);

    private final String queueName;
    private final String policyKey;
    private final DropReason full;
    private final DropReason evicted;
    private final DropReason closed;

    Kind(String queueName, String policyKey, DropReason full, DropReason evicted, DropReason closed) {
      this.queueName = queueName;
      this.policyKey = policyKey;
      this.full = full;
      this.evicted = evicted;
      this.closed = closed;
    }
  }

  private final Kind kind;
  private final BoundedQueue<E> queue;
  private final Ledger ledger;
  private final Diagnostics diagnostics;
  private final Upstreams upstreams;
  private final LongAdder accepted;
  private final LongAdder refused;

  /**
   * @param kind which of the handler's queues
   * @param capacity its capacity, 0 = unbounded
   * @param policy what it does when full
   * @param offerTimeoutNanos how long {@code block} waits; 0 = until room or close
   * @param ledger where it counts
   * @param diagnostics where its drops are logged, and how they are described
   */
  public Lane(Kind kind, int capacity, OverflowPolicy policy, long offerTimeoutNanos, Ledger ledger,
      Diagnostics diagnostics) {
    this(kind, capacity, policy, offerTimeoutNanos, ledger, diagnostics, null);
  }

  /**
   * A lane whose elements may carry an upstream settlement ({@link Envelope}): an element dropped
   * from it for a reason that ends its journey (evicted, cleared; not abandoned at close) settles
   * its upstream once it is counted.
   *
   * @param upstreams runs the settlements; null for a lane whose elements carry none
   */
  public Lane(Kind kind, int capacity, OverflowPolicy policy, long offerTimeoutNanos, Ledger ledger,
      Diagnostics diagnostics, Upstreams upstreams) {
    this.kind = kind;
    this.ledger = ledger;
    this.diagnostics = diagnostics;
    this.upstreams = upstreams;
    this.accepted = switch (kind) {
      case INPUT -> ledger.accepted;
      case RESULT -> ledger.resultsQueued;
      case CALLBACK -> ledger.callbacksQueued;
    };
    this.refused = switch (kind) {
      case INPUT -> ledger.feedRejected;
      case RESULT -> ledger.resultsRejected;
      case CALLBACK -> ledger.callbacksRefused;
    };
    this.queue = new BoundedQueue<>(capacity, policy, offerTimeoutNanos, ledger.drops(kind.evicted), evicted -> {
      ledger.noteDrop(kind.evicted, null);
      if (upstreams != null) {
        upstreams.ended(evicted);
      }
    });
    diagnostics.describeFullQueue(kind.full, () -> kind.queueName + " queue full (capacity " + queue.capacity()
        + ", " + kind.policyKey + "=" + queue.policy() + ")");
  }

  /**
   * Offers an element under the queue's policy and counts the outcome: accepted, or dropped for
   * its reason and refused.
   *
   * @param failThrows whether a refusal under {@code fail} throws (after it is counted)
   * @return true if the element was queued
   * @throws QueueFullException when full under {@code fail}, if {@code failThrows}
   */
  public boolean offer(E element, boolean failThrows) {
    Offer outcome = queue.offer(element, accepted);
    switch (outcome) {
      case ACCEPTED:
      case ACCEPTED_EVICTING:
        return true;
      case CLOSED:
        refuse(kind.closed, null);
        return false;
      default:
        refuse(kind.full, null);
        if (outcome == Offer.REJECTED_FAIL && failThrows) {
          throw new QueueFullException(diagnostics.name(), kind.queueName, queue.capacity());
        }
        return false;
    }
  }

  /**
   * Offers {@code count} elements of {@code batch} in order under one lock of the queue (see
   * {@link BoundedQueue#offerAll}), counting each outcome as {@link #offer} does; a refusal under
   * {@code fail} is counted, never thrown. Each outcome is left in {@code outcomes}.
   */
  public void offerAll(E[] batch, int count, Offer[] outcomes) {
    queue.offerAll(batch, count, outcomes, accepted);
    for (int i = 0; i < count; i++) {
      Offer outcome = outcomes[i];
      if (outcome == Offer.CLOSED) {
        refuse(kind.closed, null);
      } else if (!outcome.isAccepted()) {
        refuse(kind.full, null);
      }
    }
  }

  /**
   * Offers an element for a caller that keeps it when there is no room: waits up to
   * {@code timeoutNanos} whatever the policy, never evicts, and counts only an acceptance.
   */
  public Offer offerWaiting(E element, long timeoutNanos) {
    return queue.offerWaiting(element, timeoutNanos, accepted);
  }

  /** Counts a refusal decided before the queue (an invalid item): the drop, then the refusal. */
  public void refuse(DropReason reason, String detail) {
    ledger.drop(reason, detail);
    refused.increment();
  }

  /**
   * Empties the queue, counting every element dropped for {@code reason} before it leaves (a
   * close, {@code clearFeed}), and remembers them as the last drop; then settles their upstreams,
   * unless the reason abandons them ({@link Upstreams#settles}). Logged by the caller, once.
   *
   * @return how many were dropped
   */
  public int dropAll(DropReason reason) {
    List<E> dropped = queue.drain(ledger.drops(reason));
    ledger.noteDropped(reason, dropped.size());
    if (upstreams != null && Upstreams.settles(reason)) {
      dropped.forEach(upstreams::ended);
    }
    return dropped.size();
  }

  /** Changes capacity, policy and {@code offer_timeout} in place; nothing queued is lost. */
  public void reconfigure(int capacity, OverflowPolicy policy, long offerTimeoutNanos) {
    queue.reconfigure(capacity, policy, offerTimeoutNanos);
  }

  /** The queue, for its consumers and for what the handler does to it as a whole. */
  public BoundedQueue<E> queue() {
    return queue;
  }
}
