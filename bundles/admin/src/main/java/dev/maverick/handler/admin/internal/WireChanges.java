package dev.maverick.handler.admin.internal;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireConfig;
import dev.maverick.handler.wire.WireState;
import dev.maverick.handler.wire.WireValidator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, changes and deletes wires, through Config Admin only, as named factory configurations
 * {@code dev.maverick.handler.wire~<name>} (the same one a file {@code dev.maverick.handler.wire-<name>.cfg}
 * makes). Every key a user sends passes {@link ConfigKeys#checkUserKeys}; the whole configuration
 * is checked by the wire bundle's own {@link WireValidator} (keys, values, the graph, and handlers
 * that must exist now), so that a rule lives in one place; a refusal is a 400 naming the key, and
 * nothing is stored. What is stored is the checked configuration's {@link WireConfig#toProperties()}.
 */
final class WireChanges {
  private static final Logger LOG = LoggerFactory.getLogger(WireChanges.class);

  private final ConfigurationAdmin configAdmin;
  private final WireValidator validator;
  private final WireRegistry registry;
  private final WireViews views;
  private final Supplier<AdminSettings> settings;

  WireChanges(ConfigurationAdmin configAdmin, WireValidator validator, WireRegistry registry, WireViews views,
      Supplier<AdminSettings> settings) {
    this.configAdmin = configAdmin;
    this.validator = validator;
    this.registry = registry;
    this.views = views;
    this.settings = settings;
  }

  /** Creates a wire: 201 and its view once it is registered, 202 if not within {@code apply_timeout}. */
  ConfigChanges.Outcome create(Map<String, ?> body) {
    Object name = body.get(WireConfig.NAME);
    if (!(name instanceof String text) || !ConfigKeys.isValidName(text)) {
      throw AdminException.invalidConfig(name == null ? InvalidConfigurationException.missing(WireConfig.NAME,
          ConfigKeys.NAME_RULE) : new InvalidConfigurationException(WireConfig.NAME, name, ConfigKeys.NAME_RULE));
    }
    String pid = Wire.FACTORY_PID + "~" + name;
    if (registry.find((String) name).isPresent() || existing(pid) != null) {
      throw new AdminException(AdminException.CONFLICT, "a wire named '" + name + "' already exists");
    }
    WireConfig config = validate(pid, checkedKeys(pid, body));
    Configuration configuration;
    try {
      configuration = configAdmin.getFactoryConfiguration(Wire.FACTORY_PID, (String) name, "?");
      configuration.update(toDictionary(config.toProperties()));
    } catch (IOException e) {
      throw new AdminException(AdminException.INTERNAL_ERROR, "Config Admin could not store " + pid + ": " + e,
          Map.of(), e);
    }
    LOG.info("wire '{}' created as configuration {}: {}", name, configuration.getPid(), config);
    String stored = configuration.getPid();
    if (registry.await(() -> registry.byPid(stored).isPresent(), settings.get().applyTimeout())) {
      return new ConfigChanges.Outcome(201, views.view(registry.byPid(stored).orElseThrow()));
    }
    return new ConfigChanges.Outcome(202, HandlerViews.mapOf("name", name, "pid", stored, "state", "pending",
        "config", WireViews.displayConfig(config)));
  }

