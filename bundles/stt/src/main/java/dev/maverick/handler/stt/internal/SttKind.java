package dev.maverick.handler.stt.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.ds.ComponentConfigs;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code stt} kind, configured under {@value #PID}: singleton or factory configurations, each
 * checked for the core's keys and the handler's own ({@link SttSettings}).
 */
@Component(service = HandlerKind.class, property = Handler.KIND_PROPERTY + "=" + SpeechToTextHandler.KIND)
public final class SttKind implements HandlerKind {
  /** The configuration PID, and the factory PID of instances. */
  public static final String PID = "dev.maverick.handler.stt";

  @Override
  public String kind() {
    return SpeechToTextHandler.KIND;
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
    HandlerConfig config = ComponentConfigs.parse(SpeechToTextHandler.KIND, PID, properties,
        SttKind.class.getClassLoader());
    try {
      SttSettings.from(config);
    } catch (InvalidConfigurationException e) {
      throw e.withPid(ComponentConfigs.configurationPid(PID, properties));
    }
    return config;
  }
}
