package dev.maverick.handler.network.internal;

import dev.maverick.handler.ds.HandlerService;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs one {@link NetworkHandler} per factory configuration of {@value NetworkKind#PID} and
 * publishes it as a {@code Handler} service. Without configuration nothing runs.
 */
@Component(immediate = true, service = {}, configurationPid = NetworkKind.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = NetworkConfiguration.class, factory = true)
public final class NetworkComponent {
  private final HandlerService<NetworkHandler> service;

  /** Validates the configuration, builds the handler and registers it. */
  @Activate
  public NetworkComponent(BundleContext context, Map<String, Object> properties) {
    service = HandlerService.publish(context, new NetworkKind(), properties, NetworkHandler::new);
  }

  @Modified
  void modified(Map<String, Object> properties) {
    service.modified(properties);
  }

  @Deactivate
  void deactivate(int reason) {
    service.deactivate(reason);
  }
}
