package dev.maverick.handler.network.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.ds.ComponentConfigs;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code network} kind: factory configurations of {@value #PID}, one handler per endpoint,
 * each with its {@code name} and {@code host}. A singleton configuration of that PID is rejected.
 */
@Component(service = HandlerKind.class, property = Handler.KIND_PROPERTY + "=" + NetworkKind.KIND)
public final class NetworkKind implements HandlerKind {
  static final String KIND = "network";
  static final String PID = "dev.maverick.handler.network";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String pid() {
    return PID;
  }

  @Override
  public boolean factoryOnly() {
    return true;
  }

  /**
   * Checks a factory instance's properties (or, for tools, the properties of one about to be
   * created): the core's keys, {@code name} (required), {@code host} (required) and the network keys.
   */
  @Override
  public HandlerConfig validate(Map<String, ?> properties) {
    String pid = ComponentConfigs.configurationPid(PID, properties);
    if (properties.get(ComponentConfigs.SERVICE_PID) != null && properties.get(ComponentConfigs.FACTORY_PID) == null) {
      throw InvalidConfigurationException.missing(ComponentConfigs.FACTORY_PID,
          "a factory configuration: network handlers are factory instances of " + PID
              + ", one per endpoint, each with its name (this is a singleton configuration)").withPid(pid);
    }
    if (properties.get(HandlerConfig.NAME) == null) {
      throw InvalidConfigurationException.missing(HandlerConfig.NAME,
          "a name for each network handler (letters, digits, '.', '_' or '-')").withPid(pid);
    }
    Map<String, Object> withDefaults = new HashMap<>(properties);
    withDefaults.putIfAbsent(HandlerConfig.NETWORK_TIMEOUT, NetworkSettings.DEFAULT_TIMEOUT_SECONDS);
    HandlerConfig config = ComponentConfigs.parse(KIND, PID, withDefaults, NetworkKind.class.getClassLoader());
    try {
      NetworkSettings.from(config);
    } catch (InvalidConfigurationException e) {
      throw e.withPid(pid);
    }
    return config;
  }
}
