package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.ArchitectureHandler;
import java.util.Map;

/**
 * Makes real Kafka handlers for the benchmark the way the DS components do: the properties are
 * checked by the kind's {@code validate} and given to the handler's constructor. It lives under
 * the bundle's internal package name to reach the package-private constructors, which works only
 * on a plain class path (as the benchmarks module's NetworkHandlers does).
 */
public final class KafkaHandlers {
  private KafkaHandlers() {}

  /** A kafka_sink, not started: properties as a factory configuration's (name, bootstrap_servers, topic...). */
  public static ArchitectureHandler<Object, Map<String, Object>> sink(Map<String, ?> properties) {
    return new KafkaSinkHandler(new KafkaSinkKind().validate(factory(KafkaSinkKind.PID, properties)));
  }

  /** A kafka_source, not started. */
  public static ArchitectureHandler<Object, Object> source(Map<String, ?> properties) {
    return new KafkaSourceHandler(new KafkaSourceKind().validate(factory(KafkaSourceKind.PID, properties)));
  }

  private static Map<String, Object> factory(String pid, Map<String, ?> properties) {
    Map<String, Object> all = new java.util.HashMap<>(properties);
    all.put("service.factoryPid", pid);
    all.put("service.pid", pid + "~" + properties.get("name"));
    return all;
  }
}
