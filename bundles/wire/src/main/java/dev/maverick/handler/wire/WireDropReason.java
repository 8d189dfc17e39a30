package dev.maverick.handler.wire;

/** Why a wire dropped a result, or a copy of one meant for a target: each drop is counted under one reason. */
public enum WireDropReason {
  /** {@code drop_newest}: the target's buffer was full, so the new result was not buffered for it. */
  BUFFER_FULL("buffer_full"),
  /** {@code drop_oldest}: the oldest result buffered for the target was dropped to make room. */
  EVICTED("evicted"),
  /** {@code select} names a key the result does not have (or the result is not a map). */
  SELECT_MISSING("select_missing"),
  /** The target refused it as invalid and the wire has no dead letter. */
  INVALID("invalid"),
  /**
   * The target went away and no successor came within {@code shutdown_timeout}, or the wire closed
   * for good before it could deliver it, or it was handed to the wire's successor and not taken
   * over in time; and there was no dead letter to take it.
   */
  SHUTDOWN("shutdown"),
  /** Handed over by the wire's predecessor for a target the wire no longer has. */
  UNWIRED("unwired"),
  /** Meant for the dead letter, whose buffer was full. */
  DEAD_LETTER_FULL("dead_letter_full"),
  /** Meant for the dead letter, which refused it (invalid, or closed past {@code shutdown_timeout}). */
  DEAD_LETTER_REFUSED("dead_letter_refused");

  private final String key;

  WireDropReason(String key) {
    this.key = key;
  }

  /** The snake_case name used in ledgers, logs and metrics. */
  public String key() {
    return key;
  }

  @Override
  public String toString() {
    return key;
  }
}
