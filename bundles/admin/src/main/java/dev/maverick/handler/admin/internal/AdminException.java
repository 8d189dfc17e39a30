package dev.maverick.handler.admin.internal;

import dev.maverick.handler.InvalidConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the admin cannot carry out, with the HTTP status that says why; the shell prints the
 * message. Carries the key, value and rule of a rejected configuration value.
 */
final class AdminException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final int BAD_REQUEST = 400;
  static final int UNAUTHORIZED = 401;
  static final int FORBIDDEN = 403;
  static final int NOT_FOUND = 404;
  static final int METHOD_NOT_ALLOWED = 405;
  static final int REQUEST_TIMEOUT = 408;
  static final int CONFLICT = 409;
  static final int PAYLOAD_TOO_LARGE = 413;
  static final int UNSUPPORTED_MEDIA_TYPE = 415;
  static final int MISDIRECTED = 421;
  static final int TOO_MANY_REQUESTS = 429;
  static final int INTERNAL_ERROR = 500;
  static final int UNAVAILABLE = 503;

  private final int status;
  private final transient Map<String, Object> details;
  private final boolean handlerFailure;

  AdminException(int status, String message) {
    this(status, message, Map.of(), null);
  }

  AdminException(int status, String message, Map<String, Object> details, Throwable cause) {
    this(status, message, details, cause, false);
  }

  private AdminException(int status, String message, Map<String, Object> details, Throwable cause,
      boolean handlerFailure) {
    super(message, cause);
    this.status = status;
    this.details = details;
    this.handlerFailure = handlerFailure;
  }

  /**
   * A handler failed on the caller's item (500): the handler's fault, not the admin's, so it is
   * logged in one line, and its message is masked like everything the admin shows.
   */
  static AdminException handlerFailed(String message, Throwable cause) {
    return new AdminException(INTERNAL_ERROR, message, Map.of(), cause, true);
  }

  /** True for a handler's failure rather than the admin's. */
  boolean isHandlerFailure() {
    return handlerFailure;
  }

  /** The same error with its message (and text details) masked. */
  AdminException masked(Redaction redaction) {
    Map<String, Object> maskedDetails = new LinkedHashMap<>();
    details.forEach((key, value) -> maskedDetails.put(key, value instanceof String text ? redaction.mask(text) : value));
    // no cause: its message is not masked
    return new AdminException(status, redaction.shown(getMessage(), Redaction.MAX_TEXT), maskedDetails, null,
        handlerFailure);
  }

  /** A rejected configuration value: 400 with its key, value (masked when secret) and rule. */
  static AdminException invalidConfig(InvalidConfigurationException e) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("key", e.key());
    details.put("value", e.displayedValue());
    details.put("allowed", e.allowed());
    return new AdminException(BAD_REQUEST, e.getMessage(), details, e);
  }

  static AdminException notFound(String what) {
    return new AdminException(NOT_FOUND, what);
  }

  static AdminException badRequest(String what) {
    return new AdminException(BAD_REQUEST, what);
  }

  /** The HTTP status. */
  int status() {
    return status;
  }

  /** The JSON error body: {@code error} and the details. */
  Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", getMessage());
    body.putAll(details);
    return body;
  }
}
