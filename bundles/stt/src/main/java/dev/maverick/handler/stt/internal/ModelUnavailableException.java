package dev.maverick.handler.stt.internal;

/** No speech model can be used: none installed, a bad directory, or the native library failed. */
final class ModelUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  ModelUnavailableException(String message) {
    super(message);
  }

  ModelUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
