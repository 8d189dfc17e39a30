package dev.maverick.handler.internal;

import dev.maverick.handler.InvalidConfigurationException;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

/**
 * Coerces configuration values as they come from code, Config Admin or {@code .cfg} files (where
 * every value is a string) to the types the handler needs, rejecting anything else with an
 * {@link InvalidConfigurationException} that names the key, the value and what is allowed. The one
 * coercion layer: the core's keys ({@link ConfigParser}) and a subclass's own keys (the typed
 * getters of {@code HandlerConfig}) both read their values here. A one-element array or
 * collection, as Config Admin may deliver where a scalar was meant, is read as its element.
 */
public final class ConfigValues {
  private ConfigValues() {}

  /** A boolean, or the strings {@code true}/{@code false} in any case. */
  public static boolean toBoolean(String key, Object given) {
    Object value = unwrapSingle(given);
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof CharSequence text) {
      String word = text.toString().trim().toLowerCase(Locale.ROOT);
      if (word.equals("true")) {
        return true;
      }
      if (word.equals("false")) {
        return false;
      }
    }
    throw new InvalidConfigurationException(key, value, "true or false");
  }

  /** A whole number in [min, max], given as a number without fraction or as a decimal string. */
  public static long toLong(String key, Object given, long min, long max, String allowed) {
    Object value = unwrapSingle(given);
    long result;
    if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
      result = ((Number) value).longValue();
    } else if (value instanceof Number number) {
      double d = number.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d) || Math.abs(d) > 9.0e15) {
        throw new InvalidConfigurationException(key, value, allowed);
      }
      result = (long) d;
    } else if (value instanceof CharSequence text) {
      try {
        result = Long.parseLong(text.toString().trim());
      } catch (NumberFormatException e) {
        throw new InvalidConfigurationException(key, value, allowed, e);
      }
    } else {
      throw new InvalidConfigurationException(key, value, allowed);
    }
    if (result < min || result > max) {
      throw new InvalidConfigurationException(key, value, allowed);
    }
    return result;
  }

  /** As {@link #toLong}, for int ranges. */
  public static int toInt(String key, Object value, int min, int max, String allowed) {
    return (int) toLong(key, value, min, max, allowed);
  }

  /** A finite number of seconds (decimals allowed) in [minSeconds, maxSeconds], or a {@link Duration}. */
  public static Duration toSeconds(String key, Object given, double minSeconds, double maxSeconds, String allowed) {
    Object value = unwrapSingle(given);
    double seconds;
    if (value instanceof Duration duration) {
      seconds = duration.toNanos() / 1e9;
    } else if (value instanceof Number number) {
      seconds = number.doubleValue();
    } else if (value instanceof CharSequence text) {
      try {
        seconds = Double.parseDouble(text.toString().trim());
      } catch (NumberFormatException e) {
        throw new InvalidConfigurationException(key, value, allowed, e);
      }
    } else {
      throw new InvalidConfigurationException(key, value, allowed);
    }
    if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds < minSeconds || seconds > maxSeconds) {
      throw new InvalidConfigurationException(key, value, allowed);
    }
    return value instanceof Duration duration ? duration : Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /**
   * A string (blank allowed only if {@code allowBlank}) without control characters other than tab,
   * line feed and carriage return; arrays or collections of one string are unwrapped.
   */
  public static String toText(String key, Object value, boolean allowBlank, String allowed) {
    Object single = unwrapSingle(value);
    if (single instanceof CharSequence text) {
      String s = text.toString();
      if (!allowBlank && s.isBlank()) {
        throw new InvalidConfigurationException(key, value, allowed);
      }
      if (s.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')) {
        throw new InvalidConfigurationException(key, value, allowed + ", without control characters");
      }
      return s;
    }
    throw new InvalidConfigurationException(key, value, allowed);
  }

  /** One of {@code allowed}, ignoring case and surrounding blanks, as {@code allowed} spells it. */
  public static String toChoice(String key, Object value, java.util.Collection<String> allowed) {
    String rule = "one of " + String.join(", ", allowed);
    String text = toText(key, value, false, rule).trim();
    for (String choice : allowed) {
      if (choice.equalsIgnoreCase(text)) {
        return choice;
      }
    }
    throw new InvalidConfigurationException(key, value, rule);
  }

  /** The rule of a whole number in [min, max], in words. */
  public static String integerRule(long min, long max) {
    if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
      return "an integer >= " + min;
    }
    return "an integer from " + min + " to " + max;
  }

  /** The rule of a number of seconds in [min, max], in words. */
  public static String secondsRule(double minSeconds, double maxSeconds) {
    return "a number of seconds from " + minSeconds + " to " + maxSeconds + ", decimals allowed";
  }

  /** Config Admin may deliver a one-element array or collection where a scalar was meant. */
  public static Object unwrapSingle(Object value) {
    if (value instanceof Object[] array && array.length == 1) {
      return array[0];
    }
    if (value instanceof Collection<?> collection && collection.size() == 1) {
      return collection.iterator().next();
    }
    return value;
  }

  /** Seconds as a config value: a double, as the seed writes {@code network_timeout}. */
  public static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
