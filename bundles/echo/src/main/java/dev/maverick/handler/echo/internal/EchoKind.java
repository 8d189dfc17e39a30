package dev.maverick.handler.echo.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.ds.AbstractHandlerKind;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code echo} kind, configured under {@value #PID}: a singleton configuration (the handler
 * is then named {@code echo} unless {@code name} says otherwise) or factory instances, each with
 * its {@code name}.
 */
@Component(service = HandlerKind.class, property = Handler.KIND_PROPERTY + "=" + EchoKind.KIND)
public final class EchoKind extends AbstractHandlerKind {
  static final String KIND = "echo";
  static final String PID = "dev.maverick.handler.echo";

  /** The echo kind. */
  public EchoKind() {
    super(KIND, PID, false);
  }

  @Override
  protected void checkOwnKeys(HandlerConfig config) {
    EchoHandler.delay(config);
  }
}
