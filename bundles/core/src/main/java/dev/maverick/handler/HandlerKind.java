package dev.maverick.handler;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Describes one kind of handler (echo, network, stt, ...) to tools that create and configure
 * handlers without knowing their classes, such as the admin bundle. Each handler bundle registers
 * one {@code HandlerKind} service with the service property {@value Handler#KIND_PROPERTY}.
 */
@ConsumerType
public interface HandlerKind {

  /** The kind, e.g. {@code echo}; also the {@value Handler#KIND_PROPERTY} of its handlers. */
  String kind();

  /** The configuration PID of the kind; the factory PID of its instances. */
  String pid();

  /** True when every instance must be a factory configuration with a {@code name} (network handlers). */
  boolean factoryOnly();

  /**
   * Checks configuration properties exactly as a handler of this kind would apply them, without
   * applying them: the core's keys and the kind's own.
   *
   * @return the configuration the handler would run with
   * @throws InvalidConfigurationException naming the key, the value and what is allowed
   */
  HandlerConfig validate(Map<String, ?> properties);
}
