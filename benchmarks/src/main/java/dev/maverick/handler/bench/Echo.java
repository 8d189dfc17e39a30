package dev.maverick.handler.bench;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import java.util.Map;

/**
 * The work every benchmark does, handler and baseline alike: the seed's {@code EchoHandler},
 * {@code {"echo": item, "meta": extra}}. One small map per item, the same on both sides, so that a
 * ratio compares the machinery around the work and not two different works.
 */
public final class Echo {

  private Echo() {}

  /** The echo's work: the seed's {@code generate_results}. */
  public static Map<String, Object> work(Object item, Map<String, ?> extra) {
    return Map.of("echo", item, "meta", extra);
  }

  /** The item a result was made from. */
  public static Object itemOf(Object result) {
    return ((Map<?, ?>) result).get("echo");
  }

  /** The seed's EchoHandler, as a plain subclass of the core's base class. */
  public static final class Handler extends ArchitectureHandler<Object, Map<String, Object>> {

    public Handler(HandlerConfig config) {
      super(config);
    }

    @Override
    protected Map<String, Object> generateResults(Object item, Map<String, ?> extra) {
      return work(item, extra);
    }
  }
}
