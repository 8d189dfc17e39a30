package dev.maverick.handler.kafka.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What a source's stats say about its consumer's health: the lag (records in the assigned
 * partitions not yet fetched, from the consumer's own figures), whether any broker is reachable
 * (the consumer's open connections), and whether the lag keeps growing. The poll thread observes
 * every half second ({@link #observeIfDue}); any thread reads.
 */
final class SourceHealth {
  /** After this long with no connection to any broker, the stats warn. */
  static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(5);

  private static final long OBSERVE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final String bootstrapServers;
  private final ClientMetrics metrics = new ClientMetrics("consumer-metrics");
  private final LagTrend lagTrend = new LagTrend();
  private volatile Map<Integer, Long> lagPerPartition = Map.of();
  private volatile long lag = -1;
  private volatile long disconnectedSince = -1;
  private long lastObservedAt;

  SourceHealth(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** On the poll thread: reads the consumer's figures, at most every half second. */
  void observeIfDue(KafkaConsumer<?, ?> consumer) {
    long now = System.nanoTime();
    if (now - lastObservedAt < OBSERVE_INTERVAL_NANOS) {
      return;
    }
    lastObservedAt = now;
    Map<Integer, Long> perPartition = new TreeMap<>();
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong partitionLag = consumer.currentLag(partition);
      if (partitionLag.isPresent()) {
        perPartition.put(partition.partition(), partitionLag.getAsLong());
        total += partitionLag.getAsLong();
      }
    }
    lagPerPartition = perPartition;
    lag = perPartition.isEmpty() ? -1 : total;
    if (lag >= 0) {
      lagTrend.observe(lag, now);
    }
    double connections = metrics.connections(consumer.metrics());
    if (connections > 0) {
      disconnectedSince = -1;
    } else if (connections == 0 && disconnectedSince < 0) {
      disconnectedSince = now;
    }
  }

  /** The lag figures, for the stats: {@code lag} (-1 while unknown) and {@code lag_per_partition}. */
  void addTo(Map<String, Object> details) {
    details.put("lag", lag);
    details.put("lag_per_partition", lagPerPartition);
  }

  /** Warnings: no broker reachable for {@link #UNREACHABLE_AFTER}, a lag that keeps growing. */
  List<String> warnings() {
    List<String> warnings = new ArrayList<>(2);
    long since = disconnectedSince;
    long now = System.nanoTime();
    if (since >= 0 && now - since >= UNREACHABLE_AFTER.toNanos()) {
      warnings.add("broker unreachable: no connection to " + bootstrapServers + " for "
          + (now - since) / 1_000_000_000L + " s");
    }
    lagTrend.warning().ifPresent(warnings::add);
    return warnings;
  }
}
