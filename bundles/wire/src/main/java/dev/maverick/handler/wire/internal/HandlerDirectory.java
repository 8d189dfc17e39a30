package dev.maverick.handler.wire.internal;

/**
 * Keeps {@link HandlerSlot}s up to date as handlers come and go. In OSGi it follows the service
 * registry ({@link TrackedHandlers}); a test can fill slots by hand.
 */
interface HandlerDirectory extends AutoCloseable {

  /** Starts following the handler named by {@code slot}; the slot is filled at once if the handler is here. */
  void follow(HandlerSlot slot);

  /** Stops following every slot. */
  @Override
  void close();
}
