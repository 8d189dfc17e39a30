package dev.maverick.handler;

/**
 * A configuration value was rejected. The message names the key, the value (masked when the key
 * holds a secret) and what is allowed; the same parts are available as fields so that shells,
 * HTTP APIs and Config Admin listeners can report them.
 */
public class InvalidConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;
  private final String allowed;

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
    super(message(key, displayValue(key, value), allowed), cause);
    this.key = key;
    this.value = displayValue(key, value);
    this.allowed = allowed;
  }

  private static String displayValue(String key, Object value) {
    if (value != null && HandlerConfig.isSecretKey(key)) {
      return HandlerConfig.MASK;
    }
    return describe(value);
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value.getClass().isArray() ? java.util.Arrays.deepToString(new Object[] {value}) : value.toString();
    if (text.length() > 200) {
      text = text.substring(0, 200) + "...";
    }
    return "'" + text + "' (" + value.getClass().getSimpleName() + ")";
  }

  private static String message(String key, String value, String allowed) {
    return "invalid value for '" + key + "': " + value + "; allowed: " + allowed;
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
}
