package dev.maverick.handler.stt.internal;

import dev.maverick.handler.HandlerState;
import dev.maverick.handler.ds.HandlerService;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs a {@link SpeechToTextHandler} per configuration (the singleton {@value SttKind#PID}, or
 * one per factory configuration of that PID, or one with the defaults when there is none) and
 * publishes it as a {@code Handler} service with {@code handler.kind=stt}.
 */
@Component(immediate = true, service = {}, configurationPid = SttKind.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SttConfiguration.class, factory = true)
public final class SttComponent {
  private final HandlerService<SpeechToTextHandler> service;

  /** Validates the configuration, builds the handler, registers it and starts its threads. */
  @Activate
  public SttComponent(BundleContext context, Map<String, Object> properties, @Reference SttModels models) {
    service = HandlerService.publish(context, new SttKind(), properties,
        config -> new SpeechToTextHandler(config, models.library()));
    try {
      startIfThreaded();
    } catch (RuntimeException e) {
      service.close(); // a component that fails to activate must leave no service behind
      throw e;
    }
  }

  @Modified
  void modified(Map<String, Object> properties) {
    if (service.modified(properties)) {
      startIfThreaded();
    }
  }

  @Deactivate
  void deactivate(int reason) {
    service.deactivate(reason);
  }

  /** A producer must not wait for a first feed: start workers and source with the component. */
  private void startIfThreaded() {
    SpeechToTextHandler handler = service.handler();
    if (handler.config().threaded() && handler.state() == HandlerState.IDLE) {
      handler.start();
    }
  }
}
