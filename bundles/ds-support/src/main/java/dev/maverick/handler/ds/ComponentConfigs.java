package dev.maverick.handler.ds;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the properties DS hands a handler component (its configuration merged with component and
 * framework properties) into a {@link HandlerConfig}, with errors that name the configuration PID.
 */
public final class ComponentConfigs {
  /** Config Admin's property naming a factory instance's factory PID. */
  public static final String FACTORY_PID = "service.factoryPid";
  /** Config Admin's property naming the configuration. */
  public static final String SERVICE_PID = "service.pid";

  private ComponentConfigs() {}

  /**
   * Parses component properties: framework and DS bookkeeping keys are left out, {@code name}
   * defaults to the kind for a singleton configuration and is required for a factory instance.
   *
   * @param kind the handler kind, e.g. {@code echo}
   * @param componentPid the component's configuration PID, used in messages when no configuration exists
   * @throws InvalidConfigurationException naming the PID, the key, the value and what is allowed
   */
  public static HandlerConfig parse(String kind, String componentPid, Map<String, ?> properties, ClassLoader loader) {
    String pid = configurationPid(componentPid, properties);
    try {
      Map<String, Object> own = userProperties(properties);
      if (!own.containsKey(HandlerConfig.NAME)) {
        if (properties.get(FACTORY_PID) != null) {
          throw InvalidConfigurationException.missing(HandlerConfig.NAME,
              "a name for each factory instance (letters, digits, '.', '_' or '-')");
        }
        own.put(HandlerConfig.NAME, kind);
      }
      return HandlerConfig.fromMap(own, loader);
    } catch (InvalidConfigurationException e) {
      throw e.withPid(pid);
    }
  }

  /** The PID of the configuration behind the properties, or the component's own PID. */
  public static String configurationPid(String componentPid, Map<String, ?> properties) {
    Object pid = properties.get(SERVICE_PID);
    return pid instanceof String text ? text : componentPid;
  }

  /** The properties a user set: everything but the framework's, DS's and FileInstall's own keys. */
  public static Map<String, Object> userProperties(Map<String, ?> properties) {
    Map<String, Object> own = new LinkedHashMap<>();
    properties.forEach((key, value) -> {
      if (!ConfigKeys.isFrameworkKey(key)) {
        own.put(key, value);
      }
    });
    return own;
  }

}
