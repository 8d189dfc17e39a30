package dev.maverick.handler.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Makes daemon threads named {@code <handler>-<role>-<n>}, so that a thread dump shows which
 * handler owns each thread. The handler name is read at creation, since it can be reconfigured.
 */
public final class NamedThreadFactory implements ThreadFactory {
  private final Supplier<String> handlerName;
  private final String role;
  private final AtomicInteger sequence = new AtomicInteger();
  private final Thread.UncaughtExceptionHandler uncaughtHandler;

  /**
   * @param handlerName the owning handler's current name
   * @param role what the threads do: worker, callback, async, close
   * @param uncaughtHandler receives what escapes a thread's run method
   */
  public NamedThreadFactory(Supplier<String> handlerName, String role, Thread.UncaughtExceptionHandler uncaughtHandler) {
    this.handlerName = handlerName;
    this.role = role;
    this.uncaughtHandler = uncaughtHandler;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, handlerName.get() + "-" + role + "-" + sequence.incrementAndGet());
    thread.setDaemon(true);
    thread.setUncaughtExceptionHandler(uncaughtHandler);
    return thread;
  }
}
