package dev.maverick.handler.admin.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerClosedException;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.QueueFullException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every front end (shell, HTTP, web page, JMX, health checks) does with handlers, in one
 * place, so that they always agree. Handlers and kinds are found in the service registry;
 * configuration is read and changed only through Config Admin, and a change is checked with the
 * kind's {@link HandlerKind#validate} before anything is stored.
 */
@Component(service = HandlerAdmin.class, configurationPid = AdminConfig.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AdminConfig.class)
public final class HandlerAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerAdmin.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String NAME_RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

  private final BundleContext context;
  private final ConfigurationAdmin configAdmin;
  private final ServiceTracker<Object, HandlerEntry> handlers;
  private final ServiceTracker<HandlerKind, KindEntry> kinds;
  private final List<HandlerListener> listeners = new CopyOnWriteArrayList<>();
  /**
   * The handlers, kept here rather than read from the tracker: the tracker records an entry only
   * after its customizer returns, and waiters woken from the customizer must already see it.
   */
  private final Map<ServiceReference<?>, HandlerEntry> tracked = new ConcurrentHashMap<>();
  /** Bumped on every handler service event; waits watch it instead of sleeping. */
  private final AtomicLong version = new AtomicLong();
  private final Object versionLock = new Object();
  private volatile AdminSettings settings = AdminSettings.DEFAULTS;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  private volatile MetaTypeService metaType;

  /** Checks the admin's configuration and starts tracking handlers and kinds. */
  @Activate
  public HandlerAdmin(BundleContext context, @Reference ConfigurationAdmin configAdmin, AdminConfig config) {
    this.context = context;
    this.configAdmin = configAdmin;
    configure(config);
    this.kinds = new ServiceTracker<>(context, HandlerKind.class, new KindTracking());
    this.handlers = new ServiceTracker<>(context, Handler.class.getName(), new HandlerTracking());
    kinds.open();
    handlers.open();
  }

  @Modified
  void modified(AdminConfig config) {
    configure(config);
  }

  private void configure(AdminConfig config) {
    try {
      settings = AdminSettings.from(config);
    } catch (InvalidConfigurationException e) {
      LOG.error("{}; the admin keeps its previous settings", e.getMessage());
      return;
    }
    LOG.debug("admin settings: {}", settings);
  }

  @Deactivate
  void deactivate() {
    handlers.close();
    kinds.close();
  }

  /** The admin's settings in force. */
  AdminSettings settings() {
    return settings;
  }

  // ---- finding handlers and kinds --------------------------------------------------------------

  /** Every handler, by name. */
  List<HandlerEntry> handlers() {
    List<HandlerEntry> all = new ArrayList<>(tracked.values());
    all.sort(Comparator.comparing(HandlerEntry::name));
    return all;
  }

  Optional<HandlerEntry> find(String name) {
    return tracked.values().stream().filter(entry -> entry.name().equals(name)).findFirst();
  }

  /** The handler of that name, or a 404 that lists the names there are. */
  HandlerEntry require(String name) {
    return find(name).orElseThrow(() -> AdminException.notFound("no handler named '" + name + "'; handlers: "
        + names(handlers().stream().map(HandlerEntry::name).toList())));
  }

  /** Every kind, by name. */
  List<KindEntry> kinds() {
    List<KindEntry> all = new ArrayList<>(kinds.getTracked().values());
    all.sort(Comparator.comparing(KindEntry::name));
    return all;
  }

  Optional<KindEntry> findKind(String kind) {
    return kinds.getTracked().values().stream().filter(entry -> entry.name().equals(kind)).findFirst();
  }

  /** Registers a listener and tells it of every handler there is already. */
  void addListener(HandlerListener listener) {
    listeners.add(listener);
    tracked.values().forEach(listener::added);
  }

  void removeListener(HandlerListener listener) {
    listeners.remove(listener);
  }

  // ---- views ------------------------------------------------------------------------------------

  /** A handler as the API shows it: name, kind, pid, factory, state, config (secrets masked), stats. */
  Map<String, Object> view(HandlerEntry entry) {
    Handler<Object, Object> handler = entry.handler();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", entry.name());
    view.put("kind", entry.kind());
    view.put("pid", entry.pid());
    view.put("factory", isFactoryInstance(entry));
    view.put("state", handler.state().name().toLowerCase(Locale.ROOT));
    view.put("config", displayConfig(handler));
    view.put("config_error", entry.configError());
    view.put("stats", handler.stats().toMap());
    return view;
  }

  /**
   * A handler's configuration for people: secrets masked, and without the keys DS adds to every
   * component's properties ({@code osgi.ds.satisfying.condition.target}), which are no one's setting.
   */
  static Map<String, Object> displayConfig(Handler<?, ?> handler) {
    return withoutFrameworkKeys(handler.config().toDisplayMap());
  }

  static Map<String, Object> withoutFrameworkKeys(Map<String, Object> config) {
    Map<String, Object> shown = new LinkedHashMap<>(config);
    shown.keySet().removeIf(HandlerAdmin::isFrameworkKey);
    return shown;
  }

  /** Keys the framework, Config Admin, DS or FileInstall own. */
  static boolean isFrameworkKey(String key) {
    return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("osgi.")
        || key.startsWith("felix.fileinstall.") || key.startsWith("handler.") || key.startsWith(".")
        || key.equals(Constants.OBJECTCLASS);
  }

  /** A kind as the API shows it, with its metatype when there is one (for forms). */
  Map<String, Object> view(KindEntry entry) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("kind", entry.name());
    view.put("pid", entry.kind().pid());
    view.put("factory_only", entry.kind().factoryOnly());
    view.put("handlers", handlers().stream().filter(h -> h.kind().equals(entry.name())).map(HandlerEntry::name).toList());
    view.put("metatype", Metatypes.find(metaType, entry).map(Metatypes::describe).orElse(null));
    return view;
  }

  private boolean isFactoryInstance(HandlerEntry entry) {
    String pid = entry.pid();
    if (pid == null) {
      return false;
    }
    return findKind(entry.kind()).map(kind -> !kind.kind().pid().equals(pid)).orElse(pid.contains("~"));
  }

  // ---- items -----------------------------------------------------------------------------------

  /** The outcome of a feed: accepted, or dropped with the reason the handler recorded. */
  record FeedOutcome(boolean accepted, String reason) {}

  /** Feeds an item. A full queue under the {@code fail} policy is a 503. */
  FeedOutcome feed(String name, Object item, Map<String, ?> extra) {
    Handler<Object, Object> handler = require(name).handler();
    try {
      if (handler.feed(item, extra)) {
        return new FeedOutcome(true, null);
      }
      return new FeedOutcome(false, handler.stats().lastDrop().orElse("dropped"));
    } catch (QueueFullException e) {
      throw new AdminException(AdminException.UNAVAILABLE, e.getMessage());
    }
  }

  /** Runs an item through the handler on the caller's thread. A bad item is a 400. */
  Object generate(String name, Object item, Map<String, ?> extra) {
    Handler<Object, Object> handler = require(name).handler();
    try {
      return handler.generate(item, extra);
    } catch (InvalidItemException e) {
      throw new AdminException(AdminException.BAD_REQUEST, e.getMessage(), Map.of(), e);
    } catch (HandlerClosedException e) {
      throw new AdminException(AdminException.UNAVAILABLE, e.getMessage(), Map.of(), e);
    } catch (ClassCastException e) {
      throw new AdminException(AdminException.BAD_REQUEST,
          "handler '" + name + "' cannot take an item of type " + typeOf(item) + ": " + e.getMessage(), Map.of(), e);
    } catch (RuntimeException e) {
      throw new AdminException(AdminException.INTERNAL_ERROR, "handler '" + name + "' failed to generate: " + e,
          Map.of(), e);
    }
  }

  /**
   * Takes the next result, waiting up to {@code timeout} (at most {@code max_result_timeout}).
   *
   * @return empty on timeout
   */
  Optional<Object> result(String name, Duration timeout) {
    Handler<Object, Object> handler = require(name).handler();
    Duration max = settings.maxResultTimeout();
    if (timeout.isNegative() || timeout.compareTo(max) > 0) {
      throw AdminException.badRequest("invalid timeout " + seconds(timeout) + "; allowed: a number of seconds from 0 to "
          + seconds(max) + " (max_result_timeout)");
    }
    return handler.getResult(timeout);
  }

  // ---- configuration ---------------------------------------------------------------------------

  /** The result of a write: 200 when the handler applied it, 201 created, 202 when not seen yet. */
  record Outcome(int status, Map<String, Object> body) {}

  /**
   * Changes some keys of a handler's configuration: merges them into its Config Admin
   * configuration, checks the result with the kind's {@code validate} (400 and nothing stored on a
   * bad value), stores it, and waits up to {@code apply_timeout} for the handler to apply it.
   *
   * @param changes keys to set; a {@code null} value removes a key (back to its default); the mask
   *     sent back for a secret keeps the stored secret
   * @return the configuration in force, secrets masked
   */
  Outcome updateConfig(String name, Map<String, ?> changes) {
    HandlerEntry entry = require(name);
    String pid = requirePid(entry);
    KindEntry kind = requireKindOf(entry);
    Configuration configuration = existingConfiguration(pid);
    Map<String, Object> merged = configuration == null ? new LinkedHashMap<>() : toMap(configuration.getProperties());
    Map<String, AttributeDefinition> definitions = definitions(kind);
    changes.forEach((key, value) -> {
      requireUserKey(key);
      if (value == null) {
        merged.remove(key);
      } else if (!(HandlerConfig.isSecretKey(key) && HandlerConfig.MASK.equals(value))) {
        merged.put(key, convert(key, value, definitions.get(key), merged.get(key)));
      }
    });
    HandlerConfig expected = validate(kind, pid, merged);
    String newName = expected.name().orElse(entry.name());
    if (!newName.equals(entry.name()) && find(newName).isPresent()) {
      throw new AdminException(AdminException.BAD_REQUEST, "invalid value for 'name': '" + newName
          + "'; allowed: a name no other handler has", Map.of("key", HandlerConfig.NAME, "value", newName,
          "allowed", "a name no other handler has"), null);
    }
    long before = entry.modifications();
    try {
      if (configuration == null) {
        configuration = configAdmin.getConfiguration(pid, "?");
      }
      if (!configuration.updateIfDifferent(toDictionary(merged))) {
        return new Outcome(200, displayConfig(entry.handler()));
      }
    } catch (IOException e) {
      throw new AdminException(AdminException.INTERNAL_ERROR, "Config Admin could not store " + pid + ": " + e,
          Map.of(), e);
    }
    LOG.info("configuration {} of handler '{}' changed: keys {}", pid, name, changes.keySet());
    boolean seen = await(() -> current(entry, pid).map(now -> now != entry || entry.modifications() > before)
        .orElse(false));
    Optional<HandlerEntry> now = current(entry, pid);
    if (!seen || now.isEmpty()) {
      return new Outcome(202, withoutFrameworkKeys(expected.toDisplayMap()));
    }
    if (now.get().configError() != null) {
      throw new AdminException(AdminException.CONFLICT, now.get().configError());
    }
    return new Outcome(200, displayConfig(now.get().handler()));
  }

  /**
   * Creates a factory instance of a kind: a named factory configuration, PID
   * {@code <kind pid>~<name>}, the same one FileInstall makes of a file {@code <kind pid>-<name>.cfg}.
   */
  Outcome create(String kindName, String name, Map<String, ?> config) {
    if (kindName == null || kindName.isBlank()) {
      throw AdminException.badRequest("missing 'kind'; kinds: " + names(kinds().stream().map(KindEntry::name).toList()));
    }
    KindEntry kind = findKind(kindName).orElseThrow(() -> AdminException.badRequest("unknown kind '" + kindName
        + "'; kinds: " + names(kinds().stream().map(KindEntry::name).toList())));
    if (name == null || !NAME.matcher(name).matches()) {
      throw new AdminException(AdminException.BAD_REQUEST, "invalid value for 'name': "
          + (name == null ? "none given" : "'" + name + "'") + "; allowed: " + NAME_RULE,
          mapOf("key", HandlerConfig.NAME, "value", name, "allowed", NAME_RULE), null);
    }
    if (find(name).isPresent()) {
      throw new AdminException(AdminException.CONFLICT, "a handler named '" + name + "' already exists");
    }
    Map<String, AttributeDefinition> definitions = definitions(kind);
    Map<String, Object> properties = new LinkedHashMap<>();
    config.forEach((key, value) -> {
      requireUserKey(key);
      if (key.equals(HandlerConfig.NAME) && value != null && !name.equals(value)) {
        throw AdminException.badRequest("the config's 'name' (" + value + ") differs from the name given (" + name + ")");
      }
      if (value != null) {
        properties.put(key, convert(key, value, definitions.get(key), null));
      }
    });
    properties.put(HandlerConfig.NAME, name);
    Map<String, Object> asInstance = new LinkedHashMap<>(properties);
    asInstance.put(ConfigurationAdmin.SERVICE_FACTORYPID, kind.kind().pid());
    validate(kind, kind.kind().pid() + "~" + name, asInstance);
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
    }
    String pid = configuration.getPid();
    LOG.info("handler '{}' of kind {} created as configuration {}", name, kindName, pid);
    if (await(() -> byPid(pid).isPresent())) {
      return new Outcome(201, view(byPid(pid).orElseThrow()));
    }
    return new Outcome(202, mapOf("name", name, "kind", kindName, "pid", pid, "state", "pending"));
  }

  /** Deletes a factory instance's configuration; a handler on a singleton PID is refused (409). */
  Outcome delete(String name) {
    HandlerEntry entry = require(name);
    String pid = requirePid(entry);
    Configuration configuration = existingConfiguration(pid);
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
    boolean gone = await(() -> !tracked.containsKey(entry.reference()));
    return new Outcome(gone ? 200 : 202, mapOf("deleted", name, "pid", pid));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private String requirePid(HandlerEntry entry) {
    String pid = entry.pid();
    if (pid == null) {
      throw new AdminException(AdminException.CONFLICT, entry + " does not name its configuration PID (service property "
          + HandlerEntry.PID_PROPERTY + "), so it cannot be configured here");
    }
    return pid;
  }

  private KindEntry requireKindOf(HandlerEntry entry) {
    return findKind(entry.kind()).orElseThrow(() -> new AdminException(AdminException.CONFLICT,
        "no HandlerKind service for kind '" + entry.kind() + "' of " + entry + ", so changes cannot be checked"));
  }

  private Map<String, AttributeDefinition> definitions(KindEntry kind) {
    return Metatypes.find(metaType, kind).map(Metatypes::attributes).orElse(Map.of());
  }

  private static Object convert(String key, Object value, AttributeDefinition definition, Object existing) {
    try {
      return ConfigConversion.toConfigValue(key, value, definition, existing);
    } catch (InvalidConfigurationException e) {
      throw AdminException.invalidConfig(e);
    }
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

  /** Keys the framework, Config Admin, DS or FileInstall own may not be set from outside. */
  private static void requireUserKey(String key) {
    if (key == null || key.isBlank() || isFrameworkKey(key)) {
      throw new AdminException(AdminException.BAD_REQUEST, "key '" + key
          + "' cannot be set here; allowed: the handler's own keys (the framework, Config Admin, DS and FileInstall "
          + "manage service.*, component.*, osgi.*, felix.fileinstall.*, handler.*)",
          mapOf("key", key, "value", null, "allowed", "the handler's own configuration keys"), null);
    }
  }

  private Configuration existingConfiguration(String pid) {
    try {
      Configuration[] found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
      return found == null || found.length == 0 ? null : found[0];
    } catch (IOException | InvalidSyntaxException e) {
      throw new AdminException(AdminException.INTERNAL_ERROR, "Config Admin could not list " + pid + ": " + e,
          Map.of(), e);
    }
  }

  private Optional<HandlerEntry> byPid(String pid) {
    return tracked.values().stream().filter(entry -> pid.equals(entry.pid())).findFirst();
  }

  /** The handler now serving the PID: the same entry, or a new one if its component was re-created. */
  private Optional<HandlerEntry> current(HandlerEntry entry, String pid) {
    return tracked.containsKey(entry.reference()) ? Optional.of(entry) : byPid(pid);
  }

  /** Waits up to {@code apply_timeout} for a condition on the handler services, woken by their events. */
  private boolean await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + settings.applyTimeout().toNanos();
    while (true) {
      long seen = version.get();
      if (condition.getAsBoolean()) {
        return true;
      }
      synchronized (versionLock) {
        while (version.get() == seen) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          try {
            versionLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }
    }
  }

  private void changed() {
    synchronized (versionLock) {
      version.incrementAndGet();
      versionLock.notifyAll();
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

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
  }

  private static String names(List<String> names) {
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }

  static String seconds(Duration duration) {
    return String.valueOf(duration.toMillis() / 1000.0);
  }

  private static String typeOf(Object item) {
    return item == null ? "null" : item.getClass().getName();
  }

  /** A map that, unlike {@link Map#of}, takes null values. */
  static Map<String, Object> mapOf(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private void tell(java.util.function.Consumer<HandlerListener> event) {
    for (HandlerListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException | LinkageError e) {
        // never let a listener keep a handler from being tracked
        LOG.warn("a handler listener failed: {}", e.toString(), e);
      }
    }
  }

  private final class HandlerTracking implements ServiceTrackerCustomizer<Object, HandlerEntry> {
    @Override
    @SuppressWarnings("unchecked")
    public HandlerEntry addingService(ServiceReference<Object> reference) {
      Object service = context.getService(reference);
      if (!(service instanceof Handler<?, ?>)) {
        if (service != null) {
          context.ungetService(reference);
        }
        return null;
      }
      HandlerEntry entry = new HandlerEntry(reference, (Handler<Object, Object>) service);
      tracked.put(reference, entry);
      tell(listener -> listener.added(entry));
      changed();
      return entry;
    }

    @Override
    public void modifiedService(ServiceReference<Object> reference, HandlerEntry entry) {
      entry.propertiesModified();
      tell(listener -> listener.modified(entry));
      changed();
    }

    @Override
    public void removedService(ServiceReference<Object> reference, HandlerEntry entry) {
      tracked.remove(reference);
      tell(listener -> listener.removed(entry));
      context.ungetService(reference);
      changed();
    }
  }

  private final class KindTracking implements ServiceTrackerCustomizer<HandlerKind, KindEntry> {
    @Override
    public KindEntry addingService(ServiceReference<HandlerKind> reference) {
      HandlerKind kind = context.getService(reference);
      return kind == null ? null : new KindEntry(reference, kind);
    }

    @Override
    public void modifiedService(ServiceReference<HandlerKind> reference, KindEntry entry) {
      // nothing cached
    }

    @Override
    public void removedService(ServiceReference<HandlerKind> reference, KindEntry entry) {
      context.ungetService(reference);
    }
  }
}
