package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code client_properties} key: further settings of Kafka's own producer or consumer, checked
 * against Kafka's own definitions of them ({@code ProducerConfig.configDef()},
 * {@code ConsumerConfig.configDef()}): the name must be one Kafka knows, the value must parse to the
 * setting's type and pass its validator.
 *
 * <p>The value is a list of {@code name=value} entries: an array or collection of them (Config
 * Admin), or one text with the entries on separate lines or separated by commas. A comma followed
 * by something that is not {@code name=} belongs to the value, so lists such as
 * {@code ssl.enabled.protocols=TLSv1.2,TLSv1.3} need no escaping.
 *
 * <p>Secrets are the settings Kafka types {@code PASSWORD} ({@code sasl.jaas.config},
 * {@code ssl.key.password}, {@code ssl.keystore.key}, ...), and any whose name holds
 * {@code password} or is a secret by the core's rule. Nothing this class shows holds their values:
 * {@link #toDisplayMap()} and every error message mask them, and {@link #redact} masks them in any
 * text (Kafka's own exception messages).
 */
final class ClientProperties {
  /** The configuration key. */
  static final String KEY = "client_properties";

  /** Which Kafka client the settings are for. */
  enum Role {
    PRODUCER("producer", ProducerConfig::configDef, Map.of(
        "bootstrap.servers", "set with the key bootstrap_servers",
        "key.serializer", "the handler writes keys and values as bytes itself",
        "value.serializer", "the handler writes keys and values as bytes itself",
        "acks", "a kafka_sink always produces with acks=all: an item counts processed once every in-sync replica has it",
        "enable.idempotence", "a kafka_sink always produces idempotently, so that a retry cannot duplicate or reorder records",
        "transactional.id", "a kafka_sink does not produce in transactions")),
    CONSUMER("consumer", ConsumerConfig::configDef, Map.of(
        "bootstrap.servers", "set with the key bootstrap_servers",
        "group.id", "set with the key group",
        "key.deserializer", "the handler reads keys and values as bytes itself",
        "value.deserializer", "the handler reads keys and values as bytes itself",
        "enable.auto.commit", "a kafka_source commits an offset itself, once the record's result has been delivered onward"));

    private final String client;
    private final Supplier<ConfigDef> source;
    private final Map<String, String> owned;
    private volatile ConfigDef definition;

    Role(String client, Supplier<ConfigDef> source, Map<String, String> owned) {
      this.client = client;
      this.source = source;
      this.owned = owned;
    }

    /** Kafka's definition of the client's settings, loaded once (with the bundle's context class loader). */
    ConfigDef definition() {
      ConfigDef loaded = definition;
      if (loaded == null) {
        loaded = Clients.withBundleLoader(source);
        definition = loaded;
      }
      return loaded;
    }
  }

  private static final Pattern ENTRY_START = Pattern.compile(",\\s*(?=[A-Za-z0-9._-]+\\s*=)");
  private static final ClientProperties NONE = new ClientProperties(Map.of(), Set.of());

  private final Map<String, String> entries;
  private final Set<String> secrets;

  private ClientProperties(Map<String, String> entries, Set<String> secrets) {
    this.entries = entries;
    this.secrets = secrets;
  }

  /**
   * Reads and checks {@code client_properties} from a configuration.
   *
   * @throws InvalidConfigurationException naming the key, the entry (its value masked when secret) and what is allowed
   */
  static ClientProperties from(HandlerConfig config, Role role) {
    Object value = config.extras().get(KEY);
    return value == null ? NONE : parse(value, role);
  }

  static ClientProperties parse(Object value, Role role) {
    // class-typed settings (partitioner.class, ...) are loaded while they are checked
    return Clients.withBundleLoader(() -> parseEntries(value, role));
  }

  private static ClientProperties parseEntries(Object value, Role role) {
    Map<String, String> entries = new LinkedHashMap<>();
    List<String> secretNames = new ArrayList<>();
    for (String entry : split(value)) {
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw error(entry, "entries name=value, one per line or separated by commas, e.g. linger.ms=20,compression.type=gzip");
      }
      String name = entry.substring(0, equals).trim();
      String text = entry.substring(equals + 1).trim();
      ConfigDef.ConfigKey definition = role.definition().configKeys().get(name);
      boolean secret = definition != null && definition.type == ConfigDef.Type.PASSWORD || isSecretName(name);
      String shown = name + "=" + (secret ? HandlerConfig.MASK : text);
      if (definition == null) {
        String hint = ConfigKeys.nearest(name, role.definition().names()).map(near -> " (did you mean " + near + "?)").orElse("");
        throw error(shown, "settings of Kafka's " + role.client + "; '" + name + "' is not one" + hint);
      }
      String reason = role.owned.get(name);
      if (reason != null) {
        throw error(shown, "settings the handler does not set itself; '" + name + "' it does: " + reason);
      }
      if (entries.containsKey(name)) {
        throw error(shown, "each setting once; '" + name + "' is given twice");
      }
      check(definition, text, shown, secret);
      entries.put(name, text);
      if (secret) {
        secretNames.add(name);
      }
    }
    return new ClientProperties(Collections.unmodifiableMap(entries), Set.copyOf(secretNames));
  }

  private static List<String> split(Object value) {
    List<String> parts = new ArrayList<>();
    if (value instanceof Object[] array) {
      for (Object element : array) {
        parts.addAll(split(String.valueOf(element)));
      }
    } else if (value instanceof Collection<?> collection) {
      for (Object element : collection) {
        parts.addAll(split(String.valueOf(element)));
      }
    } else {
      for (String line : String.valueOf(value).split("\\R")) {
        Matcher starts = ENTRY_START.matcher(line);
        int from = 0;
        while (starts.find()) {
          parts.add(line.substring(from, starts.start()));
          from = starts.end();
        }
        parts.add(line.substring(from));
      }
    }
    parts.replaceAll(String::trim);
    parts.removeIf(String::isEmpty);
    return parts;
  }

  /** Parses the value to the setting's type and runs Kafka's validator on it. */
  private static void check(ConfigDef.ConfigKey definition, String text, String shown, boolean secret) {
    try {
      Object parsed = ConfigDef.parseType(definition.name, text, definition.type);
      if (definition.validator != null) {
        definition.validator.ensureValid(definition.name, parsed);
      }
    } catch (ConfigException e) {
      String why = secret ? "a valid value (Kafka refused it; the value is a secret and not shown)"
          : "a value Kafka accepts for " + definition.name + ": " + e.getMessage();
      throw error(shown, why);
    }
  }

  /** A name that holds a secret even when Kafka does not type it as a password. */
  static boolean isSecretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("password") || lower.contains("secret") || lower.equals("sasl.jaas.config")
        || HandlerConfig.isSecretKey(lower);
  }

  private static InvalidConfigurationException error(String shownEntry, String allowed) {
    return new InvalidConfigurationException(KEY, shownEntry, allowed);
  }

  /** The settings as given, secrets included: only for creating the client. */
  Map<String, String> entries() {
    return entries;
  }

  /** True if the setting is given. */
  boolean has(String name) {
    return entries.containsKey(name);
  }

  /** A setting's value, or null. */
  String get(String name) {
    return entries.get(name);
  }

  /** The settings for people: secrets masked. */
  Map<String, String> toDisplayMap() {
    Map<String, String> shown = new LinkedHashMap<>(entries);
    secrets.forEach(name -> shown.put(name, HandlerConfig.MASK));
    return shown;
  }

  /** The text with every secret value replaced by the mask (for Kafka's messages, which may quote settings). */
  String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String name : secrets) {
      String secret = entries.get(name);
      if (!secret.isEmpty()) {
        result = result.replace(secret, HandlerConfig.MASK);
      }
    }
    return result;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClientProperties that && entries.equals(that.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return toDisplayMap().toString();
  }
}
