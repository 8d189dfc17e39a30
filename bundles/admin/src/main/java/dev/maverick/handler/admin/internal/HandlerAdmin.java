package dev.maverick.handler.admin.internal;

import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.WorkerBudget;
import org.osgi.framework.BundleContext;
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
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every front end (shell, HTTP, web page, JMX, health checks) does with handlers, in one
 * place, so that they always agree: the admin's settings, and the parts that act on them. Handlers
 * and kinds are found in the service registry ({@link HandlerRegistry}); configuration is changed
 * only through Config Admin, and checked with the kind's {@link HandlerKind#validate} first
 * ({@link ConfigChanges}); items go through {@link ItemCalls}; what is shown goes through
 * {@link HandlerViews}; JSON through this component's own {@link JsonCodec}.
 */
@Component(service = HandlerAdmin.class, configurationPid = AdminConfig.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AdminConfig.class)
public final class HandlerAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerAdmin.class);

  private final HandlerRegistry registry;
  private final JsonCodec json = new JsonCodec();
  private final HandlerViews views;
  private final ConfigChanges configs;
  private final ItemCalls items;
  private volatile AdminSettings settings = AdminSettings.DEFAULTS;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  private volatile MetaTypeService metaType;

  /** Checks the admin's configuration and starts tracking handlers and kinds. */
  @Activate
  public HandlerAdmin(BundleContext context, @Reference ConfigurationAdmin configAdmin, AdminConfig config) {
    configure(config);
    this.registry = new HandlerRegistry(context);
    this.items = new ItemCalls(registry, this::settings);
    this.views = new HandlerViews(registry, () -> metaType, this::settings, items::waitingFor);
    this.configs = new ConfigChanges(configAdmin, registry, () -> metaType, this::settings, views);
    // an updated or removed handler bundle must not stay reachable through cached serializers
    registry.addListener(new HandlerListener() {
      @Override
      public void added(HandlerEntry entry) {
        // nothing cached yet
      }

      @Override
      public void modified(HandlerEntry entry) {
        // the same classes
      }

      @Override
      public void removed(HandlerEntry entry) {
        json.forgetClasses();
      }
    });
    registry.open();
  }

  @Modified
  void modified(AdminConfig config) {
    configure(config);
  }

  private void configure(AdminConfig config) {
    AdminSettings checked;
    try {
      checked = AdminSettings.from(config);
    } catch (InvalidConfigurationException e) {
      LOG.error("{}; the admin keeps its previous settings", e.getMessage());
      return;
    }
    settings = checked;
    // the runtime-wide cap lives in the core; this configuration only sets it, or puts back the start value
    WorkerBudget.setLimit(checked.maxTotalWorkerThreads().orElse(startLimit()));
    LOG.debug("admin settings: {}", checked);
  }

  /** The limit the core read at start: the system property, or its default. */
  private static int startLimit() {
    Integer limit = Integer.getInteger(WorkerBudget.LIMIT_PROPERTY);
    return limit != null && limit >= 1 ? limit : WorkerBudget.DEFAULT_LIMIT;
  }

  @Deactivate
  void deactivate() {
    registry.close();
  }

  /** The admin's settings in force. */
  AdminSettings settings() {
    return settings;
  }

  HandlerRegistry registry() {
    return registry;
  }

  HandlerViews views() {
    return views;
  }

  ConfigChanges configs() {
    return configs;
  }

  ItemCalls items() {
    return items;
  }

  JsonCodec json() {
    return json;
  }
}
