package dev.maverick.handler.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every thread one handler started, from its creation (each is started at once) until its task
 * ends: so that the handler can name them after itself, rename them when it is renamed, wait for
 * them at close, and say which ones outlived it.
 */
public final class ThreadRegistry {
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final Supplier<String> handlerName;

  /** @param handlerName the handler's current name, read whenever a thread is made */
  public ThreadRegistry(Supplier<String> handlerName) {
    this.handlerName = handlerName;
  }

  /** Daemon threads named {@code <handler>-<role>-<n>}, tracked here. */
  public ThreadFactory factory(String role, Thread.UncaughtExceptionHandler uncaught) {
    ThreadFactory named = new NamedThreadFactory(handlerName, role, uncaught);
    return task -> {
      Thread[] created = new Thread[1];
      created[0] = named.newThread(() -> {
        try {
          task.run();
        } finally {
          threads.remove(created[0]);
        }
      });
      threads.add(created[0]);
      return created[0];
    };
  }

  /** The tracked threads still alive. */
  public List<Thread> live() {
    List<Thread> alive = new ArrayList<>();
    for (Thread thread : threads) {
      if (thread.isAlive()) {
        alive.add(thread);
      }
    }
    return alive;
  }

  /** Whether the calling thread is one of them. */
  public boolean isOwnThread() {
    return threads.contains(Thread.currentThread());
  }

  /** Renames the threads named after {@code previousName} after the handler's current name. */
  public void renameFrom(String previousName) {
    String current = handlerName.get();
    for (Thread thread : threads) {
      String name = thread.getName();
      if (name.startsWith(previousName + "-")) {
        thread.setName(current + name.substring(previousName.length()));
      }
    }
  }

  /** Waits a grace period for every tracked thread but the caller to end. */
  public void awaitAll(long graceNanos) {
    awaitThreads(new ArrayList<>(threads), System.nanoTime() + graceNanos);
  }

  /**
   * The threads still running at the end of a close, but the caller and the threads running
   * closes ({@code role} {@code close}): they are stuck in code that ignores interrupts.
   */
  public List<Thread> leftovers() {
    String closers = handlerName.get() + "-close-";
    List<Thread> left = new ArrayList<>(threads);
    left.remove(Thread.currentThread());
    left.removeIf(thread -> thread.getName().startsWith(closers));
    return left;
  }

  /**
   * Waits until every thread has ended (the caller's own thread excepted) or the deadline, on the
   * {@link System#nanoTime()} clock, has passed.
   *
   * @return true if all ended; false on timeout or interrupt (the interrupt flag is set again)
   */
  public static boolean awaitThreads(List<Thread> threads, long deadlineNanos) {
    boolean allEnded = true;
    for (Thread thread : threads) {
      if (thread == Thread.currentThread()) {
        continue;
      }
      long remaining = deadlineNanos - System.nanoTime();
      try {
        if (remaining > 0) {
          TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      allEnded &= !thread.isAlive();
    }
    return allEnded;
  }
}
