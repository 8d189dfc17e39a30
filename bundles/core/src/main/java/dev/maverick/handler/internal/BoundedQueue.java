package dev.maverick.handler.internal;

import dev.maverick.handler.OverflowPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A FIFO queue whose capacity and {@link OverflowPolicy} can change while it holds elements. A
 * lower capacity never discards what is queued: the queue simply accepts nothing new until it has
 * drained below the new limit. Closing it refuses further offers atomically, so that an element is
 * either queued before the close (and drained by its owner) or refused, never lost in between.
 *
 * <p>One lock guards everything, as in {@link java.util.concurrent.ArrayBlockingQueue}. Whoever
 * removes an element names the counter of the element's next place, and the queue counts it
 * there before the lock is released: an observer that reads the queue's size first and that
 * counter afterwards sees the element at least once, never zero times.
 *
 * @param <E> the element type
 */
public final class BoundedQueue<E> {

  /** What became of an offered element. */
  public enum Offer {
    /** Queued. */
    ACCEPTED,
    /** Queued after evicting the oldest element, which went to the eviction sink. */
    ACCEPTED_EVICTING,
    /** Not queued: full under {@code drop_newest}, or {@code block} timed out or was interrupted. */
    REJECTED,
    /** Not queued: full under {@code fail}; the caller throws. */
    REJECTED_FAIL,
    /** Not queued: the queue is closed. */
    CLOSED
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<E> elements = new ArrayDeque<>();
  private final LongAdder evictions;
  private final Runnable evictionNotice;
  private int capacity;
  private OverflowPolicy policy;
  private long offerTimeoutNanos;
  private boolean closed;
  private boolean released;
  private long wakeups;

  /**
   * @param capacity the capacity, 0 = unbounded
   * @param policy what a full queue does
   * @param offerTimeoutNanos how long {@code block} waits; 0 = until room or close
   * @param evictions counts elements evicted by {@code drop_oldest}, under the lock
   * @param evictionNotice runs after each eviction, outside the lock (to log it)
   */
  public BoundedQueue(int capacity, OverflowPolicy policy, long offerTimeoutNanos, LongAdder evictions,
      Runnable evictionNotice) {
    this.capacity = capacity;
    this.policy = policy;
    this.offerTimeoutNanos = offerTimeoutNanos;
    this.evictions = evictions;
    this.evictionNotice = evictionNotice;
  }

