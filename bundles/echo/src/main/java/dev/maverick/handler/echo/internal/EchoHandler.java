package dev.maverick.handler.echo.internal;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's {@code EchoHandler}: the result of an item is {@code {"echo": item, "meta": extra}}.
 * {@code delay_ms} makes each item take that long, so that demos and load tests can simulate work
 * (queues filling, overflow policies, slow shutdowns) without a real server.
 */
final class EchoHandler extends ArchitectureHandler<Object, Map<String, Object>> {
  /** Key: milliseconds each item takes (default 0). */
  static final String DELAY_MS = "delay_ms";
  /** The longest delay_ms: an hour, which is longer than any demo and still a finite wait. */
  static final int MAX_DELAY_MS = 3_600_000;

  private volatile Duration delay;

  EchoHandler(HandlerConfig config) {
    super(config);
    this.delay = delay(config);
  }

  /**
   * Reads {@code delay_ms} from a configuration.
   *
   * @throws dev.maverick.handler.InvalidConfigurationException naming the key, the value and the range
   */
  static Duration delay(HandlerConfig config) {
    return Duration.ofMillis(config.intValue(DELAY_MS, 0, 0, MAX_DELAY_MS));
  }

  /** The echo handler's own keys with their effective values. */
  static Map<String, Object> ownSettings(HandlerConfig config) {
    return Map.of(DELAY_MS, delay(config).toMillis());
  }

  @Override
  protected Map<String, Object> generateResults(Object item, Map<String, ?> extra) {
    Duration work = delay;
    if (!work.isZero()) {
      try {
        Thread.sleep(work.toMillis());
      } catch (InterruptedException e) {
        // the simulated work is cut short (close() gave up waiting); the item is still echoed
        Thread.currentThread().interrupt();
      }
    }
    Map<String, Object> result = new LinkedHashMap<>(4);
    result.put("echo", item);
    result.put("meta", extra);
    return Collections.unmodifiableMap(result);
  }

  @Override
  protected void configurationChanged(HandlerConfig previous, HandlerConfig current) {
    // already validated by EchoKind before the core applied it
    delay = delay(current);
  }

  @Override
  protected Map<String, Object> statsDetails() {
    return Map.of(DELAY_MS, delay.toMillis());
  }
}
