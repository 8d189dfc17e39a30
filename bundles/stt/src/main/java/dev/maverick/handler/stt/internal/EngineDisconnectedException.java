package dev.maverick.handler.stt.internal;

/**
 * Audio not sent because the handler is not connected to its RealtimeSTT server (or lost the
 * connection while sending). Its message starts with the reason's name, {@value #REASON}, so that
 * the error counted for the item says why: the core's drop reasons have no name for it yet.
 */
final class EngineDisconnectedException extends IllegalStateException {
  /** The name of the reason, as logs, stats and documentation give it. */
  static final String REASON = "engine_disconnected";
  private static final long serialVersionUID = 1L;

  EngineDisconnectedException(String detail) {
    super(REASON + ": " + detail, null);
  }
}
