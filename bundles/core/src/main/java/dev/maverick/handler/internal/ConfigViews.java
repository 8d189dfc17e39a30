package dev.maverick.handler.internal;

import dev.maverick.handler.HandlerConfig;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/** How a {@link HandlerConfig} is shown to people, and when two are the same configuration. */
public final class ConfigViews {
  private ConfigViews() {}

  /**
   * The configuration for people: its {@code toMap()} with secrets masked, the callback shown as
   * {@code <code>}, arrays as lists, and the effective values of the keys that default to another
   * ({@code result_queue_size}, the policies).
   */
  public static Map<String, Object> display(HandlerConfig config) {
    Map<String, Object> map = config.toMap();
    map.put(HandlerConfig.RESULT_QUEUE_SIZE, config.resultQueueSize());
    map.put(HandlerConfig.RESULT_OVERFLOW_POLICY, config.resultOverflowPolicy().configValue());
    map.put(HandlerConfig.CALLBACK_OVERFLOW_POLICY, config.callbackOverflowPolicy().configValue());
    map.replaceAll((key, value) -> {
      if (HandlerConfig.isSecretKey(key) && value != null) {
        return HandlerConfig.MASK;
      }
      if (HandlerConfig.GENERATE_RESULTS_CALLBACK.equals(key)) {
        return "<code>";
      }
      return value instanceof Object[] array ? Arrays.asList(array) : value;
    });
    return map;
  }

  /** Whether two configurations' {@code toMap()} forms hold the same keys and values (arrays by content). */
  public static boolean sameForms(Map<String, Object> mine, Map<String, Object> theirs) {
    if (!mine.keySet().equals(theirs.keySet())) {
      return false;
    }
    for (Map.Entry<String, Object> entry : mine.entrySet()) {
      if (!Objects.deepEquals(entry.getValue(), theirs.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
