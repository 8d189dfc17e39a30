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
  static final int CONFLICT = 409;
  static final int PAYLOAD_TOO_LARGE = 413;
  static final int UNSUPPORTED_MEDIA_TYPE = 415;
  static final int INTERNAL_ERROR = 500;
  static final int UNAVAILABLE = 503;

  private final int status;
  private final transient Map<String, Object> details;

  AdminException(int status, String message) {
    this(status, message, Map.of(), null);
  }

  AdminException(int status, String message, Map<String, Object> details, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.details = details;
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
