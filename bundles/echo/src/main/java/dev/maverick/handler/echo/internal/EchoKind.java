package dev.maverick.handler.echo.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.ds.ComponentConfigs;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code echo} kind, configured under {@value #PID}: a singleton configuration (the handler
 * is then named {@code echo} unless {@code name} says otherwise) or factory instances, each with
 * its {@code name}.
 */
@Component(service = HandlerKind.class, property = Handler.KIND_PROPERTY + "=" + EchoKind.KIND)
public final class EchoKind implements HandlerKind {
  static final String KIND = "echo";
  static final String PID = "dev.maverick.handler.echo";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String pid() {
    return PID;
  }

  @Override
  public boolean factoryOnly() {
    return false;
  }

  @Override
  public HandlerConfig validate(Map<String, ?> properties) {
    HandlerConfig config = ComponentConfigs.parse(KIND, PID, properties, EchoKind.class.getClassLoader());
    try {
      EchoHandler.delay(config);
    } catch (InvalidConfigurationException e) {
      throw e.withPid(ComponentConfigs.configurationPid(PID, properties));
    }
    return config;
  }
}
