package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.kafka.internal.ClientProperties.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;

/**
 * The Kafka keys of a {@code kafka_sink} or {@code kafka_source}, read from a {@link HandlerConfig}
 * and checked together: where the brokers are, the topic, the group (a source's) or the key (a
 * sink's), how many records may be in flight, and Kafka's own settings. Immutable; each
 * configuration change makes a new one. Nothing it shows holds a secret.
 */
final class KafkaSettings {
  static final String BOOTSTRAP_SERVERS = "bootstrap_servers";
  static final String TOPIC = "topic";
  static final String GROUP = "group";
  static final String KEY = "key";
  static final String MAX_IN_FLIGHT = "max_in_flight";

  static final int DEFAULT_MAX_IN_FLIGHT = 1024;
  static final int MAX_MAX_IN_FLIGHT = 1_000_000;
  /** The most requests per connection an idempotent producer may have in flight (Kafka's rule). */
  static final int MAX_IDEMPOTENT_REQUESTS = 5;

  private static final String BOOTSTRAP_RULE =
      "host:port pairs separated by commas, e.g. 127.0.0.1:9092 or broker-1:9092,broker-2:9092";

  private final Role role;
  private final String bootstrapServers;
  private final String topic;
  private final String group;
  private final String key;
  private final int maxInFlight;
  private final ClientProperties client;

  private KafkaSettings(HandlerConfig config, Role role) {
    this.role = role;
    this.bootstrapServers = bootstrapServers(config);
    this.topic = topic(config);
    this.maxInFlight = config.intValue(MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT, 1, MAX_MAX_IN_FLIGHT);
    this.client = ClientProperties.from(config, role);
    if (role == Role.CONSUMER) {
      String given = config.stringValue(GROUP, null);
      if (given == null || given.isBlank()) {
        throw InvalidConfigurationException.missing(GROUP,
            "the consumer group: the runtimes that share a group share the topic's partitions, e.g. transcribers");
      }
      this.group = given.strip();
      this.key = null;
    } else {
      String given = config.stringValue(KEY, null);
      this.key = given == null || given.isBlank() ? null : given.strip();
      this.group = null;
      checkIdempotence(client);
    }
  }

  /**
   * Reads and checks a kafka_sink's keys.
   *
   * @throws InvalidConfigurationException naming the key, the value (secrets masked) and what is allowed
   */
  static KafkaSettings forSink(HandlerConfig config) {
    return new KafkaSettings(config, Role.PRODUCER);
  }

  /**
   * Reads and checks a kafka_source's keys.
   *
   * @throws InvalidConfigurationException naming the key, the value (secrets masked) and what is allowed
   */
  static KafkaSettings forSource(HandlerConfig config) {
    return new KafkaSettings(config, Role.CONSUMER);
  }

  private static String bootstrapServers(HandlerConfig config) {
    String given = config.stringValue(BOOTSTRAP_SERVERS, null);
    if (given == null || given.isBlank()) {
      throw InvalidConfigurationException.missing(BOOTSTRAP_SERVERS, BOOTSTRAP_RULE);
    }
    List<String> servers = new ArrayList<>();
    for (String part : given.split(",")) {
      String server = part.strip();
      if (server.isEmpty()) {
        continue;
      }
      String host = Utils.getHost(server);
      Integer port = Utils.getPort(server);
      if (host == null || host.isEmpty() || port == null || port < 1 || port > 65535 || server.contains("://")) {
        throw new InvalidConfigurationException(BOOTSTRAP_SERVERS, given,
            BOOTSTRAP_RULE + " ('" + server + "' is not host:port with a port from 1 to 65535)");
      }
      servers.add(server);
    }
    if (servers.isEmpty()) {
      throw new InvalidConfigurationException(BOOTSTRAP_SERVERS, given, BOOTSTRAP_RULE);
    }
    return String.join(",", servers);
  }

