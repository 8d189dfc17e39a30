package dev.maverick.handler.admin.internal;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.WorkerBudget;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, changes and deletes handler configurations, through Config Admin only. Every key a
 * user sends passes {@link ConfigKeys#checkUserKeys} (and may not be a second spelling of a stored
 * key), every value {@link ConfigKeys#checkUserValue}; the result is checked with the kind's
 * {@code validate}; a change of where a handler that holds a secret connects must carry the secret
 * again ({@link Repointing}); and the worker threads it would add must fit the runtime-wide
 * {@link WorkerBudget}. Anything refused is a 400 naming the key, and nothing is stored.
 */
final class ConfigChanges {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigChanges.class);

  private final ConfigurationAdmin configAdmin;
  private final HandlerRegistry registry;
  private final Supplier<MetaTypeService> metaType;
  private final Supplier<AdminSettings> settings;
  private final HandlerViews views;

  ConfigChanges(ConfigurationAdmin configAdmin, HandlerRegistry registry, Supplier<MetaTypeService> metaType,
      Supplier<AdminSettings> settings, HandlerViews views) {
    this.configAdmin = configAdmin;
    this.registry = registry;
    this.metaType = metaType;
    this.settings = settings;
    this.views = views;
  }

  /** The result of a write: 200 when the handler applied it, 201 created, 202 when not seen yet. */
  record Outcome(int status, Map<String, Object> body) {}

  /**
   * Changes some keys of a handler's configuration: merges them into its Config Admin
   * configuration, checks the result with the kind's {@code validate}, stores it, and waits up to
   * {@code apply_timeout} for the handler to apply it.
   *
   * @param changes keys to set; a {@code null} value removes a key (back to its default); the mask
   *     sent back for a secret keeps the stored secret
   * @return the configuration in force, secrets masked
   */
  Outcome update(String name, Map<String, ?> changes) {
    HandlerEntry entry = registry.require(name);
    String pid = requirePid(entry);
    KindEntry kind = requireKindOf(entry);
    Configuration configuration = existing(pid);
    Map<String, Object> stored = configuration == null ? new LinkedHashMap<>() : toMap(configuration.getProperties());
    Map<String, Object> merged = new LinkedHashMap<>(stored);
    checked(pid, () -> {
      ConfigKeys.checkUserKeys(changes.keySet());
      changes.keySet().forEach(key -> requireOneSpelling(key, stored));
      Map<String, AttributeDefinition> definitions = definitions(kind);
      changes.forEach((key, value) -> {
        if (value == null) {
          merged.remove(key);
        } else if (!(HandlerConfig.isSecretKey(key) && HandlerConfig.MASK.equals(value))) {
          ConfigKeys.checkUserValue(key, value);
          merged.put(key, ConfigConversion.toConfigValue(key, value, definitions.get(key), stored.get(key)));
        }
      });
      Repointing.check(stored, changes, merged);
    });
    HandlerConfig expected = validate(kind, pid, merged);
    checked(pid, () -> WorkerBudget.check(expected, entry.handler().config()));
    String newName = expected.name().orElse(entry.name());
    if (!newName.equals(entry.name()) && registry.find(newName).isPresent()) {
      throw AdminException.invalidConfig(new InvalidConfigurationException(HandlerConfig.NAME, newName,
          "a name no other handler has").withPid(pid));
    }
    long before = entry.modifications();
    try {
      if (configuration == null) {
        configuration = configAdmin.getConfiguration(pid, "?");
      }
      if (!configuration.updateIfDifferent(toDictionary(merged))) {
        return new Outcome(200, HandlerViews.displayConfig(entry.handler()));
      }
    } catch (IOException e) {
      throw new AdminException(AdminException.INTERNAL_ERROR, "Config Admin could not store " + pid + ": " + e,
          Map.of(), e);
    } catch (IllegalArgumentException e) {
      throw AdminException.badRequest("Config Admin refused configuration " + pid + ": " + e.getMessage());
    }
    LOG.info("configuration {} of handler '{}' changed: keys {}", pid, name, changes.keySet());
    boolean seen = registry.await(() -> registry.current(entry, pid)
        .map(now -> now != entry || entry.modifications() > before).orElse(false), settings.get().applyTimeout());
    Optional<HandlerEntry> now = registry.current(entry, pid);
    if (!seen || now.isEmpty()) {
      return new Outcome(202, HandlerViews.withoutFrameworkKeys(expected.toDisplayMap()));
    }
    if (now.get().configError() != null) {
      throw new AdminException(AdminException.CONFLICT, now.get().configError());
    }
    return new Outcome(200, HandlerViews.displayConfig(now.get().handler()));
  }

  /**
   * Creates a factory instance of a kind: a named factory configuration, PID
   * {@code <kind pid>~<name>}, the same one FileInstall makes of a file {@code <kind pid>-<name>.cfg}.
   */
  Outcome create(String kindName, String name, Map<String, ?> config) {
    KindEntry kind = registry.requireKind(kindName);
    if (!ConfigKeys.isValidName(name)) {
      throw AdminException.invalidConfig(name == null ? InvalidConfigurationException.missing(HandlerConfig.NAME,
          ConfigKeys.NAME_RULE) : new InvalidConfigurationException(HandlerConfig.NAME, name, ConfigKeys.NAME_RULE));
    }
    if (registry.find(name).isPresent()) {
      throw new AdminException(AdminException.CONFLICT, "a handler named '" + name + "' already exists");
    }
    String pid = kind.kind().pid() + "~" + name;
    Map<String, Object> properties = new LinkedHashMap<>();
    checked(pid, () -> {
      ConfigKeys.checkUserKeys(config.keySet());
      Map<String, AttributeDefinition> definitions = definitions(kind);
      config.forEach((key, value) -> {
        if (key.equals(HandlerConfig.NAME) && value != null && !name.equals(value)) {
          throw new InvalidConfigurationException(key, value, "the name given (" + name + "), or no 'name' at all");
        }
        if (value != null) {
          ConfigKeys.checkUserValue(key, value);
          properties.put(key, ConfigConversion.toConfigValue(key, value, definitions.get(key), null));
        }
      });
    });
    properties.put(HandlerConfig.NAME, name);
    Map<String, Object> asInstance = new LinkedHashMap<>(properties);
    asInstance.put(ConfigurationAdmin.SERVICE_FACTORYPID, kind.kind().pid());
    HandlerConfig expected = validate(kind, pid, asInstance);
    checked(pid, () -> WorkerBudget.check(expected));
    Configuration configuration;
    try {
      configuration = configAdmin.getFactoryConfiguration(kind.kind().pid(), name, "?");
      if (configuration.getProperties() != null) {
        throw new AdminException(AdminException.CONFLICT, "configuration " + configuration.getPid() + " already exists");
      }
      configuration.update(toDictionary(properties));
    } catch (IOException e) {
      throw new AdminException(AdminException.INTERNAL_ERROR, "Config Admin could not store the configuration: " + e,
          Map.of(), e);
    } catch (IllegalArgumentException e) {
      throw AdminException.badRequest("Config Admin refused configuration " + pid + ": " + e.getMessage());
    }
    LOG.info("handler '{}' of kind {} created as configuration {}", name, kindName, configuration.getPid());
    String stored = configuration.getPid();
    if (registry.await(() -> registry.byPid(stored).isPresent(), settings.get().applyTimeout())) {
      return new Outcome(201, views.view(registry.byPid(stored).orElseThrow()));
    }
    return new Outcome(202, HandlerViews.mapOf("name", name, "kind", kindName, "pid", stored, "state", "pending"));
  }

  /** Deletes a factory instance's configuration; a handler on a singleton PID is refused (409). */
  Outcome delete(String name) {
    HandlerEntry entry = registry.require(name);
    String pid = requirePid(entry);
    Configuration configuration = existing(pid);
    if (configuration == null || configuration.getFactoryPid() == null) {
      throw new AdminException(AdminException.CONFLICT, "handler '" + name + "' runs from the singleton configuration "
          + pid + "; only factory instances (made with POST /handlers or handler:create) can be deleted");
    }
    try {
      configuration.delete();
    } catch (IOException e) {
      throw new AdminException(AdminException.INTERNAL_ERROR, "Config Admin could not delete " + pid + ": " + e,
          Map.of(), e);
    }
    LOG.info("handler '{}' deleted: configuration {}", name, pid);
    boolean gone = registry.await(() -> !registry.isTracked(entry), settings.get().applyTimeout());
    return new Outcome(gone ? 200 : 202, HandlerViews.mapOf("deleted", name, "pid", pid));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Runs checks; a rejected key or value becomes a 400 naming the PID, the key and the rule. */
  private static void checked(String pid, Runnable checks) {
    try {
      checks.run();
    } catch (InvalidConfigurationException e) {
      throw AdminException.invalidConfig(e.pid().isPresent() ? e : e.withPid(pid));
    }
  }

  /** Config Admin ignores case: a key stored as {@code max_queue_size} cannot be set as {@code MAX_QUEUE_SIZE}. */
  private static void requireOneSpelling(String key, Map<String, Object> stored) {
    String lower = key.toLowerCase(Locale.ROOT);
    for (String existing : stored.keySet()) {
      if (!existing.equals(key) && existing.toLowerCase(Locale.ROOT).equals(lower)) {
        throw new InvalidConfigurationException(key, key, "one spelling per key: the configuration holds '" + existing
            + "', the same key to Config Admin, which ignores case");
      }
    }
  }

  private String requirePid(HandlerEntry entry) {
    String pid = entry.pid();
    if (pid == null) {
      throw new AdminException(AdminException.CONFLICT, entry + " does not name its configuration PID (service property "
          + Handler.PID_PROPERTY + "), so it cannot be configured here");
    }
    return pid;
  }

  private KindEntry requireKindOf(HandlerEntry entry) {
    return registry.findKind(entry.kind()).orElseThrow(() -> new AdminException(AdminException.CONFLICT,
        "no HandlerKind service for kind '" + entry.kind() + "' of " + entry + ", so changes cannot be checked"));
  }

  private Map<String, AttributeDefinition> definitions(KindEntry kind) {
    return Metatypes.find(metaType.get(), kind).map(Metatypes::attributes).orElse(Map.of());
  }

  private static HandlerConfig validate(KindEntry kind, String pid, Map<String, Object> properties) {
    try {
      return kind.kind().validate(properties);
    } catch (InvalidConfigurationException e) {
      throw AdminException.invalidConfig(e.pid().isPresent() ? e : e.withPid(pid));
    } catch (RuntimeException e) {
      throw new AdminException(AdminException.BAD_REQUEST, "configuration " + pid + " rejected: " + e.getMessage(),
          Map.of(), e);
    }
  }

  private Configuration existing(String pid) {
    try {
      Configuration[] found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "="
          + ConfigKeys.ldapValue(pid) + ")");
      return found == null || found.length == 0 ? null : found[0];
    } catch (IOException | InvalidSyntaxException e) {
      throw new AdminException(AdminException.INTERNAL_ERROR, "Config Admin could not list " + pid + ": " + e,
          Map.of(), e);
    }
  }

  private static Map<String, Object> toMap(Dictionary<String, Object> dictionary) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (dictionary != null) {
      for (Enumeration<String> keys = dictionary.keys(); keys.hasMoreElements();) {
        String key = keys.nextElement();
        map.put(key, dictionary.get(key));
      }
    }
    return map;
  }

  private static Dictionary<String, Object> toDictionary(Map<String, Object> map) {
    Hashtable<String, Object> dictionary = new Hashtable<>();
    map.forEach((key, value) -> {
      if (value != null) {
        dictionary.put(key, value);
      }
    });
    return dictionary;
  }
}
