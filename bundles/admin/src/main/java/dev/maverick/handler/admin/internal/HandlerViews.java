package dev.maverick.handler.admin.internal;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.Handler;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.osgi.service.metatype.MetaTypeService;

/**
 * Handlers and kinds as every front end shows them: configuration with secrets masked and the
 * framework's keys left out; stats, last errors and rejected changes with the handler's secrets
 * masked before anything is cut short ({@link Redaction}).
 */
final class HandlerViews {
  private final HandlerRegistry registry;
  private final Supplier<MetaTypeService> metaType;
  private final Supplier<AdminSettings> settings;
  private final ToIntFunction<HandlerEntry> resultWaits;

  HandlerViews(HandlerRegistry registry, Supplier<MetaTypeService> metaType, Supplier<AdminSettings> settings,
      ToIntFunction<HandlerEntry> resultWaits) {
    this.registry = registry;
    this.metaType = metaType;
    this.settings = settings;
    this.resultWaits = resultWaits;
  }

  /**
   * A handler as the API shows it: name, kind, pid, factory, state, config, config_error, stats,
   * and result_waits (requests waiting for its result now).
   */
  Map<String, Object> view(HandlerEntry entry) {
    Handler<Object, Object> handler = entry.handler();
    Redaction redaction = redaction(entry);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", entry.name());
    view.put("kind", entry.kind());
    view.put("pid", entry.pid());
    view.put("factory", isFactoryInstance(entry));
    view.put("state", handler.state().name().toLowerCase(Locale.ROOT));
    view.put("config", displayConfig(handler));
    view.put("config_error", redaction.mask(entry.configError()));
    view.put("stats", redaction.maskAll(handler.stats().toMap()));
    view.put("result_waits", resultWaits.applyAsInt(entry));
    return view;
  }

  /** What masks a handler's secrets (and the admin token) in what is shown of it. */
  Redaction redaction(HandlerEntry entry) {
    return Redaction.of(entry.handler(), settings.get().adminToken());
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
    shown.keySet().removeIf(ConfigKeys::isFrameworkKey);
    return shown;
  }

  /** A kind as the API shows it, with its metatype when there is one (for forms). */
  Map<String, Object> view(KindEntry entry) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("kind", entry.name());
    view.put("pid", entry.kind().pid());
    view.put("factory_only", entry.kind().factoryOnly());
    view.put("handlers", registry.handlers().stream().filter(h -> h.kind().equals(entry.name()))
        .map(HandlerEntry::name).toList());
    view.put("metatype", Metatypes.find(metaType.get(), entry).map(Metatypes::describe).orElse(null));
    return view;
  }

  private boolean isFactoryInstance(HandlerEntry entry) {
    String pid = entry.pid();
    if (pid == null) {
      return false;
    }
    return registry.findKind(entry.kind()).map(kind -> !kind.kind().pid().equals(pid)).orElse(pid.contains("~"));
  }

  /** A map that, unlike {@link Map#of}, takes null values. */
  static Map<String, Object> mapOf(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