  /**
   * Changes some keys of a wire; a {@code null} value removes a key. 200 and the view of the new
   * instance once it runs with them, 202 if not within {@code apply_timeout}.
   */
  ConfigChanges.Outcome update(String name, Map<String, ?> changes) {
    WireEntry entry = registry.require(name);
    String pid = entry.wire().pid();
    Configuration configuration = existing(pid);
    if (configuration == null) {
      throw new AdminException(AdminException.CONFLICT, entry + " runs from no configuration Config Admin holds");
    }
    Object newName = changes.get(WireConfig.NAME);
    if (changes.containsKey(WireConfig.NAME) && !name.equals(newName)) {
      throw AdminException.invalidConfig(new InvalidConfigurationException(WireConfig.NAME, newName, "the wire's own "
          + "name '" + name + "': to rename a wire, create one under the new name and delete this one").withPid(pid));
    }
    Map<String, Object> merged = new LinkedHashMap<>();
    Dictionary<String, Object> stored = configuration.getProperties();
    if (stored != null) {
      for (Enumeration<String> keys = stored.keys(); keys.hasMoreElements();) {
        String key = keys.nextElement();
        if (!ConfigKeys.isFrameworkKey(key)) {
          merged.put(key, stored.get(key));
        }
      }
    }
    Map<String, Object> checked = checkedKeys(pid, changes);
    changes.forEach((key, value) -> {
      if (value == null) {
        merged.remove(key);
      } else {
        merged.put(key, checked.get(key));
      }
    });
    merged.put(WireConfig.NAME, name);
    WireConfig config = validate(pid, merged);
    long before = entry.id();
    try {
      if (!configuration.updateIfDifferent(toDictionary(config.toProperties()))) {
        return new ConfigChanges.Outcome(200, views.view(entry));
      }
    } catch (IOException e) {
      throw new AdminException(AdminException.INTERNAL_ERROR, "Config Admin could not store " + pid + ": " + e,
          Map.of(), e);
    }
    LOG.info("wire '{}' changed: keys {}", name, changes.keySet());
    boolean applied = registry.await(() -> registry.byPid(pid).map(now -> now.id() != before
        && now.wire().state() != WireState.CLOSED && now.wire().config().map(config::equals).orElse(false))
        .orElse(false), settings.get().applyTimeout());
    if (!applied) {
      return new ConfigChanges.Outcome(202, HandlerViews.mapOf("name", name, "pid", pid, "state", "pending",
          "config", WireViews.displayConfig(config)));
    }
    return new ConfigChanges.Outcome(200, views.view(registry.byPid(pid).orElseThrow()));
  }

  /** Deletes a wire's configuration: the wire delivers what it holds (up to its shutdown_timeout) and goes. */
  ConfigChanges.Outcome delete(String name) {
    WireEntry entry = registry.require(name);
    String pid = entry.wire().pid();
    Configuration configuration = existing(pid);
    if (configuration == null) {
      throw new AdminException(AdminException.CONFLICT, entry + " runs from no configuration Config Admin holds");
    }
    try {
      configuration.delete();
    } catch (IOException e) {
      throw new AdminException(AdminException.INTERNAL_ERROR, "Config Admin could not delete " + pid + ": " + e,
          Map.of(), e);
    }
    LOG.info("wire '{}' deleted: configuration {}", name, pid);
    boolean gone = registry.await(() -> registry.byPid(pid).isEmpty(), settings.get().applyTimeout());
    return new ConfigChanges.Outcome(gone ? 200 : 202, HandlerViews.mapOf("deleted", name, "pid", pid));
  }

  /** The user's keys checked by the core's rule, their JSON values in types the wire's keys take. */
  private static Map<String, Object> checkedKeys(String pid, Map<String, ?> keys) {
    Map<String, Object> converted = new LinkedHashMap<>();
    try {
      ConfigKeys.checkUserKeys(keys.keySet());
      keys.forEach((key, value) -> {
        if (value != null) {
          ConfigKeys.checkUserValue(key, value);
          converted.put(key, fromJson(value));
        }
      });
    } catch (InvalidConfigurationException e) {
      throw AdminException.invalidConfig(e.pid().isPresent() ? e : e.withPid(pid));
    }
    return converted;
  }

  /** JSON's big numbers as the wire's keys take them; lists and objects as they are. */
  static Object fromJson(Object value) {
    if (value instanceof BigInteger integer) {
      return integer.bitLength() < 64 ? (Object) integer.longValue() : integer.toString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.doubleValue();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(WireChanges::fromJson).toList();
    }
    return value;
  }

  private WireConfig validate(String pid, Map<String, Object> properties) {
    try {
      return validator.validate(properties, true);
    } catch (InvalidConfigurationException e) {
      throw AdminException.invalidConfig(e.pid().isPresent() ? e : e.withPid(pid));
    } catch (RuntimeException e) {
      throw new AdminException(AdminException.BAD_REQUEST, "wire " + pid + " rejected: " + e.getMessage(), Map.of(), e);
    }
  }

  private Configuration existing(String pid) {
    return ConfigChanges.existing(configAdmin, pid);
  }

  private static Dictionary<String, Object> toDictionary(Map<String, Object> map) {
    Hashtable<String, Object> dictionary = new Hashtable<>();
    dictionary.putAll(map);
    return dictionary;
  }
}
