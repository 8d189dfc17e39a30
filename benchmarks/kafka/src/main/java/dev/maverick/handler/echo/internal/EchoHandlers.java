package dev.maverick.handler.echo.internal;

import dev.maverick.handler.ArchitectureHandler;
import java.util.Map;

/** Makes the real echo handler for the benchmark, as its DS component does (see KafkaHandlers). */
public final class EchoHandlers {
  private EchoHandlers() {}

  /** An echo handler, not started. */
  public static ArchitectureHandler<Object, Map<String, Object>> echo(Map<String, ?> properties) {
    return new EchoHandler(new EchoKind().validate(properties));
  }
}
