package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@code kafka_sink} handler: each item it is fed is produced to {@code topic} (idempotently,
 * with {@code acks=all}); the item counts processed once the broker has acknowledged it, and its
 * result is {@code {topic, partition, offset}}. A record Kafka refuses, or does not acknowledge
 * within its {@code delivery.timeout.ms}, fails the item with Kafka's reason.
 *
 * <p>The producer is made on first use (the handler starts no thread when it is constructed) and
 * closed, after the workers have finished, when the handler closes; a configuration change that
 * concerns it makes a new one.
 */
final class KafkaSinkHandler extends ArchitectureHandler<Object, Map<String, Object>> {
  /** How long records may wait for an acknowledgement before the stats warn. */
  static final Duration SLOW_ACK = Duration.ofSeconds(5);

  private final RecordCodec codec = new RecordCodec();
  private final ClientMetrics metrics = new ClientMetrics("producer-metrics");
  private final Object producerLock = new Object();
  private final LongAdder sent = new LongAdder();
  private final LongAdder acknowledged = new LongAdder();
  private final LongAdder failed = new LongAdder();
  /** When each record waiting for its acknowledgement was sent, nanoTime, by a ticket. */
  private final Map<Long, Long> waiting = new ConcurrentHashMap<>();
  private final AtomicLong tickets = new AtomicLong();
  private volatile KafkaSettings settings;
  private volatile Semaphore window;
  private volatile String lastFailure;
  private KafkaProducer<byte[], byte[]> producer; // guarded by producerLock

  /**
   * Creates a sink; connects to nothing yet.
   *
   * @throws dev.maverick.handler.InvalidConfigurationException if a Kafka key is bad
   */
  KafkaSinkHandler(HandlerConfig config) {
    super(config);
    this.settings = KafkaSettings.forSink(config);
    this.window = new Semaphore(settings.maxInFlight());
  }

  /** The settings in force. */
  KafkaSettings settings() {
    return settings;
  }

  @Override
  protected Map<String, Object> generateResults(Object item, Map<String, ?> extra) {
    KafkaSettings current = settings;
    ProducerRecord<byte[], byte[]> record = record(current, item, extra);
    Semaphore permits = window;
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("handler '" + name() + "': interrupted before producing the item", e);
    }
    Long ticket = tickets.incrementAndGet();
    waiting.put(ticket, System.nanoTime());
    try {
      Future<RecordMetadata> ack = producer().send(record);
      sent.increment();
      RecordMetadata metadata = ack.get();
      acknowledged.increment();
      lastFailure = null;
      Map<String, Object> result = new LinkedHashMap<>(4);
      result.put("topic", metadata.topic());
      result.put("partition", metadata.partition());
      result.put("offset", metadata.offset());
      return Collections.unmodifiableMap(result);
    } catch (ExecutionException e) {
      throw failure(current, e.getCause());
    } catch (KafkaException e) {
      throw failure(current, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed.increment();
      throw new IllegalStateException("handler '" + name() + "': interrupted while waiting for the broker's "
          + "acknowledgement (the handler is closing); the record may still be written", e);
    } finally {
      waiting.remove(ticket);
      permits.release();
    }
  }

  private ProducerRecord<byte[], byte[]> record(KafkaSettings current, Object item, Map<String, ?> extra) {
    byte[] key = null;
    try {
      if (current.key() != null) {
        Object found = RecordKeys.find(current.key(), item, extra);
        if (found == null) {
          throw new IllegalArgumentException("handler '" + name() + "': the item has no key: neither an extra nor a "
              + "field named '" + current.key() + "' (key); records without it would lose their order");
        }
        key = codec.key(found);
      }
      byte[] value = codec.value(item);
      return new ProducerRecord<>(current.topic(), null, key, value, List.<Header>of(RecordCodec.contentType(item)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("handler '" + name() + "': the item cannot be written as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  private RuntimeException failure(KafkaSettings current, Throwable cause) {
    failed.increment();
    String reason = current.redact(String.valueOf(cause));
    lastFailure = reason;
    return new IllegalStateException("handler '" + name() + "': producing to topic '" + current.topic() + "' at "
        + current.bootstrapServers() + " failed: " + reason, cause);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    synchronized (producerLock) {
      if (producer == null) {
        KafkaSettings current = settings;
        producer = Clients.withBundleLoader(() -> new KafkaProducer<>(current.clientConfig(name()),
            new ByteArraySerializer(), new ByteArraySerializer()));
      }
      return producer;
    }
  }

  @Override
  protected void configurationChanged(HandlerConfig previous, HandlerConfig current) {
    KafkaSettings before = settings;
    KafkaSettings after = KafkaSettings.forSink(current);
    settings = after;
    if (after.maxInFlight() != before.maxInFlight()) {
      window = new Semaphore(after.maxInFlight()); // records in flight release the old one
    }
    if (!after.sameClient(before)) {
      KafkaProducer<byte[], byte[]> old;
      synchronized (producerLock) {
        old = producer;
        producer = null; // the next item makes a producer for the new settings
      }
      if (old != null) {
        old.close(current.shutdownTimeout()); // records in flight are acknowledged, or fail, first
      }
    }
  }

  /** The workers have ended: close the producer, which sends what it holds first. */
  @Override
  protected void afterClose() {
    KafkaProducer<byte[], byte[]> old;
    synchronized (producerLock) {
      old = producer;
      producer = null;
    }
    if (old != null) {
      old.close(config().shutdownTimeout());
    }
  }

  @Override
  protected Map<String, Object> statsDetails() {
    KafkaSettings current = settings;
    Map<String, Object> details = new LinkedHashMap<>(current.toDisplayMap());
    details.put("sent", sent.sum());
    details.put("acknowledged", acknowledged.sum());
    details.put("failed", failed.sum());
    details.put("in_flight", waiting.size());
    details.put("last_failure", lastFailure);
    details.put(HandlerStats.WARNINGS, warnings(current));
    return details;
  }

  private List<String> warnings(KafkaSettings current) {
    List<String> warnings = new ArrayList<>(2);
    long oldest = waiting.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    long waitedNanos = oldest == Long.MAX_VALUE ? 0 : System.nanoTime() - oldest;
    if (waitedNanos >= SLOW_ACK.toNanos()) {
      double connections;
      synchronized (producerLock) {
        connections = producer == null ? -1 : metrics.connections(producer.metrics());
      }
      warnings.add((connections == 0 ? "broker unreachable: no connection to " : "no acknowledgement from ")
          + current.bootstrapServers() + " for " + waitedNanos / 1_000_000_000 + " s; " + waiting.size()
          + " record(s) waiting");
    }
    String failure = lastFailure;
    if (failure != null) {
      warnings.add("the last record failed (nothing acknowledged since): " + failure);
    }
    return warnings;
  }
}
