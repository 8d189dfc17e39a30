package dev.maverick.handler;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Handler#offer} made of an item. Only {@link Outcome#ACCEPTED} hands the item to the
 * handler; with every other outcome the item is still the caller's and the handler counted nothing.
 */
public final class Admission {

  /** The outcomes of an offer. */
  public enum Outcome {
    /** Queued: the item is the handler's now and counted as any fed item. */
    ACCEPTED,
    /** No room in the input queue within the timeout (or the caller was interrupted while waiting). */
    FULL,
    /** Refused by {@code validateItem} or {@code expected_type}; {@link #message()} says why. */
    INVALID,
    /** The handler is closed (or closing and no longer taking items). */
    CLOSED
  }

  /** The item was queued. */
  public static final Admission ACCEPTED = new Admission(Outcome.ACCEPTED, null);
  /** No room within the timeout. */
  public static final Admission FULL = new Admission(Outcome.FULL, null);
  /** The handler no longer takes items. */
  public static final Admission CLOSED = new Admission(Outcome.CLOSED, null);

  private final Outcome outcome;
  private final String message;

  private Admission(Outcome outcome, String message) {
    this.outcome = outcome;
    this.message = message;
  }

  /** An {@link Outcome#INVALID} admission with what is wrong and what is allowed. */
  public static Admission invalid(String message) {
    return new Admission(Outcome.INVALID, Objects.requireNonNull(message, "message"));
  }

  /** The outcome. */
  public Outcome outcome() {
    return outcome;
  }

  /** True if the item was queued. */
  public boolean isAccepted() {
    return outcome == Outcome.ACCEPTED;
  }

  /** Why an {@link Outcome#INVALID} item was refused; empty for the other outcomes. */
  public Optional<String> message() {
    return Optional.ofNullable(message);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Admission that && outcome == that.outcome && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(outcome, message);
  }

  @Override
  public String toString() {
    return message == null ? outcome.name().toLowerCase(java.util.Locale.ROOT)
        : outcome.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
  }
}
