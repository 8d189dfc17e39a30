package dev.maverick.handler.wire.internal;

import dev.maverick.handler.wire.WirePolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded buffer of one target of a wire: the wire's reader puts copies in, the target's
 * delivering thread takes them out, in order. When it is full, the wire's {@link WirePolicy}
 * decides: wait for room, refuse the new copy, or evict the oldest.
 *
 * <p>Invariant, as in the core's queues: a copy is counted in its next place before it leaves
 * this one (the counters passed in), and {@link #size()} is updated under the lock, so that a
 * ledger read upstream-first never misses a copy that moves.
 */
final class LaneBuffer {
  /** How often a put waiting for room asks whether it may overflow instead. */
  private static final long OVERFLOW_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final ArrayDeque<Delivery> copies = new ArrayDeque<>();
  private final int capacity;
  private final WirePolicy policy;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private volatile int size;
  /** System.nanoTime() since when a put has waited for room; 0 when none waits. */
  private volatile long blockedSince;

  LaneBuffer(int capacity, WirePolicy policy) {
    this.capacity = capacity;
    this.policy = policy;
  }

  /** Copies held now. */
  int size() {
    return size;
  }

  /** The capacity. */
  int capacity() {
    return capacity;
  }

  /** Since when a put has waited for room (System.nanoTime()), or 0. */
  long blockedSince() {
    return blockedSince;
  }

  /**
   * Puts copies at the tail, in order, as the policy says when the buffer is full. Each copy placed
   * or refused leaves {@code hand} after it is counted: placed in this buffer, refused in
   * {@code refused} ({@code drop_newest}), and an evicted one in {@code evicted} ({@code drop_oldest}).
   *
   * @param force put everything whatever the capacity (the wire is closing: nothing may be lost)
   * @param overflow asked while a put waits for room under {@code block}: true to put the rest
   *     whatever the capacity
   * @return the copies that were refused or evicted, for the caller to mark done outside the lock
   */
  List<Delivery> put(List<Delivery> batch, LongAdder hand, LongAdder refused, LongAdder evicted, boolean force,
      BooleanSupplier overflow) {
    List<Delivery> gone = null;
    lock.lock();
    try {
      int placed = 0;
      for (int i = 0; i < batch.size(); i++) {
        Delivery copy = batch.get(i);
        if (size >= capacity && !force) {
          if (policy == WirePolicy.DROP_NEWEST) {
            refused.increment();
            hand.decrement();
            gone = add(gone, copy);
            continue;
          }
          if (policy == WirePolicy.DROP_OLDEST) {
            Delivery oldest = copies.pollFirst();
            evicted.increment();
            size = size - 1;
            gone = add(gone, oldest);
          } else {
            if (!awaitRoom(hand, placed, overflow)) {
              force = true; // the wire is stopping, or its source closing: keep what is left rather than lose it
            }
            placed = 0; // awaitRoom moved the copies placed so far out of the hand
          }
        }
        copies.addLast(copy);
        size = size + 1;
        placed++;
        notEmpty.signal();
      }
      hand.add(-placed);
    } finally {
      blockedSince = 0;
      lock.unlock();
    }
    return gone == null ? List.of() : gone;
  }

  /**
   * Waits for room under {@code block}; first moves the copies placed so far out of the hand.
   *
   * @param overflow asked while waiting: true to stop waiting and put the rest whatever the capacity
   * @return false when the wait ended without room (interrupted, or {@code overflow} said so)
   */
  private boolean awaitRoom(LongAdder hand, int placed, BooleanSupplier overflow) {
    hand.add(-placed);
    if (blockedSince == 0) {
      blockedSince = System.nanoTime();
    }
    try {
      while (size >= capacity) {
        if (overflow.getAsBoolean()) {
          return false;
        }
        notFull.awaitNanos(OVERFLOW_CHECK_NANOS);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<Delivery> add(List<Delivery> list, Delivery copy) {
    List<Delivery> result = list == null ? new ArrayList<>() : list;
    result.add(copy);
    return result;
  }

  /**
   * Puts copies at the tail whatever the capacity, counting them in {@code arrived} after they are
   * placed: the hand-over from a predecessor, or the dead letter's intake when refusing is not an
   * option.
   */
  void putAll(Collection<Delivery> batch, LongAdder arrived) {
    lock.lock();
    try {
      copies.addAll(batch);
      size = size + batch.size();
      arrived.add(batch.size());
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Puts one copy at the tail if there is room, counting it in {@code arrived} after it is placed.
   *
   * @return false (nothing counted) when the buffer is full
   */
  boolean offer(Delivery copy, LongAdder arrived) {
    lock.lock();
    try {
      if (size >= capacity) {
        return false;
      }
      copies.addLast(copy);
      size = size + 1;
      arrived.increment();
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Puts copies back at the head, in their order (a delivering thread stopping with copies in hand). */
  void putBack(List<Delivery> batch, LongAdder hand) {
    if (batch.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      for (int i = batch.size() - 1; i >= 0; i--) {
        copies.addFirst(batch.get(i));
      }
      size = size + batch.size();
      hand.add(-batch.size());
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves up to {@code max} copies from the head into {@code into}, counted in {@code hand} first,
   * waiting up to {@code timeoutNanos} for one.
   *
   * @return how many were moved; 0 on timeout or interrupt (the interrupt flag is set again)
   */
  int take(List<Delivery> into, int max, long timeoutNanos, LongAdder hand) {
    lock.lock();
    try {
      long left = timeoutNanos;
      while (size == 0) {
        if (left <= 0) {
          return 0;
        }
        left = notEmpty.awaitNanos(left);
      }
      int count = Math.min(max, size);
      hand.add(count);
      for (int i = 0; i < count; i++) {
        into.add(copies.pollFirst());
      }
      size = size - count;
      notFull.signalAll();
      return count;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to {@code timeoutNanos} until the buffer holds a copy, without taking it.
   *
   * @return true if it holds one; false on timeout or interrupt (the interrupt flag is set again)
   */
  boolean awaitCopies(long timeoutNanos) {
    if (size > 0) {
      return true;
    }
    lock.lock();
    try {
      long left = timeoutNanos;
      while (size == 0) {
        if (left <= 0) {
          return false;
        }
        left = notEmpty.awaitNanos(left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Removes everything, counted in {@code into} first (handed over, or dropped). */
  List<Delivery> drain(LongAdder into) {
    lock.lock();
    try {
      List<Delivery> all = new ArrayList<>(copies);
      into.add(all.size());
      copies.clear();
      size = 0;
      notFull.signalAll();
      return all;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes a thread waiting in {@link #take} (it then finds nothing and looks at its flags). */
  void wakeTaker() {
    lock.lock();
    try {
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
