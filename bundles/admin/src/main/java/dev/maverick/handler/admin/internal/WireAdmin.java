package dev.maverick.handler.admin.internal;

import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireValidator;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The wires' part of the admin: the {@link Wire} services in the registry ({@link WireRegistry}),
 * their views, and changes through Config Admin checked by the wire bundle's {@link WireValidator}
 * ({@link WireChanges}). Active only while the wire bundle runs (it references the validator, which
 * only that bundle registers), so that the admin never loads the wire API without it; the HTTP
 * door and the shell reach it as a {@link WireApi}, JMX and health checks as this class.
 */
@Component(service = {WireApi.class, WireAdmin.class})
public final class WireAdmin implements WireApi {
  private final WireRegistry registry;
  private final WireViews views;
  private final WireChanges changes;

  @Activate
  public WireAdmin(BundleContext context, @Reference HandlerAdmin admin, @Reference ConfigurationAdmin configAdmin,
      @Reference WireValidator validator) {
    this.registry = new WireRegistry(context);
    this.views = new WireViews(admin::settings);
    this.changes = new WireChanges(configAdmin, validator, registry, views, admin::settings);
    registry.open();
  }

  @Deactivate
  void deactivate() {
    registry.close();
  }

  WireRegistry registry() {
    return registry;
  }

  WireViews views() {
    return views;
  }

  @Override
  public List<Map<String, Object>> wires() {
    return registry.wires().stream().map(views::view).toList();
  }

  @Override
  public Map<String, Object> wire(String name) {
    return views.view(registry.require(name));
  }

  @Override
  public ConfigChanges.Outcome create(Map<String, ?> properties) {
    return changes.create(properties);
  }

  @Override
  public ConfigChanges.Outcome update(String name, Map<String, ?> keys) {
    return changes.update(name, keys);
  }

  @Override
  public ConfigChanges.Outcome delete(String name) {
    return changes.delete(name);
  }

  @Override
  public String metrics() {
    return WireMetrics.format(registry.wires().stream().map(entry -> new WireMetrics.Snapshot(entry.name(),
        entry.wire().from(), entry.wire().state(), entry.wire().ledger())).toList());
  }
}