  /** Changes capacity and policy in place; queued elements all stay. Wakes blocked producers. */
  public void reconfigure(int newCapacity, OverflowPolicy newPolicy, long newOfferTimeoutNanos) {
    lock.lock();
    try {
      capacity = newCapacity;
      policy = newPolicy;
      offerTimeoutNanos = newOfferTimeoutNanos;
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Offers an element under the current policy, counting it in {@code acceptedInto} (may be null)
   * if it is queued, before anyone can take it. Never throws; {@code fail} is reported as
   * {@link Offer#REJECTED_FAIL}.
   */
  public Offer offer(E element, LongAdder acceptedInto) {
    Offer outcome;
    lock.lock();
    try {
      outcome = offerLocked(element);
      if (outcome == Offer.ACCEPTED_EVICTING) {
        elements.pollFirst();
        evictions.increment();
        elements.addLast(element);
        notEmpty.signal();
      }
      if (acceptedInto != null && (outcome == Offer.ACCEPTED || outcome == Offer.ACCEPTED_EVICTING)) {
        acceptedInto.increment();
      }
    } finally {
      lock.unlock();
    }
    if (outcome == Offer.ACCEPTED_EVICTING) {
      evictionNotice.run();
    }
    return outcome;
  }

  private Offer offerLocked(E element) {
    if (closed) {
      return Offer.CLOSED;
    }
    if (hasRoom()) {
      enqueue(element);
      return Offer.ACCEPTED;
    }
    switch (policy) {
      case DROP_OLDEST:
        return elements.isEmpty() ? Offer.REJECTED : Offer.ACCEPTED_EVICTING;
      case FAIL:
        return Offer.REJECTED_FAIL;
      case BLOCK:
        return awaitRoomAndEnqueue(element);
      case DROP_NEWEST:
      default:
        return Offer.REJECTED;
    }
  }

  private Offer awaitRoomAndEnqueue(E element) {
    long remaining = offerTimeoutNanos;
    boolean unlimited = remaining == 0;
    try {
      while (!closed && !hasRoom()) {
        if (unlimited) {
          notFull.await();
        } else {
          if (remaining <= 0) {
            return Offer.REJECTED;
          }
          remaining = notFull.awaitNanos(remaining);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Offer.REJECTED;
    }
    if (closed) {
      return Offer.CLOSED;
    }
    enqueue(element);
    return Offer.ACCEPTED;
  }

  private boolean hasRoom() {
    return capacity == 0 || elements.size() < capacity;
  }

  private void enqueue(E element) {
    elements.addLast(element);
    notEmpty.signal();
  }

  /**
   * Takes the head, waiting up to {@code timeoutNanos} ({@code Long.MAX_VALUE} = without limit),
   * and counts it in {@code takenInto} (may be null) before anyone can see it gone.
   * Returns null on timeout, when the queue is closed and empty, or after {@link #wakeConsumers()}.
   */
  public E poll(long timeoutNanos, LongAdder takenInto) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long wakeupsAtEntry = wakeups;
      long remaining = timeoutNanos;
      while (elements.isEmpty()) {
        if (closed || released || remaining <= 0 || wakeups != wakeupsAtEntry) {
          return null;
        }
        remaining = timeoutNanos == Long.MAX_VALUE ? awaitUnlimited() : notEmpty.awaitNanos(remaining);
      }
      E head = elements.pollFirst();
      if (takenInto != null) {
        takenInto.increment();
      }
      notFull.signal();
      return head;
    } finally {
      lock.unlock();
    }
  }

  private long awaitUnlimited() throws InterruptedException {
    notEmpty.await();
    return Long.MAX_VALUE;
  }

  /** Takes the head without waiting, or null. */
  public E poll() {
    lock.lock();
    try {
      E head = elements.pollFirst();
      if (head != null) {
        notFull.signal();
      }
      return head;
    } finally {
      lock.unlock();
    }
  }

  /** Makes every consumer waiting in {@link #poll(long)} return null, so it can look at its own flags. */
  public void wakeConsumers() {
    lock.lock();
    try {
      wakeups++;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Refuses further offers and wakes every waiter; queued elements stay and can still be taken. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * From now on consumers never wait: {@link #poll(long)} returns at once when the queue is empty.
   * Offers are still accepted. For a queue whose producers have all ended.
   */
  public void release() {
    lock.lock();
    try {
      released = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Puts elements at the head, in their order, whatever the capacity: for items taken over from a
   * predecessor, which were accepted before anything queued here.
   */
  public void addAllFirst(List<? extends E> first) {
    lock.lock();
    try {
      for (int i = first.size() - 1; i >= 0; i--) {
        elements.addFirst(first.get(i));
      }
      if (!first.isEmpty()) {
        notEmpty.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns everything queued, adding the count to {@code countInto} (may be null) first. */
  public List<E> drain(LongAdder countInto) {
    lock.lock();
    try {
      List<E> all = new ArrayList<>(elements);
      if (countInto != null) {
        countInto.add(all.size());
      }
      elements.clear();
      notFull.signalAll();
      return all;
    } finally {
      lock.unlock();
    }
  }

  /** Elements queued now. */
  public int size() {
    lock.lock();
    try {
      return elements.size();
    } finally {
      lock.unlock();
    }
  }

  /** The capacity, 0 = unbounded. */
  public int capacity() {
    lock.lock();
    try {
      return capacity;
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }
}
