package dev.maverick.handler.wire;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.InvalidConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * A wire's configuration, immutable and checked: every value is valid on its own. Whether the
 * wire fits the graph (no cycle, one reader per source, handlers that exist) is
 * {@link WireValidator}'s to say.
 *
 * <p>Keys, as in files, the shell and HTTP: {@value #NAME}, {@value #FROM}, {@value #TO},
 * {@value #FILTER}, {@value #SELECT}, {@value #EXTRA}, {@value #POLICY}, {@value #BUFFER_SIZE},
 * {@value #DEAD_LETTER}, {@value #ENABLED}, {@value #SHUTDOWN_TIMEOUT}.
 */
public final class WireConfig {
  /** Key: the wire's unique name (required). */
  public static final String NAME = "name";
  /** Key: the source handler's name (required). */
  public static final String FROM = "from";
  /** Key: one or more target handler names, an array or a comma-separated list (required). */
  public static final String TO = "to";
  /** Key: an LDAP filter that map results must match to be delivered, e.g. {@code (partial=false)}. */
  public static final String FILTER = "filter";
  /** Key: a key of map results whose value is delivered instead of the whole result, e.g. {@code data}. */
  public static final String SELECT = "select";
  /** Key: {@code key=value} pairs (an array, or a comma-separated list) added to each delivered item's extras. */
  public static final String EXTRA = "extra";
  /** Key: what a full target buffer does: {@code block}, {@code drop_newest}, {@code drop_oldest}. */
  public static final String POLICY = "policy";
  /** Key: how many results each target's buffer holds, 1 to {@value #MAX_BUFFER_SIZE}. */
  public static final String BUFFER_SIZE = "buffer_size";
  /** Key: the handler that receives what a target refused or failed on. */
  public static final String DEAD_LETTER = "dead_letter";
  /** Key: false to stop reading the source (the wire still delivers what it holds). */
  public static final String ENABLED = "enabled";
  /** Key: seconds to wait for a target's successor, and for delivery at close. */
  public static final String SHUTDOWN_TIMEOUT = "shutdown_timeout";

  /** Every key a wire accepts, in documentation order. */
  public static final List<String> KEYS = List.of(NAME, FROM, TO, FILTER, SELECT, EXTRA, POLICY, BUFFER_SIZE,
      DEAD_LETTER, ENABLED, SHUTDOWN_TIMEOUT);

  /** The default {@value #BUFFER_SIZE}. */
  public static final int DEFAULT_BUFFER_SIZE = 128;
  /** The largest {@value #BUFFER_SIZE}. */
  public static final int MAX_BUFFER_SIZE = 1_000_000;
  /** The default {@value #SHUTDOWN_TIMEOUT}, in seconds. */
  public static final double DEFAULT_SHUTDOWN_TIMEOUT = 5.0;
  /** The largest {@value #SHUTDOWN_TIMEOUT}, in seconds: an hour. */
  public static final double MAX_SHUTDOWN_TIMEOUT = 3600.0;

  private final String name;
  private final String from;
  private final List<String> to;
  private final String filterText;
  private final Filter filter;
  private final String select;
  private final Map<String, String> extra;
  private final WirePolicy policy;
  private final int bufferSize;
  private final String deadLetter;
  private final boolean enabled;
  private final Duration shutdownTimeout;

  private WireConfig(String name, String from, List<String> to, String filterText, Filter filter, String select,
      Map<String, String> extra, WirePolicy policy, int bufferSize, String deadLetter, boolean enabled,
      Duration shutdownTimeout) {
    this.name = name;
    this.from = from;
    this.to = to;
    this.filterText = filterText;
    this.filter = filter;
    this.select = select;
    this.extra = extra;
    this.policy = policy;
    this.bufferSize = bufferSize;
    this.deadLetter = deadLetter;
    this.enabled = enabled;
    this.shutdownTimeout = shutdownTimeout;
  }

  /**
   * Reads a wire configuration from Config Admin properties (or a request's JSON object). Framework
   * keys ({@link ConfigKeys#isFrameworkKey}) are ignored; every other key must be one of
   * {@link #KEYS}. An empty string of an optional key is the same as leaving it out.
   *
   * @throws InvalidConfigurationException naming the key, the value and what is allowed; for an
   *     unknown key, the nearest known one ("did you mean")
   */
  public static WireConfig fromMap(Map<String, ?> properties) {
    Map<String, Object> own = new LinkedHashMap<>();
    properties.forEach((key, value) -> {
      if (!ConfigKeys.isFrameworkKey(key)) {
        own.put(key, value);
      }
    });
    ConfigKeys.checkUserKeys(own.keySet());
    for (Map.Entry<String, Object> entry : own.entrySet()) {
      if (!KEYS.contains(entry.getKey())) {
        String hint = ConfigKeys.nearest(entry.getKey(), KEYS).map(known -> "; did you mean '" + known + "'?")
            .orElse("; a wire's keys are " + String.join(", ", KEYS));
        throw new InvalidConfigurationException(entry.getKey(), entry.getValue(), "a key of a wire" + hint);
      }
      ConfigKeys.checkUserValue(entry.getKey(), entry.getValue());
    }
    String name = requiredName(own, NAME, "the wire's unique name: " + ConfigKeys.NAME_RULE);
    String from = requiredName(own, FROM, "the name of the handler whose results the wire reads");
    List<String> targets = names(own, TO);
    String filterText = optionalText(own, FILTER);
    Filter filter = filterText == null ? null : parseFilter(filterText);
    String select = optionalText(own, SELECT);
    if (select != null && select.length() > 128) {
      throw new InvalidConfigurationException(SELECT, select, "a key of the source's map results, 1 to 128 characters");
    }
    String deadLetter = optionalText(own, DEAD_LETTER);
    if (deadLetter != null) {
      requireName(DEAD_LETTER, deadLetter);
      if (deadLetter.equals(from) || targets.contains(deadLetter)) {
        throw new InvalidConfigurationException(DEAD_LETTER, deadLetter,
            "a handler that is neither the wire's source nor one of its targets");
      }
    }
    return new WireConfig(name, from, targets, filterText, filter, select, pairs(own.get(EXTRA)),
        policy(own.get(POLICY)), bufferSize(own.get(BUFFER_SIZE)), deadLetter,
        bool(ENABLED, own.getOrDefault(ENABLED, Boolean.TRUE)),
        seconds(SHUTDOWN_TIMEOUT, own.getOrDefault(SHUTDOWN_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT)));
  }

  /** The wire's name. */
  public String name() {
    return name;
  }

  /** The source handler's name. */
  public String from() {
    return from;
  }

  /** The target handlers' names, at least one, no two alike. */
  public List<String> to() {
    return to;
  }

  /** The filter as written, if one is set. */
  public Optional<String> filter() {
    return Optional.ofNullable(filterText);
  }

  /**
   * Whether a result passes the filter: always without one; with one, only a map result whose
   * entries match it (OSGi filter syntax, keys compared with case).
   */
  @SuppressWarnings("unchecked")
  public boolean passes(Object result) {
    if (filter == null) {
      return true;
    }
    return result instanceof Map<?, ?> map && filter.matches((Map<String, ?>) map);
  }

  /** The key whose value is delivered instead of the whole result, if one is set. */
  public Optional<String> select() {
    return Optional.ofNullable(select);
  }

  /** The extras added to each delivered item, in configured order. */
  public Map<String, String> extra() {
    return extra;
  }

  /** What a full target buffer does. */
  public WirePolicy policy() {
    return policy;
  }

  /** The capacity of each target's buffer. */
  public int bufferSize() {
    return bufferSize;
  }

  /** The dead-letter handler's name, if one is set. */
  public Optional<String> deadLetter() {
    return Optional.ofNullable(deadLetter);
  }

  /** Whether the wire reads its source. */
  public boolean enabled() {
    return enabled;
  }

  /** How long to wait for a target's successor, and for delivery at close. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Every handler the wire names: its source, its targets and its dead letter. */
  public List<String> handlers() {
    List<String> all = new ArrayList<>();
    all.add(from);
    all.addAll(to);
    if (deadLetter != null) {
      all.add(deadLetter);
    }
    return all;
  }

  /**
   * The configuration as people and JSON read it, every key with its effective value: {@code to}
   * as a list, {@code extra} as a map, {@code shutdown_timeout} in seconds; unset optional keys are
   * null.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(NAME, name);
    map.put(FROM, from);
    map.put(TO, to);
    map.put(FILTER, filterText);
    map.put(SELECT, select);
    map.put(EXTRA, extra);
    map.put(POLICY, policy.key());
    map.put(BUFFER_SIZE, bufferSize);
    map.put(DEAD_LETTER, deadLetter);
    map.put(ENABLED, enabled);
    map.put(SHUTDOWN_TIMEOUT, shutdownTimeout.toNanos() / 1e9);
    return Collections.unmodifiableMap(map);
  }

  /**
   * The configuration as Config Admin stores it (only types it accepts: {@code String},
   * {@code String[]}, {@code Integer}, {@code Boolean}, {@code Double}); unset optional keys are
   * left out. {@code fromMap(toProperties())} gives an equal configuration.
   */
  public Map<String, Object> toProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(NAME, name);
    properties.put(FROM, from);
    properties.put(TO, to.toArray(String[]::new));
    if (filterText != null) {
      properties.put(FILTER, filterText);
    }
    if (select != null) {
      properties.put(SELECT, select);
    }
    if (!extra.isEmpty()) {
      properties.put(EXTRA, extra.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }
    properties.put(POLICY, policy.key());
    properties.put(BUFFER_SIZE, bufferSize);
    if (deadLetter != null) {
      properties.put(DEAD_LETTER, deadLetter);
    }
    properties.put(ENABLED, enabled);
    properties.put(SHUTDOWN_TIMEOUT, shutdownTimeout.toNanos() / 1e9);
    return properties;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WireConfig that && toMap().equals(that.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "WireConfig" + toMap();
  }

  // ---- parsing ----------------------------------------------------------------------------------

  private static String requiredName(Map<String, Object> own, String key, String allowed) {
    String text = optionalText(own, key);
    if (text == null) {
      throw InvalidConfigurationException.missing(key, allowed);
    }
    requireName(key, text);
    return text;
  }

  private static void requireName(String key, String name) {
    if (!ConfigKeys.isValidName(name)) {
      throw new InvalidConfigurationException(key, name, "a handler name: " + ConfigKeys.NAME_RULE);
    }
  }

  /** A single text value, trimmed; null when absent or empty. */
  private static String optionalText(Map<String, Object> own, String key) {
    Object value = own.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new InvalidConfigurationException(key, value, "one text value");
    }
    String trimmed = text.strip();
    return trimmed.isEmpty() ? null : trimmed;
  }

  private static List<String> names(Map<String, Object> own, String key) {
    List<String> names = new ArrayList<>();
    for (String element : elements(key, own.get(key))) {
      requireName(key, element);
      if (names.contains(element)) {
        throw new InvalidConfigurationException(key, own.get(key), "handler names, each once; '" + element
            + "' is named twice");
      }
      names.add(element);
    }
    if (names.isEmpty()) {
      throw InvalidConfigurationException.missing(key, "one or more target handler names, e.g. 'echo' or 'echo, log'");
    }
    return List.copyOf(names);
  }

  /** The elements of an array, a collection, or a comma-separated string; trimmed, empty ones left out. */
  private static List<String> elements(String key, Object value) {
    List<Object> raw = new ArrayList<>();
    if (value == null) {
      return List.of();
    } else if (value instanceof String text) {
      raw.addAll(List.of(text.split(",", -1)));
    } else if (value instanceof Object[] array) {
      raw.addAll(List.of(array));
    } else if (value instanceof Collection<?> collection) {
      raw.addAll(collection);
    } else {
      throw new InvalidConfigurationException(key, value, "a list of text values, or one comma-separated text");
    }
    List<String> elements = new ArrayList<>();
    for (Object element : raw) {
      if (!(element instanceof String text)) {
        throw new InvalidConfigurationException(key, value, "text values only; got " + element);
      }
      if (!text.isBlank()) {
        elements.add(text.strip());
      }
    }
    return elements;
  }

  private static Filter parseFilter(String text) {
    try {
      return FrameworkUtil.createFilter(text);
    } catch (InvalidSyntaxException e) {
      throw new InvalidConfigurationException(FILTER, text, "an LDAP filter on the keys of map results, e.g. "
          + "'(partial=false)' or '(&(type=audio)(confidence>=0.5))': " + e.getMessage(), e);
    }
  }

  private static Map<String, String> pairs(Object value) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> pair(pairs, value, String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else {
      for (String element : elements(EXTRA, value)) {
        int equals = element.indexOf('=');
        if (equals <= 0) {
          throw new InvalidConfigurationException(EXTRA, value, "key=value pairs, e.g. 'room=kitchen, lang=en'; '"
              + element + "' has no key=");
        }
        pair(pairs, value, element.substring(0, equals).strip(), element.substring(equals + 1).strip());
      }
    }
    return Collections.unmodifiableMap(pairs);
  }

  private static void pair(Map<String, String> pairs, Object value, String key, String pairValue) {
    if (!ConfigKeys.isValidKey(key)) {
      throw new InvalidConfigurationException(EXTRA, value, "key=value pairs whose keys are " + ConfigKeys.KEY_RULE
          + "; '" + key + "' is not");
    }
    if (key.toLowerCase(Locale.ROOT).startsWith("wire.")) {
      throw new InvalidConfigurationException(EXTRA, value, "keys of your own: the wire sets the wire.* extras itself");
    }
    if (pairValue == null || pairs.put(key, pairValue) != null) {
      throw new InvalidConfigurationException(EXTRA, value, "key=value pairs, each key once, each with a value; '"
          + key + "' is not");
    }
  }

  private static WirePolicy policy(Object value) {
    if (value == null) {
      return WirePolicy.BLOCK;
    }
    if (value instanceof String text) {
      Optional<WirePolicy> policy = WirePolicy.of(text.strip());
      if (policy.isPresent()) {
        return policy.get();
      }
    }
    throw new InvalidConfigurationException(POLICY, value, "block (wait for room: backpressure reaches the source), "
        + "drop_newest or drop_oldest");
  }

  private static int bufferSize(Object value) {
    if (value == null) {
      return DEFAULT_BUFFER_SIZE;
    }
    String allowed = "a whole number of results from 1 to " + MAX_BUFFER_SIZE;
    long size;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      size = ((Number) value).longValue();
    } else if (value instanceof String text) {
      try {
        size = Long.parseLong(text.strip());
      } catch (NumberFormatException e) {
        throw new InvalidConfigurationException(BUFFER_SIZE, value, allowed, e);
      }
    } else {
      throw new InvalidConfigurationException(BUFFER_SIZE, value, allowed);
    }
    if (size < 1 || size > MAX_BUFFER_SIZE) {
      throw new InvalidConfigurationException(BUFFER_SIZE, value, allowed);
    }
    return (int) size;
  }

  private static boolean bool(String key, Object value) {
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof String text) {
      String lower = text.strip().toLowerCase(Locale.ROOT);
      if (lower.equals("true") || lower.equals("false")) {
        return Boolean.parseBoolean(lower);
      }
    }
    throw new InvalidConfigurationException(key, value, "true or false");
  }

  private static Duration seconds(String key, Object value) {
    String allowed = "seconds from 0 to " + (long) MAX_SHUTDOWN_TIMEOUT + ", decimals allowed";
    double seconds;
    if (value instanceof Number number && !(value instanceof Byte)) {
      seconds = number.doubleValue();
    } else if (value instanceof String text) {
      try {
        seconds = Double.parseDouble(text.strip());
      } catch (NumberFormatException e) {
        throw new InvalidConfigurationException(key, value, allowed, e);
      }
    } else {
      throw new InvalidConfigurationException(key, value, allowed);
    }
    if (!(seconds >= 0 && seconds <= MAX_SHUTDOWN_TIMEOUT)) {
      throw new InvalidConfigurationException(key, value, allowed);
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
