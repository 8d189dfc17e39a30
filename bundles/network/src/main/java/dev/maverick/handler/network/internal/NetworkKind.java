package dev.maverick.handler.network.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.ds.AbstractHandlerKind;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code network} kind: factory configurations of {@value #PID}, one handler per endpoint,
 * each with its {@code name} and {@code host}. A singleton configuration of that PID is rejected.
 */
@Component(service = HandlerKind.class, property = Handler.KIND_PROPERTY + "=" + NetworkKind.KIND)
public final class NetworkKind extends AbstractHandlerKind {
  static final String KIND = "network";
  static final String PID = "dev.maverick.handler.network";

  /** The network kind: factory instances only. */
  public NetworkKind() {
    super(KIND, PID, true);
  }

  @Override
  protected Map<String, Object> defaults() {
    return Map.of(HandlerConfig.NETWORK_TIMEOUT, NetworkSettings.DEFAULT_TIMEOUT_SECONDS);
  }

  /** The network keys: {@code host} (required), scheme, path, auth, retries, trust store, limits. */
  @Override
  protected void checkOwnKeys(HandlerConfig config) {
    NetworkSettings.from(config);
  }
}
