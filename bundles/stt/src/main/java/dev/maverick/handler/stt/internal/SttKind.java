package dev.maverick.handler.stt.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.ds.AbstractHandlerKind;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code stt} kind, configured under {@value #PID}: singleton or factory configurations, each
 * checked for the core's keys and the handler's own ({@link SttSettings}).
 */
@Component(service = HandlerKind.class, property = Handler.KIND_PROPERTY + "=" + SpeechToTextHandler.KIND)
public final class SttKind extends AbstractHandlerKind {
  /** The configuration PID, and the factory PID of instances. */
  public static final String PID = "dev.maverick.handler.stt";

  private final SttJson json = new SttJson();

  /** The stt kind. */
  public SttKind() {
    super(SpeechToTextHandler.KIND, PID, false);
  }

  /**
   * Checks the handler's own keys, and that a {@code realtimestt} handler's server is not used by
   * another handler of this runtime (see {@link ServerClaims}).
   */
  @Override
  protected void checkOwnKeys(HandlerConfig config) {
    SttSettings settings = SttSettings.from(config, json);
    if (settings.engine() == SttSettings.Engine.REALTIMESTT && config.name().isPresent()) {
      ServerClaims.check(config.name().get(), settings.realtime());
    }
  }
}
