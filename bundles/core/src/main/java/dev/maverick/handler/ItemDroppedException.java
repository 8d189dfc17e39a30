package dev.maverick.handler;

import java.util.Objects;

/**
 * Thrown by a handler's template methods ({@code preprocessItem}, {@code generateResults},
 * {@code postprocessResult}) to say that the item is not
 * processed for a reason the handler names, rather than that processing failed: the core counts the
 * item as dropped with {@link #reason()} (logged, rate-limited, with this message), not as an
 * error, and runs no error hook. On the direct path ({@code generate}) the exception then reaches
 * the caller. An {@code offer} caller's failure callback is not told (the item was dropped, as
 * items dropped at close are not); its upstream settlement runs, since the item's journey ended
 * (see {@link Handler#offer(Object, java.util.Map, java.time.Duration, java.util.function.Consumer, Runnable)}),
 * unless the reason is {@link DropReason#SHUTDOWN}.
 *
 * <p>Its message starts with the reason's key: {@code engine_disconnected: the connection was lost}.
 *
 * @since 1.3
 */
public class ItemDroppedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final DropReason reason;
  private final String detail;

  /**
   * @param reason why the item is dropped: a reason of {@link DropReason.Ledger#ITEMS}
   * @param message what happened, for people
   * @throws IllegalArgumentException if the reason is not one of the items ledger
   */
  public ItemDroppedException(DropReason reason, String message) {
    this(reason, message, null);
  }

  /** As {@link #ItemDroppedException(DropReason, String)}, with the failure behind it. */
  public ItemDroppedException(DropReason reason, String message, Throwable cause) {
    super(checked(reason).key() + ": " + message, cause);
    this.reason = reason;
    this.detail = message;
  }

  private static DropReason checked(DropReason reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason.ledger() != DropReason.Ledger.ITEMS) {
      throw new IllegalArgumentException("an item can only be dropped for a reason of the items ledger; "
          + reason.key() + " belongs to " + reason.ledger());
    }
    return reason;
  }

  /** Why the item was dropped. */
  public DropReason reason() {
    return reason;
  }

  /** What happened, as given: the message without the reason's key in front. */
  public String detail() {
    return detail;
  }
}
