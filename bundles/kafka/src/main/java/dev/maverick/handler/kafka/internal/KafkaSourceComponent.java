package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.HandlerState;
import dev.maverick.handler.ds.HandlerComponent;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs one {@link KafkaSourceHandler} per factory configuration of {@value KafkaSourceKind#PID},
 * publishes it as a {@code Handler} service and starts it: a source does not wait for a feed.
 *
 * <p>Unlike other handlers, a source does not hand its queued results over to a successor when
 * its bundle is updated: the records behind them are not committed, so the successor's consumer
 * reads them again from Kafka (counted as redelivered), and a result handed over would reach the
 * successor's readers twice.
 */
@Component(immediate = true, service = {}, configurationPid = KafkaSourceKind.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = KafkaSourceConfiguration.class, factory = true)
public final class KafkaSourceComponent extends HandlerComponent<KafkaSourceHandler> {

  /** Validates the configuration, builds the handler, registers it and starts it. */
  @Activate
  public KafkaSourceComponent(BundleContext context, Map<String, Object> properties) {
    super(context, new KafkaSourceKind(), properties, KafkaSourceHandler::new);
    try {
      startIfThreaded();
    } catch (RuntimeException e) {
      service().close(); // a component that fails to activate must leave no service behind
      throw e;
    }
  }

  @Modified
  @Override
  protected void modified(Map<String, Object> properties) {
    if (service().modified(properties)) {
      startIfThreaded();
    }
  }

  /** Closes the source for good: its uncommitted records are read again by whoever consumes next. */
  @Deactivate
  @Override
  protected void deactivate(int reason) {
    service().close();
  }

  private void startIfThreaded() {
    KafkaSourceHandler handler = handler();
    if (handler.config().threaded() && handler.state() == HandlerState.IDLE) {
      handler.start();
    }
  }
}
