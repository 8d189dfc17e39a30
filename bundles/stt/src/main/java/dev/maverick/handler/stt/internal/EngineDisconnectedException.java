package dev.maverick.handler.stt.internal;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.ItemDroppedException;

/**
 * Audio not sent because the handler is not connected to its RealtimeSTT server (or lost the
 * connection while sending). Thrown from the handler's {@code generateResults}, it has the core
 * count the item dropped, {@code engine_disconnected}, not as an error; its message starts with
 * that reason's name and says why.
 */
final class EngineDisconnectedException extends ItemDroppedException {
  private static final long serialVersionUID = 1L;

  EngineDisconnectedException(String detail) {
    super(DropReason.ENGINE_DISCONNECTED, detail);
  }
}
