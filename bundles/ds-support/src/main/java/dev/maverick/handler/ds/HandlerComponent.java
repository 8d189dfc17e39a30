package dev.maverick.handler.ds;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import java.util.Map;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * The body every handler component shares: its constructor validates the configuration, builds
 * the handler and publishes it ({@link HandlerService}); {@code @Modified} reconfigures it in
 * place or keeps the last good configuration; {@code @Deactivate} hands its work over or drains
 * it, as the DS reason calls for. The concrete class carries {@code @Component}, {@code @Designate}
 * and an {@code @Activate} constructor; bnd finds the inherited lifecycle methods with
 * {@code -dsannotations-options: inherit}.
 *
 * @param <H> the handler type
 */
public abstract class HandlerComponent<H extends ArchitectureHandler<?, ?>> {
  private final HandlerService<H> service;

  /** Validates, builds and publishes the handler; see {@link HandlerService#publish}. */
  protected HandlerComponent(BundleContext context, HandlerKind kind, Map<String, ?> properties,
      Function<HandlerConfig, H> constructor) {
    this.service = HandlerService.publish(context, kind, properties, constructor);
  }

  /** The published handler. */
  protected final H handler() {
    return service.handler();
  }

  /** The publication, for a component that must undo a half-done activation. */
  protected final HandlerService<H> service() {
    return service;
  }

  /** Applies changed properties, or keeps the last good configuration. */
  @Modified
  protected void modified(Map<String, Object> properties) {
    service.modified(properties);
  }

  /** Hands the queued work over to a successor, or drains it, as the DS reason calls for. */
  @Deactivate
  protected void deactivate(int reason) {
    service.deactivate(reason);
  }
}
