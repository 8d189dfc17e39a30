package dev.maverick.handler;

import java.util.Arrays;
import java.util.Optional;

/**
 * A configuration value was rejected. The message names the key, the value (masked when the key
 * holds a secret) and what is allowed, and the configuration PID when it came from Config Admin;
 * the same parts are available as fields so that shells, HTTP APIs and logs can report them.
 */
public class InvalidConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;
  private final String allowed;
  private final String pid;
  private final boolean missing;

  /**
   * @param key the configuration key, snake_case
   * @param value the rejected value as given (masked here when {@code key} is a secret)
   * @param allowed what the key accepts, in words
   */
  public InvalidConfigurationException(String key, Object value, String allowed) {
    this(key, value, allowed, null);
  }

  /** As {@link #InvalidConfigurationException(String, Object, String)}, with the parse failure. */
  public InvalidConfigurationException(String key, Object value, String allowed, Throwable cause) {
    this(null, key, displayValue(key, value), allowed, false, cause);
  }

  private InvalidConfigurationException(String pid, String key, String value, String allowed, boolean missing,
      Throwable cause) {
    super(message(pid, key, value, allowed, missing), cause);
    this.key = key;
    this.value = value;
    this.allowed = allowed;
    this.pid = pid;
    this.missing = missing;
  }

  /** A required key is absent. */
  public static InvalidConfigurationException missing(String key, String allowed) {
    return new InvalidConfigurationException(null, key, "null", allowed, true, null);
  }

  /** The same error, its message naming the configuration PID it came from. */
  public InvalidConfigurationException withPid(String configurationPid) {
    return new InvalidConfigurationException(configurationPid, key, value, allowed, missing, getCause());
  }

  private static String displayValue(String key, Object value) {
    if (value != null && ConfigKeys.isSecretKey(key)) {
      return HandlerConfig.MASK;
    }
    if (value == null) {
      return "null";
    }
    String text = value instanceof Object[] array ? Arrays.deepToString(array) : String.valueOf(value);
    if (text.length() > 200) {
      text = text.substring(0, 200) + "...";
    }
    return "'" + escapeControls(text) + "' (" + value.getClass().getSimpleName() + ")";
  }

  /** Control characters shown escaped, backslash-u and four hex digits: a rejected value must not garble a log. */
  private static String escapeControls(String text) {
    StringBuilder shown = new StringBuilder(text.length());
    text.chars().forEach(c -> {
      if (Character.isISOControl(c)) {
        shown.append(String.format("\\u%04x", c));
      } else {
        shown.append((char) c);
      }
    });
    return shown.toString();
  }

  private static String message(String pid, String key, String value, String allowed, boolean missing) {
    String where = pid == null ? "" : "configuration " + escapeControls(pid) + ": ";
    String shownKey = escapeControls(String.valueOf(key)); // a key is user input too: no forged log lines
    if (missing) {
      return where + "missing required key '" + shownKey + "'; expected: " + allowed;
    }
    return where + "invalid value for '" + shownKey + "': " + value + "; allowed: " + allowed;
  }

  /** The rejected key. */
  public String key() {
    return key;
  }

  /** The rejected value as shown to people (secrets masked). */
  public String displayedValue() {
    return value;
  }

  /** What the key accepts. */
  public String allowed() {
    return allowed;
  }

  /** The configuration PID the value came from, when known. */
  public Optional<String> pid() {
    return Optional.ofNullable(pid);
  }
}
