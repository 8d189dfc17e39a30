package dev.maverick.handler.internal;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the worker threads that handlers reserve against one limit, and refuses a reservation
 * that would pass it. Invariant: {@code inUse} is the sum of the threads of the reservations not
 * yet released; a reservation whose holder was garbage-collected without being released is
 * released at the next look at the books, so a handler that is never closed does not keep its
 * threads reserved forever. One lock guards the books; reservations are rare (construction,
 * reconfiguration, close), never per item.
 */
public final class ThreadBudget {
  /** The limit's name in messages; the system property is {@code maverick.} and this. */
  public static final String LIMIT_KEY = "max_total_worker_threads";
  /** The limit when the system property is not set. */
  public static final int DEFAULT_LIMIT = 512;

  private static final Logger LOG = LoggerFactory.getLogger(ThreadBudget.class);
  private static final ThreadBudget INSTANCE = new ThreadBudget(limitFromSystem());

  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final Set<Reservation> reservations = new HashSet<>(); // guarded by this
  private int limit; // guarded by this
  private int inUse; // guarded by this

  /** A budget of its own, for tests; handlers share {@link #instance()}. */
  public ThreadBudget(int limit) {
    this.limit = checkedLimit(limit);
  }

  /** The budget every handler of this core bundle reserves from. */
  public static ThreadBudget instance() {
    return INSTANCE;
  }

  /** What a handler of this configuration reserves: its worker threads, none when threads are disabled. */
  public static int threadsOf(HandlerConfig config) {
    return config.disableThread() ? 0 : config.workerThreads();
  }

  /** The limit. */
  public synchronized int limit() {
    return limit;
  }

  /** Threads reserved now. */
  public synchronized int inUse() {
    reclaimCollected();
    return inUse;
  }

  /** Changes the limit; what is reserved stays, also above it. */
  public synchronized void setLimit(int newLimit) {
    limit = checkedLimit(newLimit);
  }

  /**
   * Reserves the threads of {@code config} for {@code holder}, released by
   * {@link Reservation#release()} or once {@code holder} has been garbage-collected.
   *
   * @throws InvalidConfigurationException if they do not fit; nothing is reserved then
   */
  public synchronized Reservation reserve(Object holder, HandlerConfig config) {
    int threads = threadsOf(config);
    requireRoom(config, threads, 0);
    Reservation reservation = new Reservation(holder, threads);
    reservations.add(reservation);
    inUse += threads;
    return reservation;
  }

  /**
   * Checks, reserving nothing, that {@code next} fits in place of {@code current} (null: a new handler).
   *
   * @throws InvalidConfigurationException if it does not
   */
  public synchronized void check(HandlerConfig next, HandlerConfig current) {
    int own = current == null ? 0 : threadsOf(current);
    requireRoom(next, threadsOf(next) - own, own);
  }

  private void requireRoom(HandlerConfig config, int more, int own) {
    reclaimCollected();
    if (more <= 0 || inUse + more <= limit) {
      return;
    }
    int room = Math.max(0, limit - inUse);
    String than = own == 0 ? "" : " than the " + own + " it has";
    throw new InvalidConfigurationException(HandlerConfig.WORKER_THREADS, config.workerThreads(),
        "at most " + room + " more" + than + ": " + LIMIT_KEY + " = " + limit + ", " + inUse + " in use");
  }

  /** Releases the reservations of holders that were garbage-collected unreleased. Called with the lock held. */
  private void reclaimCollected() {
    for (Reference<?> gone = collected.poll(); gone != null; gone = collected.poll()) {
      Reservation reservation = (Reservation) gone;
      if (reservations.remove(reservation)) {
        inUse -= reservation.threads;
        reservation.threads = 0;
      }
    }
  }

  private static int checkedLimit(int limit) {
    if (limit < 1) {
      throw new InvalidConfigurationException(LIMIT_KEY, limit, "an integer >= 1");
    }
    return limit;
  }

  private static int limitFromSystem() {
    String value = System.getProperty("maverick." + LIMIT_KEY);
    if (value == null || value.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      return checkedLimit(Integer.parseInt(value.trim()));
    } catch (IllegalArgumentException e) {
      LOG.warn("system property maverick.{}={} ignored: an integer >= 1 is allowed; the limit is {}",
          LIMIT_KEY, value, DEFAULT_LIMIT);
      return DEFAULT_LIMIT;
    }
  }

  /** The threads one holder has reserved. */
  public final class Reservation extends PhantomReference<Object> {
    private int threads; // guarded by the budget

    private Reservation(Object holder, int threads) {
      super(holder, collected);
      this.threads = threads;
    }

    /** Threads reserved now. */
    public int threads() {
      synchronized (ThreadBudget.this) {
        return threads;
      }
    }

    /**
     * Changes the reservation to what {@code config} needs; giving threads back always works.
     *
     * @throws InvalidConfigurationException if the threads it adds do not fit; nothing changes then
     */
    public void resize(HandlerConfig config) {
      synchronized (ThreadBudget.this) {
        if (!reservations.contains(this)) {
          throw new IllegalStateException("reservation already released");
        }
        int wanted = threadsOf(config);
        requireRoom(config, wanted - threads, threads);
        inUse += wanted - threads;
        threads = wanted;
      }
    }

    /** Gives every thread back. Idempotent. */
    public void release() {
      synchronized (ThreadBudget.this) {
        if (reservations.remove(this)) {
          inUse -= threads;
          threads = 0;
        }
      }
      clear();
    }
  }
}
