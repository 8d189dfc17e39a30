package dev.maverick.handler.internal;

import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.WaitStrategy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A FIFO queue whose capacity and {@link OverflowPolicy} can change while it holds elements. A
 * lower capacity never discards what is queued: the queue simply accepts nothing new until it has
 * drained below the new limit. Closing it refuses further offers atomically, so that an element is
 * either queued before the close (and drained by its owner) or refused, never lost in between.
 *
 * <p>One lock guards every change, as in {@link java.util.concurrent.ArrayBlockingQueue}. Whoever
 * removes an element names the counter of the element's next place, and the queue counts it
 * there before the lock is released: an observer that reads the queue's size first and that
 * counter afterwards sees the element at least once, never zero times.
 *
 * <p>The size, the limits (capacity and policy) and the closed flag are also published outside
 * the lock, so that {@link #size()}, {@link #capacity()} and {@link #isClosed()} (what
 * {@code stats()} reads) take no lock, and an offer that is bound to be refused
 * ({@code drop_newest} or {@code fail} on a full open queue) is refused without taking it:
 * producers hammering a full queue do not queue up on the lock the consumer needs to empty it.
 * The size is published so that the rule above holds without the lock: an element taken is
 * counted in its next place before the smaller size is published, and an element offered is
 * counted by the caller ({@code acceptedInto}) after the larger size is published.
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
    CLOSED;

    /** Whether the element was queued. */
    public boolean isAccepted() {
      return this == ACCEPTED || this == ACCEPTED_EVICTING;
    }
  }

  private static final VarHandle SIZE;

  static {
    try {
      SIZE = MethodHandles.lookup().findVarHandle(BoundedQueue.class, "size", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Capacity and policy, replaced together, so that a reader outside the lock sees a consistent pair. */
  private record Limits(int capacity, OverflowPolicy policy, long offerTimeoutNanos) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<E> elements = new ArrayDeque<>();
  private final LongAdder evictions;
  private final Consumer<? super E> evicted;
  // written under the lock; volatile (or release-stored) so that readers outside it see them
  private volatile Limits limits;
  private volatile boolean closed;
  @SuppressWarnings("unused") // through SIZE: elements.size(), release-stored after each change
  private int size;
  private boolean released;
  private volatile long wakeups; // written under the lock; read without it by wakeGeneration()
  /** {@code wait_strategy=spin}: watch for an element or for room before waiting on the lock's conditions. */
  private volatile boolean spin;

  /**
   * @param capacity the capacity, 0 = unbounded
   * @param policy what a full queue does
   * @param offerTimeoutNanos how long {@code block} waits; 0 = until room or close
   * @param evictions counts elements evicted by {@code drop_oldest}, under the lock
   * @param evicted told of each evicted element after it is counted, outside the lock (to log it,
   *     and to settle what the element carries)
   */
  public BoundedQueue(int capacity, OverflowPolicy policy, long offerTimeoutNanos, LongAdder evictions,
      Consumer<? super E> evicted) {
    this.limits = new Limits(capacity, policy, offerTimeoutNanos);
    this.evictions = evictions;
    this.evicted = evicted;
  }

  /** Changes capacity and policy in place; queued elements all stay. Wakes blocked producers. */
  public void reconfigure(int newCapacity, OverflowPolicy newPolicy, long newOfferTimeoutNanos) {
    lock.lock();
    try {
      limits = new Limits(newCapacity, newPolicy, newOfferTimeoutNanos);
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How waiting consumers and {@code block} producers wait: {@link WaitStrategy#SPIN} watches the
   * queue without its lock for {@value #SPIN_NANOS} ns, then yields up to {@value #SPIN_YIELDS}
   * times, before waiting on the lock's condition; a peer that makes room or adds an element
   * meanwhile wakes nobody (a condition signals only threads waiting on it).
   */
  public void waitStrategy(WaitStrategy strategy) {
    spin = strategy == WaitStrategy.SPIN;
  }

  /** How long a spinning waiter watches the queue before it yields. */
  static final long SPIN_NANOS = 10_000;
  /** How often a spinning waiter yields before it waits on the condition. */
  static final int SPIN_YIELDS = 8;

  /** Spins (see {@link #waitStrategy}) until an element is queued, the queue closes, or a wake-up since {@code sinceGeneration}. */
  private void spinForElements(long sinceGeneration) {
    spin(false, sinceGeneration);
  }

  /** Spins (see {@link #waitStrategy}) until there is room or the queue closes. */
  private void spinForRoom() {
    spin(true, 0);
  }

  private void spin(boolean forRoom, long sinceGeneration) {
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    int yields = 0;
    while (!closed && (forRoom ? isFullNow() : size() == 0 && wakeups == sinceGeneration)) {
      if (System.nanoTime() - spinUntil < 0) {
        Thread.onSpinWait();
      } else if (yields++ < SPIN_YIELDS) {
        Thread.yield();
      } else {
        return;
      }
    }
  }

  /** Without the lock: whether the queue is at or over its capacity now. */
  private boolean isFullNow() {
    int capacity = limits.capacity();
    return capacity != 0 && size() >= capacity;
  }

  /**
   * Offers an element under the current policy, counting it in {@code acceptedInto} (may be null)
   * if it is queued, before anyone can take it. Never throws; {@code fail} is reported as
   * {@link Offer#REJECTED_FAIL}.
   */
  public Offer offer(E element, LongAdder acceptedInto) {
    Offer outcome = refusedWithoutLock();
    if (outcome != null) {
      return outcome;
    }
    if (spin && limits.policy() == OverflowPolicy.BLOCK) {
      spinForRoom();
    }
    E oldest = null;
    lock.lock();
    try {
      outcome = offerLocked(element);
      if (outcome == Offer.ACCEPTED_EVICTING) {
        oldest = evictOldestFor(element);
      }
      if (acceptedInto != null && outcome.isAccepted()) {
        acceptedInto.increment();
      }
    } finally {
      lock.unlock();
    }
    if (oldest != null) {
      evicted.accept(oldest);
    }
    return outcome;
  }

  /**
   * Offers {@code count} elements of {@code batch} in their order under one lock, each under the
   * current policy as {@link #offer} would (a {@code block} offer waits for room, releasing the
   * lock meanwhile), writing each outcome into {@code outcomes}; the accepted ones are counted in
   * {@code acceptedInto} before the lock is released. Evicted elements go to the eviction sink
   * afterwards, outside the lock.
   */
  public void offerAll(E[] batch, int count, Offer[] outcomes, LongAdder acceptedInto) {
    List<E> evictedNow = null;
    int accepted = 0;
    lock.lock();
    try {
      for (int i = 0; i < count; i++) {
        Offer outcome = offerLocked(batch[i]);
        if (outcome == Offer.ACCEPTED_EVICTING) {
          if (evictedNow == null) {
            evictedNow = new ArrayList<>();
          }
          evictedNow.add(evictOldestFor(batch[i]));
        }
        if (outcome.isAccepted()) {
          accepted++;
        }
        outcomes[i] = outcome;
      }
      acceptedInto.add(accepted);
    } finally {
      lock.unlock();
    }
    if (evictedNow != null) {
      evictedNow.forEach(evicted);
    }
  }

  /**
   * The outcome of an offer that is bound to be refused, decided without the lock, or null: full,
   * open, and a policy that refuses. The size is read after the limits and before the closed flag,
   * and the limits are read again afterwards: they held throughout, and closing is final, so at the
   * instant the size was read the queue was full, open, and under that policy.
   */
  private Offer refusedWithoutLock() {
    Limits now = limits;
    OverflowPolicy policy = now.policy();
    if (now.capacity() == 0 || (policy != OverflowPolicy.DROP_NEWEST && policy != OverflowPolicy.FAIL)
        || (int) SIZE.getAcquire(this) < now.capacity() || closed || limits != now) {
      return null;
    }
    return policy == OverflowPolicy.FAIL ? Offer.REJECTED_FAIL : Offer.REJECTED;
  }

  /** Under the lock, on {@link Offer#ACCEPTED_EVICTING}: the oldest element out, counted evicted, {@code element} in. */
  private E evictOldestFor(E element) {
    E oldest = elements.pollFirst();
    evictions.increment();
    elements.addLast(element);
    notEmpty.signal();
    return oldest;
  }

  private void publishSize() {
    SIZE.setRelease(this, elements.size());
  }

  private Offer offerLocked(E element) {
    if (closed) {
      return Offer.CLOSED;
    }
    if (hasRoom()) {
      enqueue(element);
      return Offer.ACCEPTED;
    }
    switch (limits.policy()) {
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

  /**
   * Offers an element whatever the policy: waits up to {@code timeoutNanos} for room (0: not at
   * all; {@code Long.MAX_VALUE}: without limit), never evicts, and counts it in {@code acceptedInto}
   * (may be null) if it is queued. For a caller that keeps the element when there is no room.
   *
   * @return {@link Offer#ACCEPTED}, {@link Offer#REJECTED} (no room in time, or interrupted: the
   *     interrupt flag is set again), or {@link Offer#CLOSED}
   */
  public Offer offerWaiting(E element, long timeoutNanos, LongAdder acceptedInto) {
    if (closed) {
      return Offer.CLOSED;
    }
    if (spin && timeoutNanos != 0) {
      spinForRoom();
    }
    lock.lock();
    try {
      Offer outcome = awaitRoomAndEnqueue(element, timeoutNanos == Long.MAX_VALUE ? 0 : timeoutNanos,
          timeoutNanos == 0);
      if (acceptedInto != null && outcome == Offer.ACCEPTED) {
        acceptedInto.increment();
      }
      return outcome;
    } finally {
      lock.unlock();
    }
  }

  private Offer awaitRoomAndEnqueue(E element) {
    return awaitRoomAndEnqueue(element, limits.offerTimeoutNanos(), false);
  }

  /** Waits for room up to {@code timeoutNanos} (0 = without limit), or not at all when {@code noWait}. */
  private Offer awaitRoomAndEnqueue(E element, long timeoutNanos, boolean noWait) {
    long remaining = timeoutNanos;
    boolean unlimited = remaining == 0 && !noWait;
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
    int capacity = limits.capacity();
    return capacity == 0 || elements.size() < capacity;
  }

  private void enqueue(E element) {
    elements.addLast(element);
    publishSize(); // before the caller counts it accepted
    notEmpty.signal();
  }

  /**
   * Takes the head, waiting up to {@code timeoutNanos} ({@code Long.MAX_VALUE} = without limit),
   * and counts it in {@code takenInto} (may be null) before anyone can see it gone.
   * Returns null on timeout, when the queue is closed and empty, or after {@link #wakeConsumers()}.
   */
  public E poll(long timeoutNanos, LongAdder takenInto) throws InterruptedException {
    return poll(timeoutNanos, takenInto, wakeGeneration());
  }

  /**
   * As {@link #poll(long, LongAdder)}, but also returns null at once if {@link #wakeConsumers()}
   * was called since {@code sinceGeneration} was read from {@link #wakeGeneration()}: a consumer
   * that reads the generation, then its own flags, then polls, cannot miss a wake-up meant for it.
   */
  public E poll(long timeoutNanos, LongAdder takenInto, long sinceGeneration) throws InterruptedException {
    if (spin && timeoutNanos > 0) {
      spinForElements(sinceGeneration);
    }
    lock.lockInterruptibly();
    try {
      if (!awaitElements(timeoutNanos, sinceGeneration)) {
        return null;
      }
      E head = elements.pollFirst();
      if (takenInto != null) {
        takenInto.increment();
      }
      publishSize(); // after it is counted in its next place
      notFull.signal();
      return head;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the head and up to {@code max - 1} more that are queued already, under one lock, waiting
   * for the first as {@link #poll(long, LongAdder, long)} does; counts them all in
   * {@code takenInto} before anyone can see them gone, and wakes at most as many blocked producers
   * as it made room for. A worker's batch: one lock and one wake-up for up to {@code max} items.
   *
   * @return how many were added to {@code into}; 0 where {@code poll} returns null
   */
  public int pollBatch(List<? super E> into, int max, long timeoutNanos, LongConsumer takenInto, long sinceGeneration)
      throws InterruptedException {
    if (spin && timeoutNanos > 0) {
      spinForElements(sinceGeneration);
    }
    lock.lockInterruptibly();
    try {
      if (!awaitElements(timeoutNanos, sinceGeneration)) {
        return 0;
      }
      int taken = Math.max(1, Math.min(max, elements.size()));
      for (int i = 0; i < taken; i++) {
        into.add(elements.pollFirst());
      }
      takenInto.accept(taken);
      publishSize(); // after they are counted in their next place
      for (int i = 0; i < taken && lock.hasWaiters(notFull); i++) {
        notFull.signal();
      }
      return taken;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: waits until an element is queued; false on timeout, close, release or a wake-up since {@code sinceGeneration}. */
  private boolean awaitElements(long timeoutNanos, long sinceGeneration) throws InterruptedException {
    long remaining = timeoutNanos;
    while (elements.isEmpty()) {
      if (closed || released || remaining <= 0 || wakeups != sinceGeneration) {
        return false;
      }
      remaining = timeoutNanos == Long.MAX_VALUE ? awaitUnlimited() : notEmpty.awaitNanos(remaining);
    }
    return true;
  }

  private long awaitUnlimited() throws InterruptedException {
    notEmpty.await();
    return Long.MAX_VALUE;
  }

  /**
   * Takes up to {@code max} elements without waiting, adding each to {@code into} as
   * {@code mapper} makes it, and counts them in {@code takenInto} (may be null) before anyone can
   * see them gone. One lock and one wake-up of the producers for the whole batch.
   *
   * @return how many were taken
   */
  public <T> int drainTo(java.util.Collection<? super T> into, int max,
      java.util.function.Function<? super E, ? extends T> mapper, LongAdder takenInto) {
    if (max <= 0) {
      return 0;
    }
    lock.lock();
    try {
      int taken = Math.min(max, elements.size());
      if (taken == 0) {
        return 0;
      }
      for (int i = 0; i < taken; i++) {
        into.add(mapper.apply(elements.pollFirst()));
      }
      if (takenInto != null) {
        takenInto.add(taken);
      }
      publishSize(); // after they are counted in their next place
      if (taken == 1) {
        notFull.signal();
      } else {
        notFull.signalAll();
      }
      return taken;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the head without waiting, or null. */
  public E poll() {
    lock.lock();
    try {
      E head = elements.pollFirst();
      if (head != null) {
        publishSize();
        notFull.signal();
      }
      return head;
    } finally {
      lock.unlock();
    }
  }

  /** How many times {@link #wakeConsumers()} has been called: see {@link #poll(long, LongAdder, long)}. */
  public long wakeGeneration() {
    return wakeups;
  }

  /** Makes every consumer waiting in {@link #poll(long, LongAdder)} return null, so it can look at its own flags. */
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
   * From now on consumers never wait: {@link #poll(long, LongAdder)} returns at once when the queue is empty.
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
      publishSize();
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
      publishSize(); // after they are counted in countInto
      notFull.signalAll();
      return all;
    } finally {
      lock.unlock();
    }
  }

  /** Elements queued now. */
  public int size() {
    return (int) SIZE.getAcquire(this);
  }

  /** The capacity, 0 = unbounded. */
  public int capacity() {
    return limits.capacity();
  }

  /** What the queue does when full. */
  public OverflowPolicy policy() {
    return limits.policy();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }
}
