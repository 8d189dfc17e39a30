package dev.maverick.handler.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds what a closing handler leaves for its successor (queued items, untaken results) under a
 * key, usually its configuration PID, until a new instance claims it or a deadline passes.
 *
 * <p>It lives in the core bundle, which stays installed while handler bundles are updated, so a
 * parcel outlives the bundle revision that parked it. A parcel that nobody claims in time is
 * handed back to its owner's {@link Parcel#expired} callback, which counts it as dropped. The
 * reaper thread exists only while parcels wait.
 */
public final class HandoverStore {
  private static final Logger LOG = LoggerFactory.getLogger(HandoverStore.class);
  private static final HandoverStore INSTANCE = new HandoverStore();

  private final Map<String, Parcel> parcels = new ConcurrentHashMap<>();
  private final Object reaperLock = new Object();
  private Thread reaper;

  private HandoverStore() {}

  /** The store of this core bundle. */
  public static HandoverStore instance() {
    return INSTANCE;
  }

  /**
   * What one handler left behind.
   *
   * @param owner who parked it, for log lines: {@code handler 'stt'}, {@code wire 'voice'}
   * @param items queued items, in order (the handler's own envelope objects)
   * @param results untaken results, in order
   * @param deadlineNanos when the parcel expires, on the {@link System#nanoTime()} clock
   * @param expired counts the parcel as dropped in its owner when nobody claims it in time
   */
  public record Parcel(String owner, List<Object> items, List<Object> results, long deadlineNanos, Runnable expired) {}

  /** Parks a parcel; an older unclaimed parcel under the same key expires at once. */
  public void park(String key, Parcel parcel) {
    Parcel previous = parcels.put(key, parcel);
    if (previous != null) {
      expire(key, previous);
    }
    LOG.info("{} handed over {} queued item(s) and {} result(s) under {}; waiting up to {} for a successor",
        parcel.owner(), parcel.items().size(), parcel.results().size(), key,
        Duration.ofNanos(Math.max(0, parcel.deadlineNanos() - System.nanoTime())));
    ensureReaper();
  }

  /** Takes the parcel parked under {@code key}, or null. */
  public Parcel claim(String key) {
    return parcels.remove(key);
  }

  private void expire(String key, Parcel parcel) {
    LOG.warn("nobody took over from {} ({}): {} queued item(s) and {} result(s) dropped (reason shutdown)",
        parcel.owner(), key, parcel.items().size(), parcel.results().size());
    try {
      parcel.expired().run();
    } catch (RuntimeException e) {
      LOG.error("counting the expired parcel of {} failed", parcel.owner(), e);
    }
  }

  private void ensureReaper() {
    synchronized (reaperLock) {
      if (reaper == null || !reaper.isAlive()) {
        reaper = new Thread(this::reap, "maverick-handover-reaper");
        reaper.setDaemon(true);
        reaper.start();
      }
    }
  }

  private void reap() {
    while (true) {
      long now = System.nanoTime();
      long nextDeadline = Long.MAX_VALUE;
      for (Map.Entry<String, Parcel> entry : parcels.entrySet()) {
        Parcel parcel = entry.getValue();
        if (parcel.deadlineNanos() - now <= 0) {
          if (parcels.remove(entry.getKey(), parcel)) {
            expire(entry.getKey(), parcel);
          }
        } else {
          nextDeadline = Math.min(nextDeadline, parcel.deadlineNanos());
        }
      }
      synchronized (reaperLock) {
        if (parcels.isEmpty()) {
          reaper = null;
          return;
        }
        long waitNanos = nextDeadline == Long.MAX_VALUE ? TimeUnit.MILLISECONDS.toNanos(100) : nextDeadline - System.nanoTime();
        if (waitNanos > 0) {
          try {
            TimeUnit.NANOSECONDS.timedWait(reaperLock, Math.min(waitNanos, TimeUnit.SECONDS.toNanos(1)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reaper = null;
            return;
          }
        }
      }
    }
  }
}