  private static String topic(HandlerConfig config) {
    String given = config.stringValue(TOPIC, null);
    if (given == null) {
      throw InvalidConfigurationException.missing(TOPIC, "a Kafka topic name, e.g. transcripts");
    }
    try {
      Topic.validate(given);
    } catch (InvalidTopicException e) {
      throw new InvalidConfigurationException(TOPIC, given,
          "a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-', not '.' or '..' (" + e.getMessage() + ")");
    }
    return given;
  }

  /** The sink produces idempotently: Kafka refuses a producer whose settings break that, so refuse them here first. */
  private static void checkIdempotence(ClientProperties client) {
    String requests = client.get("max.in.flight.requests.per.connection");
    if (requests != null && Integer.parseInt(requests) > MAX_IDEMPOTENT_REQUESTS) {
      throw new InvalidConfigurationException(ClientProperties.KEY, "max.in.flight.requests.per.connection=" + requests,
          "at most " + MAX_IDEMPOTENT_REQUESTS + " requests per connection: the sink's producer is idempotent");
    }
    String retries = client.get("retries");
    if (retries != null && Integer.parseInt(retries) == 0) {
      throw new InvalidConfigurationException(ClientProperties.KEY, "retries=0",
          "retries > 0: the sink's producer is idempotent, and Kafka needs retries for that");
    }
  }

  /** The brokers to bootstrap from, {@code host:port,...}. */
  String bootstrapServers() {
    return bootstrapServers;
  }

  /** The topic produced to or consumed. */
  String topic() {
    return topic;
  }

  /** A source's consumer group; null for a sink. */
  String group() {
    return group;
  }

  /** A sink's {@code key}: an extra's name or a field of the item; null when records have no key. */
  String key() {
    return key;
  }

  /** {@code max_in_flight}. */
  int maxInFlight() {
    return maxInFlight;
  }

  /** {@code client_properties}. */
  ClientProperties client() {
    return client;
  }

  /**
   * The whole configuration of the Kafka client, secrets included (only for creating it): the
   * handler's own settings, then {@code client_properties}, then the defaults this handler
   * prefers to Kafka's where the user set nothing.
   *
   * @param clientId the default {@code client.id}: the handler's name
   */
  Map<String, Object> clientConfig(String clientId) {
    Map<String, Object> settings = new LinkedHashMap<>(client.entries());
    settings.put("bootstrap.servers", bootstrapServers);
    settings.putIfAbsent("client.id", clientId);
    if (role == Role.PRODUCER) {
      settings.put("acks", "all");
      settings.put("enable.idempotence", "true");
      // each worker waits for its record's acknowledgement: a batch would only wait for others that never come
      settings.putIfAbsent("linger.ms", "0");
    } else {
      settings.put("group.id", group);
      settings.put("enable.auto.commit", "false");
      // a new group reads the topic from its start: nothing written before the source's first run is skipped
      settings.putIfAbsent("auto.offset.reset", "earliest");
      if (!"consumer".equalsIgnoreCase(client.get("group.protocol"))) {
        // a rebalance moves only the partitions that change owner: the others keep their records in flight
        settings.putIfAbsent("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
      }
    }
    return settings;
  }

  /** True if a client made for {@code other} would be the same as one made for these settings. */
  boolean sameClient(KafkaSettings other) {
    return other != null && bootstrapServers.equals(other.bootstrapServers) && topic.equals(other.topic)
        && Objects.equals(group, other.group) && client.equals(other.client);
  }

  /** The text with the secrets of {@code client_properties} masked. */
  String redact(String text) {
    return client.redact(text);
  }

  /** The Kafka keys in force, defaults included, for stats; secrets masked. */
  Map<String, Object> toDisplayMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(BOOTSTRAP_SERVERS, bootstrapServers);
    map.put(TOPIC, topic);
    if (role == Role.CONSUMER) {
      map.put(GROUP, group);
    } else {
      map.put(KEY, key);
    }
    map.put(MAX_IN_FLIGHT, maxInFlight);
    map.put(ClientProperties.KEY, client.toDisplayMap());
    return map;
  }

  @Override
  public String toString() {
    return (role == Role.CONSUMER ? "group " + group + " on " : "") + "topic " + topic + " at " + bootstrapServers;
  }
}
