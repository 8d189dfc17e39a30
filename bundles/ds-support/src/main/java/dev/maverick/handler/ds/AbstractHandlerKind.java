package dev.maverick.handler.ds;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.InvalidConfigurationException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link HandlerKind} that checks configurations in the same order for every kind: the shape
 * (a factory-only kind needs a factory instance with a {@code name}), the core's keys, then the
 * kind's own keys; every error names the configuration PID. A kind supplies its defaults and its
 * own checks; the concrete class carries the {@code @Component} annotation.
 *
 * <p>Keys a user sets follow {@link ConfigKeys}' rule. A kind whose bundle publishes a metatype for
 * its PID accepts only the keys it declares there and the core's keys ({@link dev.maverick.handler.CoreKeys#KNOWN_KEYS},
 * the seed's contract), so that a typo such as {@code max_queue_szie} is an error that names the key
 * and the nearest known one instead of a setting silently ignored.
 */
public abstract class AbstractHandlerKind implements HandlerKind {
  private final String kind;
  private final String pid;
  private final boolean factoryOnly;
  /** The keys this kind accepts, read once from its metatype; empty when it publishes none. */
  private volatile Optional<Set<String>> acceptedKeys;

  /**
   * @param kind e.g. {@code echo}
   * @param pid its configuration PID (the factory PID of its instances)
   * @param factoryOnly true when every instance must be a named factory configuration
   */
  protected AbstractHandlerKind(String kind, String pid, boolean factoryOnly) {
    this.kind = kind;
    this.pid = pid;
    this.factoryOnly = factoryOnly;
  }

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public final String pid() {
    return pid;
  }

  @Override
  public final boolean factoryOnly() {
    return factoryOnly;
  }

  @Override
  public final HandlerConfig validate(Map<String, ?> properties) {
    String configurationPid = ComponentConfigs.configurationPid(pid, properties);
    try {
      if (factoryOnly) {
        requireFactoryInstance(properties);
      }
      checkKeys(ComponentConfigs.userProperties(properties));
      Map<String, Object> withDefaults = new HashMap<>(properties);
      defaults().forEach(withDefaults::putIfAbsent);
      HandlerConfig config = ComponentConfigs.parse(kind, pid, withDefaults, getClass().getClassLoader());
      checkOwnKeys(config);
      return config;
    } catch (InvalidConfigurationException e) {
      throw e.pid().isPresent() ? e : e.withPid(configurationPid);
    }
  }

  /** Values of keys this kind sets differently from the core when the configuration does not. */
  protected Map<String, Object> defaults() {
    return Map.of();
  }

  /**
   * Checks the kind's own keys, read from {@code config} with {@link HandlerConfig#intValue} and
   * its siblings, which throw {@link InvalidConfigurationException}.
   */
  protected abstract void checkOwnKeys(HandlerConfig config);

  private void checkKeys(Map<String, Object> own) {
    ConfigKeys.checkUserKeys(own.keySet());
    Optional<Set<String>> accepted = acceptedKeys();
    if (accepted.isEmpty()) {
      return;
    }
    for (Map.Entry<String, Object> entry : own.entrySet()) {
      String key = entry.getKey();
      if (!accepted.get().contains(key)) {
        String hint = ConfigKeys.nearest(key, accepted.get()).map(known -> "; did you mean '" + known + "'?")
            .orElse("; its keys are " + String.join(", ", accepted.get()));
        throw new InvalidConfigurationException(key, entry.getValue(), "a key the " + kind + " kind declares" + hint);
      }
    }
  }

  private Optional<Set<String>> acceptedKeys() {
    Optional<Set<String>> keys = acceptedKeys;
    if (keys == null) {
      keys = KindMetatype.find(getClass().getClassLoader(), pid).map(metatype -> {
        Set<String> accepted = new LinkedHashSet<>(metatype.keys());
        accepted.addAll(HandlerConfig.KNOWN_KEYS);
        return Collections.unmodifiableSet(accepted);
      });
      acceptedKeys = keys;
    }
    return keys;
  }

  private void requireFactoryInstance(Map<String, ?> properties) {
    if (properties.get(ComponentConfigs.SERVICE_PID) != null && properties.get(ComponentConfigs.FACTORY_PID) == null) {
      throw InvalidConfigurationException.missing(ComponentConfigs.FACTORY_PID, "a factory configuration: "
          + kind + " handlers are factory instances of " + pid + ", each with its name (this is a singleton configuration)");
    }
    if (properties.get(HandlerConfig.NAME) == null) {
      throw InvalidConfigurationException.missing(HandlerConfig.NAME,
          "a name for each " + kind + " handler (letters, digits, '.', '_' or '-')");
    }
  }
}
