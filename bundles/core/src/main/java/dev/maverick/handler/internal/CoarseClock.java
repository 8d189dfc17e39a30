package dev.maverick.handler.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Wall-clock milliseconds for the handlers' {@code last_*_at} timestamps and rate-limited log
 * lines, read in about a nanosecond. {@link System#currentTimeMillis()} costs 20 to 40 ns (29 to
 * 36 ns on the 2-core KVM machine of benchmarks/PROFILE.md) and every item used to pay three of
 * them; here one daemon thread, {@code maverick-clock}, reads the real clock once a millisecond
 * for everyone and readers pay a volatile read.
 *
 * <p><b>Accuracy.</b> While the thread ticks, {@link #millis()} returns the real clock as read at
 * its last tick: never ahead of the real clock, and behind it by at most one tick (1 ms) plus
 * however long the operating system keeps the thread from running (measured on the 2-core machine
 * under a load of 8: 4 ms at worst). In every other case (no handler open, the thread not started
 * yet or asleep) the reader reads the real clock itself.
 *
 * <p><b>Cost when idle.</b> After {@value #IDLE_TICKS} ticks without a reader the thread parks,
 * and the next reader wakes it (and reads the real clock itself that once). It exists only while
 * handlers are open: each handler {@link #register() registers} when it is made and
 * {@link #unregister() unregisters} when it closes; the thread starts on the first read after a
 * registration and ends when the last handler closes. A handler that is never closed keeps the
 * thread alive, parked while nobody reads.
 */
public final class CoarseClock {

  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int IDLE_TICKS = 100;
  private static final Object LOCK = new Object();
  /** Opaque access to {@link #read}: set by readers, cleared by the ticker; no fence on the hot path. */
  private static final VarHandle READ;

  static {
    try {
      READ = MethodHandles.lookup().findStaticVarHandle(CoarseClock.class, "read", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static volatile long now;
  private static volatile Thread ticker;
  private static volatile boolean asleep;
  @SuppressWarnings("unused") // through READ; a lost write only delays the ticker's sleep
  private static boolean read;
  private static volatile int registered; // changed under LOCK

  private CoarseClock() {}

  /** The current time in epoch milliseconds: never ahead of the real clock, behind it as the class says. */
  public static long millis() {
    if (!(boolean) READ.getOpaque()) {
      READ.setOpaque(true);
    }
    Thread running = ticker;
    if (running != null && !asleep) {
      return now;
    }
    return slowPath(running);
  }

  /** A handler was made: the clock may run. Starts no thread. */
  public static void register() {
    synchronized (LOCK) {
      registered++;
    }
  }

  /** A handler closed; after the last one the thread stops, and this waits (up to a second) for it to end. */
  public static void unregister() {
    Thread stopping;
    synchronized (LOCK) {
      if (registered == 0 || --registered > 0 || ticker == null) {
        return;
      }
      stopping = ticker;
      ticker = null;
    }
    LockSupport.unpark(stopping);
    try {
      stopping.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many handlers are registered (for tests). */
  static int registered() {
    synchronized (LOCK) {
      return registered;
    }
  }

  /** The ticking thread, or null (for tests). */
  static Thread ticker() {
    return ticker;
  }

  private static long slowPath(Thread running) {
    long current = System.currentTimeMillis();
    if (running != null) { // asleep: wake it
      now = current;
      asleep = false;
      LockSupport.unpark(running);
      return current;
    }
    if (registered == 0) {
      return current; // no handler open: no thread, and no lock on this path
    }
    synchronized (LOCK) {
      if (ticker == null && registered > 0) {
        now = current; // before the thread is visible: a reader that sees it sees a fresh value
        asleep = false;
        Thread thread = new Thread(CoarseClock::tick, "maverick-clock");
        thread.setDaemon(true);
        ticker = thread;
        thread.start();
      }
    }
    return current;
  }

  private static void tick() {
    Thread self = Thread.currentThread();
    int idle = 0;
    while (ticker == self) {
      now = System.currentTimeMillis();
      if ((boolean) READ.getOpaque()) {
        READ.setOpaque(false);
        idle = 0;
      } else if (++idle >= IDLE_TICKS) {
        // A reader that saw the thread awake a moment ago got the value of this tick: fresh.
        asleep = true;
        while (asleep && ticker == self) {
          LockSupport.park();
        }
        idle = 0;
        continue;
      }
      LockSupport.parkNanos(TICK_NANOS);
    }
  }
}
