package dev.maverick.handler.wire;

import java.util.Locale;

/** The lifecycle state of a {@link Wire}. */
public enum WireState {
  /** Its configuration was refused ({@link Wire#error()} says why): it takes nothing. */
  INVALID,
  /** {@code enabled = false}: it reads nothing; what it holds is still delivered. */
  DISABLED,
  /** Its source or a target (or its dead letter) is not registered: {@link Wire#warnings()} names it. */
  WAITING,
  /** Reading its source and delivering to every target. */
  RUNNING,
  /** Closed: its configuration was deleted or changed, or its bundle stopped. */
  CLOSED;

  /** The state in lower case, as the admin shows it. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return key();
  }
}
