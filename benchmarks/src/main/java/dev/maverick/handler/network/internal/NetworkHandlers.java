package dev.maverick.handler.network.internal;

import dev.maverick.handler.ArchitectureHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes real network handlers for the benchmarks the way the DS component does: the properties
 * are checked by {@link NetworkKind#validate} and given to the handler's constructor.
 *
 * <p>This class lives in the benchmarks module under the bundle's internal package name so that
 * it can reach the package-private constructor. That works only because the benchmarks run on a
 * plain class path, where a package may come from two jars; in OSGi it would not (and nothing
 * here ships).
 */
public final class NetworkHandlers implements AutoCloseable {
  private final NetworkKind kind = new NetworkKind();
  private final List<NetworkHandler> made = new ArrayList<>();

  /** A network handler, not started, configured with {@code properties} (name, host, port...). */
  public ArchitectureHandler<Object, Object> create(Map<String, ?> properties) {
    NetworkHandler handler = new NetworkHandler(kind.validate(properties));
    made.add(handler);
    return handler;
  }

  /** Closes every handler made here (closing twice is harmless). */
  @Override
  public void close() {
    made.forEach(NetworkHandler::close);
  }
}
