package dev.maverick.handler.wire.internal;

import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireConfig;
import dev.maverick.handler.wire.WireLedger;
import dev.maverick.handler.wire.WireState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Wire} service of one configuration: a running {@link WireEngine}, or the error that
 * kept the configuration from running (then it takes nothing and says why).
 */
final class WireService implements Wire {
  private final String pid;
  private final String name;
  private final WireConfig config;
  private final WireEngine engine;
  private final String error;
  private final String from;
  private final List<String> to;

  private WireService(String pid, String name, String from, List<String> to, WireConfig config, WireEngine engine,
      String error) {
    this.pid = pid;
    this.name = name;
    this.from = from;
    this.to = to;
    this.config = config;
    this.engine = engine;
    this.error = error;
  }

  /** A running wire. */
  static WireService running(String pid, WireEngine engine) {
    WireConfig config = engine.config();
    return new WireService(pid, config.name(), config.from(), config.to(), config, engine, null);
  }

  /** A wire whose configuration was refused: named as well as its properties allow. */
  static WireService invalid(String pid, Map<String, ?> properties, String error) {
    String name = text(properties.get(WireConfig.NAME)).orElse(pid);
    String from = text(properties.get(WireConfig.FROM)).orElse("");
    Object targets = properties.get(WireConfig.TO);
    List<String> to = targets instanceof String[] array ? List.of(array)
        : text(targets).map(value -> List.of(value.split("\\s*,\\s*"))).orElse(List.of());
    return new WireService(pid, name, from, to, null, null, error);
  }

  private static Optional<String> text(Object value) {
    return value instanceof String text && !text.isBlank() ? Optional.of(text.strip()) : Optional.empty();
  }

  /** The engine, or null for an invalid wire. */
  WireEngine engine() {
    return engine;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String from() {
    return from;
  }

  @Override
  public List<String> to() {
    return to;
  }

  @Override
  public Optional<WireConfig> config() {
    return Optional.ofNullable(config);
  }

  @Override
  public String pid() {
    return pid;
  }

  @Override
  public WireState state() {
    return engine == null ? WireState.INVALID : engine.state();
  }

  @Override
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  @Override
  public WireLedger ledger() {
    return engine == null ? new WireLedger(name, 0, 0, Map.of(), 0, Map.of(), Optional.empty(), Duration.ZERO)
        : engine.ledger();
  }

  @Override
  public List<String> warnings() {
    return engine == null ? List.of("configuration refused: " + error) : engine.warnings();
  }

  @Override
  public String toString() {
    return "wire '" + name + "' (" + from + " -> " + String.join(", ", to) + ", " + state() + ")";
  }
}
