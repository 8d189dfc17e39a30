package dev.maverick.handler;

/**
 * A network call made through {@code performRequest} failed. It has been counted once in
 * {@code network_error_count}. The message names the endpoint and the cause, never credentials.
 */
public class NetworkCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /** @param message the endpoint and what went wrong; @param cause the underlying failure, if any */
  public NetworkCallException(String message, Throwable cause) {
    this(message, -1, cause);
  }

  /**
   * @param message the endpoint and what went wrong
   * @param status the HTTP status, or -1 when no response arrived
   * @param cause the underlying failure, if any
   */
  public NetworkCallException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP (or protocol) status of the failed response, or -1 when there was none. */
  public int status() {
    return status;
  }
}
