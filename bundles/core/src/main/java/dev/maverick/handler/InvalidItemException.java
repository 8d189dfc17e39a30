package dev.maverick.handler;

/**
 * An item failed validation. {@code generate} throws it to its caller; {@code feed} counts the
 * item as dropped ({@link DropReason#INVALID}) and logs the message. A {@code validateItem}
 * override may throw it itself to say precisely what is wrong and what is allowed.
 */
public class InvalidItemException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong with the item, and what is allowed */
  public InvalidItemException(String message) {
    super(message);
  }

  /** @param message what is wrong with the item, and what is allowed; @param cause the parse failure */
  public InvalidItemException(String message, Throwable cause) {
    super(message, cause);
  }
}
