package dev.maverick.handler.wire.internal;

import dev.maverick.handler.Handler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the service registry: the test registers and unregisters handlers by hand, and
 * each wire gets a {@link #directory()} that follows them as {@link TrackedHandlers} would.
 */
final class ManualHandlers {
  private final Map<String, Handler<Object, Object>> registered = new HashMap<>();
  private final List<HandlerSlot> slots = new ArrayList<>();

  /** A directory for one wire; closing it stops following its slots. */
  HandlerDirectory directory() {
    List<HandlerSlot> own = new ArrayList<>();
    return new HandlerDirectory() {
      @Override
      public void follow(HandlerSlot slot) {
        synchronized (ManualHandlers.this) {
          own.add(slot);
          slots.add(slot);
          Handler<Object, Object> handler = registered.get(slot.name());
          if (handler != null) {
            slot.arrived(handler);
          }
        }
      }

      @Override
      public void close() {
        synchronized (ManualHandlers.this) {
          slots.removeAll(own);
          own.clear();
        }
      }
    };
  }

  /** Registers handlers under their names (each replacing any other of its name). */
  @SuppressWarnings("unchecked")
  synchronized ManualHandlers register(Handler<?, ?>... handlers) {
    for (Handler<?, ?> handler : handlers) {
      Handler<Object, Object> old = registered.put(handler.name(), (Handler<Object, Object>) handler);
      for (HandlerSlot slot : slots) {
        if (slot.name().equals(handler.name())) {
          if (old != null) {
            slot.departed(old);
          }
          slot.arrived((Handler<Object, Object>) handler);
        }
      }
    }
    return this;
  }

  /** Unregisters a handler. */
  @SuppressWarnings("unchecked")
  synchronized void unregister(Handler<?, ?> handler) {
    registered.remove(handler.name(), handler);
    for (HandlerSlot slot : slots) {
      slot.departed((Handler<Object, Object>) handler);
    }
  }

  /** How many slots wires follow now (0 once every wire closed its directory). */
  synchronized int followed() {
    return slots.size();
  }
}
