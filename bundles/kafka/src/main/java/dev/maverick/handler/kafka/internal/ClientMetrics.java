package dev.maverick.handler.kafka.internal;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Reads the one figure of a Kafka client's metrics that tells whether it reaches any broker: its
 * number of open connections ({@code connection-count} in the group {@code producer-metrics} or
 * {@code consumer-metrics}). A healthy consumer is always connected (it fetches and heartbeats); a
 * producer may drop idle connections, so a sink looks at it only while records wait.
 */
final class ClientMetrics {
  private final String group;
  private volatile Metric connections;

  /** @param group {@code producer-metrics} or {@code consumer-metrics} */
  ClientMetrics(String group) {
    this.group = group;
  }

  /** The open connections, or -1 while the client has not registered the metric. */
  double connections(Map<MetricName, ? extends Metric> metrics) {
    Metric metric = connections;
    if (metric == null) {
      for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
        if (entry.getKey().name().equals("connection-count") && entry.getKey().group().equals(group)) {
          metric = entry.getValue();
          connections = metric;
          break;
        }
      }
    }
    Object value = metric == null ? null : metric.metricValue();
    return value instanceof Number number ? number.doubleValue() : -1;
  }
}
