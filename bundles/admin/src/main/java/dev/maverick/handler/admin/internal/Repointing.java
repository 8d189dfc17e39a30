package dev.maverick.handler.admin.internal;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A handler that holds a secret sends it where it connects, so a change of where it connects must
 * carry the secret again: otherwise anyone who may change a port could have the stored secret sent
 * to a server of theirs. Keys that say where a handler connects are {@code host}, {@code port},
 * {@code scheme}, {@code path}, {@code url}, {@code uri}, {@code endpoint}, {@code address},
 * {@code trust_store} and keys ending in {@code _host}, {@code _port}, {@code _url}, {@code _uri},
 * {@code _endpoint}, {@code _address}, {@code _server} or {@code _servers} (a broker list).
 */
final class Repointing {
  private static final Set<String> ENDPOINT_KEYS = Set.of(HandlerConfig.HOST, HandlerConfig.PORT, "scheme", "path",
      "url", "uri", "endpoint", "address", "trust_store");
  private static final List<String> ENDPOINT_SUFFIXES = List.of("_host", "_port", "_url", "_uri", "_endpoint",
      "_address", "_server", "_servers");

  private Repointing() {}

  /** True for a key that says where a handler connects. */
  static boolean isEndpointKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return ENDPOINT_KEYS.contains(lower) || ENDPOINT_SUFFIXES.stream().anyMatch(lower::endsWith);
  }

  /**
   * Checks a change against the stored configuration.
   *
   * @param stored the configuration stored now
   * @param changes the keys the request sets (a secret's mask means "keep it")
   * @param merged the configuration the change would store
   * @throws InvalidConfigurationException naming the first secret not given again
   */
  static void check(Map<String, Object> stored, Map<String, ?> changes, Map<String, Object> merged) {
    List<String> moved = new ArrayList<>();
    for (String key : changes.keySet()) {
      if (isEndpointKey(key) && !same(stored.get(key), merged.get(key))) {
        moved.add(key);
      }
    }
    if (moved.isEmpty()) {
      return;
    }
    for (Map.Entry<String, Object> held : stored.entrySet()) {
      String key = held.getKey();
      if (HandlerConfig.isSecretKey(key) && isSet(held.getValue()) && !givenAgain(changes, key)) {
        throw InvalidConfigurationException.missing(key, "the secret again in the same change: " + String.join(", ", moved)
            + (moved.size() == 1 ? " changes" : " change") + " where the handler connects, and the stored secret is "
            + "not sent to a new place unless it is given again (or removed with null)");
      }
    }
  }

  private static boolean givenAgain(Map<String, ?> changes, String key) {
    return changes.containsKey(key) && !HandlerConfig.MASK.equals(changes.get(key));
  }

  private static boolean isSet(Object value) {
    return value != null && !(value instanceof String text && text.isEmpty());
  }

  private static boolean same(Object before, Object after) {
    return Arrays.deepToString(new Object[] {before}).equals(Arrays.deepToString(new Object[] {after}));
  }
}
