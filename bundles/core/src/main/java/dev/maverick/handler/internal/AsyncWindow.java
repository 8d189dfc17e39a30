package dev.maverick.handler.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * The items of one handler whose work goes on off the worker (a stage of
 * {@code generateResultsAsync}), and the bound on how many may: a worker takes a slot before it
 * starts a stage, waiting while the handler's limit is reached, and the slot is given back once the
 * item has been finished (counted, its result published). Each item is finished exactly once:
 * either by its stage's completion, which claims it, or by the close, which abandons the items whose
 * stages have not completed within {@code shutdown_timeout}; whichever comes first.
 *
 * @param <T> what the window keeps of each item under way
 */
public final class AsyncWindow<T> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final IntSupplier limit;
  private final Set<T> pending = new HashSet<>(); // identity: the items do not override equals
  private int slots; // taken: items being started, under way, or being finished

  /** @param limit the most items under way; read at each start, so that it may change */
  public AsyncWindow(IntSupplier limit) {
    this.limit = limit;
  }

  /**
   * Takes a slot, waiting while the limit is reached.
   *
   * @throws InterruptedException if interrupted while waiting (no slot is taken)
   */
  public void acquire() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (slots >= Math.max(1, limit.getAsInt())) {
        changed.await();
      }
      slots++;
    } finally {
      lock.unlock();
    }
  }

  /** The item of a taken slot is under way: from now on its completion or the close finishes it. */
  public void started(T item) {
    lock.lock();
    try {
      pending.add(item);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Claims an item under way for its completion.
   *
   * @return true if the caller finishes it and then calls {@link #release()}; false if the close
   *     abandoned it already (counted there)
   */
  public boolean claim(T item) {
    lock.lock();
    try {
      return pending.remove(item);
    } finally {
      lock.unlock();
    }
  }

  /** Gives a slot back: its item was finished, or never started. */
  public void release() {
    lock.lock();
    try {
      slots--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Items started and not finished, or slots being taken. */
  public int underWay() {
    lock.lock();
    try {
      return slots;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every item under way has been finished, up to {@code deadlineNanos}
   * ({@link System#nanoTime()}).
   *
   * @return true if none is left
   */
  public boolean awaitFinished(long deadlineNanos) {
    lock.lock();
    try {
      long remaining = deadlineNanos - System.nanoTime();
      while (slots > 0 && remaining > 0) {
        remaining = changed.awaitNanos(remaining);
      }
      return slots == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return slots == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Takes every item still under way away from its completion, giving their slots back. */
  public List<T> abandonAll() {
    lock.lock();
    try {
      List<T> abandoned = new ArrayList<>(pending);
      pending.clear();
      slots -= abandoned.size();
      changed.signalAll();
      return abandoned;
    } finally {
      lock.unlock();
    }
  }
}
