package dev.maverick.handler;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One result taken by a {@link ResultReader}, with the extras it was published with, waiting to
 * be settled.
 *
 * <p>Settling says "the reader is done with it": it was delivered onward, filtered out, dropped or
 * dead-lettered. Only then does the handler that made it run
 * {@link ArchitectureHandler#hookResultSettled} (a Kafka source commits the record's offset there,
 * so that a crash before settling replays the record instead of losing it). A taken result belongs
 * to its handler, not to the reader that took it: it may be parked in the hand-over store
 * ({@link Handover}) and settled later by another reader, also after the reader that took it was
 * released or its bundle updated.
 *
 * @param <R> the result type
 */
@ProviderType
public interface TakenResult<R> {

  /** The result, as the handler made it. */
  R result();

  /**
   * The extras of the result: those of the item it was made from (on the worker's path) or those
   * given to {@code publishResult}; unmodifiable, empty when there were none.
   */
  Map<String, ?> extra();

  /**
   * Marks the result as done with and runs the handler's {@code hookResultSettled} on the calling
   * thread. Idempotent and thread-safe: the hook runs once, whoever settles first.
   */
  void settle();

  /** Whether {@link #settle()} has been called. */
  boolean isSettled();
}
