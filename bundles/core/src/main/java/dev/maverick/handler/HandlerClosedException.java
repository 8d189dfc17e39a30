package dev.maverick.handler;

/** An operation that needs a live handler was called after {@code close()}; closing is final. */
public class HandlerClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** @param handler the handler's name; @param operation what was attempted */
  public HandlerClosedException(String handler, String operation) {
    super("handler '" + handler + "' is closed; " + operation + " is not possible (close() is final)");
  }
}
