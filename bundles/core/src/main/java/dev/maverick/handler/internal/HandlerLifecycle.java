package dev.maverick.handler.internal;

import dev.maverick.handler.HandlerClosedException;
import dev.maverick.handler.HandlerState;
import java.util.concurrent.CompletableFuture;

/**
 * A handler's lifecycle state machine, kept apart from what runs in each state (as Guava keeps
 * {@code AbstractService} apart from the services built on it): the state, the lock every state
 * change takes, whether the workers start by themselves on the next feed, the start-up hook that
 * runs once and never after the shut-down hook, and the future that completes when the close has
 * finished.
 *
 * <p>{@code IDLE -> RUNNING <-> FAILED}, {@code RUNNING -> IDLE} (threads disabled), and from any
 * of them {@code -> CLOSING -> CLOSED}, which is final. Only the one caller that moved the
 * handler to {@code CLOSING} closes it; the others wait for {@link #terminated()}.
 */
public final class HandlerLifecycle {
  private final Object lock = new Object();
  /** Held while startUp runs, and by the close to forbid it: startUp never runs after shutDown. */
  private final Object startUpLock = new Object();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile HandlerState state = HandlerState.IDLE;
  private volatile boolean autoStart;
  private boolean startedUp; // guarded by startUpLock

  /** @param autoStart whether the workers start by themselves on the first feed ({@code run_as_thread}) */
  public HandlerLifecycle(boolean autoStart) {
    this.autoStart = autoStart;
  }

  /** The lock every change of state and of the worker threads takes. */
  public Object lock() {
    return lock;
  }

  /** The state now. */
  public HandlerState state() {
    return state;
  }

  /** Changes the state; call with {@link #lock()} held. */
  public void moveTo(HandlerState next) {
    state = next;
  }

  /** True from the moment a close begins: {@code CLOSING} or {@code CLOSED}. */
  public boolean isClosing() {
    HandlerState now = state;
    return now == HandlerState.CLOSING || now == HandlerState.CLOSED;
  }

  /**
   * Throws if a close has begun.
   *
   * @throws HandlerClosedException naming the handler and the operation
   */
  public void requireOpen(String handlerName, String operation) {
    if (isClosing()) {
      throw new HandlerClosedException(handlerName, operation);
    }
  }

  /** Whether the workers start by themselves on the next feed. */
  public boolean autoStart() {
    return autoStart;
  }

  /** Sets whether the workers start by themselves on the next feed; call with {@link #lock()} held. */
  public void autoStart(boolean value) {
    autoStart = value;
  }

  /** A worker died: {@code RUNNING} becomes {@code FAILED}. Call with {@link #lock()} held. */
  public void failed() {
    if (state == HandlerState.RUNNING) {
      state = HandlerState.FAILED;
    }
  }

  /**
   * Begins the close, once: the caller that gets true owns it and must call {@link #closed()}
   * and {@link #terminate()} at its end; every other caller gets false.
   */
  public boolean beginClose() {
    synchronized (lock) {
      if (isClosing()) {
        return false;
      }
      state = HandlerState.CLOSING;
      autoStart = false;
      return true;
    }
  }

  /** Forbids the start-up hook from now on, after waiting for one under way. */
  public void forbidStartUp() {
    synchronized (startUpLock) {
      startedUp = true;
    }
  }

  /** Runs {@code startUp} if it has neither run nor been forbidden; what it throws propagates. */
  public void startUpOnce(Runnable startUp) {
    synchronized (startUpLock) {
      if (startedUp) {
        return;
      }
      startedUp = true;
      startUp.run();
    }
  }

  /** The close has stopped everything: {@code CLOSED}. */
  public void closed() {
    state = HandlerState.CLOSED;
  }

  /** The close has finished, its last hook run: {@link #terminated()} completes. */
  public void terminate() {
    terminated.complete(null);
  }

  /** Completes when the close has finished, whoever ran it. */
  public CompletableFuture<Void> terminated() {
    return terminated;
  }
}
