package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.ds.HandlerComponent;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs one {@link KafkaSinkHandler} per factory configuration of {@value KafkaSinkKind#PID} and
 * publishes it as a {@code Handler} service. Without configuration nothing runs.
 */
@Component(immediate = true, service = {}, configurationPid = KafkaSinkKind.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = KafkaSinkConfiguration.class, factory = true)
public final class KafkaSinkComponent extends HandlerComponent<KafkaSinkHandler> {

  /** Validates the configuration, builds the handler and registers it. */
  @Activate
  public KafkaSinkComponent(BundleContext context, Map<String, Object> properties) {
    super(context, new KafkaSinkKind(), properties, KafkaSinkHandler::new);
  }
}
