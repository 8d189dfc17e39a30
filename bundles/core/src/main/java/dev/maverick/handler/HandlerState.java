package dev.maverick.handler;

/**
 * The lifecycle of a handler. A handler accepts items in {@link #IDLE} and {@link #RUNNING};
 * {@link #CLOSED} is final, as in Guava's {@code Service}.
 */
public enum HandlerState {
  /** Ready: items are accepted, but no worker thread is running (not started yet, or threads disabled). */
  IDLE,
  /** Worker threads are running. */
  RUNNING,
  /** {@code close()} is under way: intake has stopped, queued items are being drained. */
  CLOSING,
  /** Closed: no thread of the handler runs any more; results can still be read. */
  CLOSED,
  /** A worker thread died of an error the handler could not contain; see {@code HandlerStats#failure()}. */
  FAILED
}
