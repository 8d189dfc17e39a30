package dev.maverick.handler.wire.internal;

import dev.maverick.handler.Handler;

/**
 * One handler a wire names (its source, a target, its dead letter), as instances of it come and go
 * in the service registry: the current instance, and since when there has been none after one left.
 * A {@link HandlerDirectory} keeps it up to date; the wire's threads read it and wait on it.
 */
final class HandlerSlot {
  private final String name;
  private volatile Handler<Object, Object> current;
  /** System.nanoTime() when the last instance left or closed; 0 while one is here or after {@link #forgetDeparture}. */
  private long goneSince;
  private volatile boolean goneWatched;

  HandlerSlot(String name) {
    this.name = name;
  }

  /** The handler's name. */
  String name() {
    return name;
  }

  /** The registered instance, or null. */
  Handler<Object, Object> current() {
    return current;
  }

  /** True while no instance is registered. */
  boolean waiting() {
    return current == null;
  }

  /** An instance was registered: it is the current one from now on. */
  synchronized void arrived(Handler<Object, Object> handler) {
    current = handler;
    goneSince = 0;
    goneWatched = false;
    notifyAll();
  }

  /** An instance left the registry (or was found closed): if it was the current one, there is none now. */
  synchronized void departed(Handler<Object, Object> handler) {
    if (current == handler) {
      current = null;
      goneSince = System.nanoTime();
      goneWatched = true;
      notifyAll();
    }
  }

  /**
   * Whether the last instance left more than {@code timeoutNanos} ago without a successor. Never
   * true for a handler that was never here, nor after {@link #forgetDeparture}.
   */
  synchronized boolean goneLongerThan(long timeoutNanos) {
    return goneWatched && current == null && System.nanoTime() - goneSince >= timeoutNanos;
  }

  /** Stops the clock of {@link #goneLongerThan}: from now on the wire waits for the handler without limit. */
  synchronized void forgetDeparture() {
    goneWatched = false;
  }

  /**
   * Waits up to {@code nanos} for an instance other than {@code notThis} (null: any instance).
   *
   * @return the current instance, possibly still null or {@code notThis} after the timeout
   * @throws InterruptedException if the thread is interrupted
   */
  synchronized Handler<Object, Object> awaitOther(Handler<Object, Object> notThis, long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    long left = nanos;
    while ((current == null || current == notThis) && left > 0) {
      wait(Math.max(1, left / 1_000_000));
      left = deadline - System.nanoTime();
    }
    return current;
  }

  @Override
  public String toString() {
    return "handler '" + name + "'" + (current == null ? " (not registered)" : "");
  }
}
