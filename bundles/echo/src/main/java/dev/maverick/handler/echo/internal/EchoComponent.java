package dev.maverick.handler.echo.internal;

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
 * Runs one {@link EchoHandler} per configuration and publishes it as a {@code Handler} service:
 * one named {@code echo} with no configuration or with the singleton configuration, and one per
 * factory configuration of {@value EchoKind#PID}.
 */
@Component(immediate = true, service = {}, configurationPid = EchoKind.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EchoConfiguration.class)
public final class EchoComponent {
  private final HandlerService<EchoHandler> service;

  /** Validates the configuration, builds the handler and registers it. */
  @Activate
  public EchoComponent(BundleContext context, Map<String, Object> properties) {
    service = HandlerService.publish(context, new EchoKind(), properties, EchoHandler::new);
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
