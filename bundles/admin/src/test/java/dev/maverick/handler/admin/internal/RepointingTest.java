package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.InvalidConfigurationException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepointingTest {
  private final Map<String, Object> stored = Map.of("name", "vault", "host", "127.0.0.1", "port", 8080, "auth", "k3y");

  @Test
  void keysThatSayWhereAHandlerConnectsAreEndpointKeys() {
    for (String key : new String[] {"host", "port", "scheme", "path", "url", "PORT", "server_url", "bootstrap_servers",
        "control_host", "trust_store", "endpoint"}) {
      assertThat(Repointing.isEndpointKey(key)).as(key).isTrue();
    }
    for (String key : new String[] {"max_queue_size", "auth", "method", "hostname_verification", "retries"}) {
      assertThat(Repointing.isEndpointKey(key)).as(key).isFalse();
    }
  }

  @Test
  void movingAHandlerThatHoldsASecretNeedsTheSecretAgain() {
    assertThatThrownBy(() -> check(Map.of("port", 9090))).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'auth'").hasMessageContaining("port");
    assertThatThrownBy(() -> check(Map.of("host", "thief.example", "auth", "********")))
        .hasMessageContaining("'auth'");
    assertThatCode(() -> check(Map.of("port", 9090, "auth", "k3y"))).doesNotThrowAnyException();
    Map<String, Object> removed = new HashMap<>();
    removed.put("port", 9090);
    removed.put("auth", null);
    assertThatCode(() -> check(removed)).doesNotThrowAnyException();
  }

  @Test
  void otherChangesAndUnchangedEndpointsNeedNoSecret() {
    assertThatCode(() -> check(Map.of("max_queue_size", 4))).doesNotThrowAnyException();
    assertThatCode(() -> check(Map.of("port", 8080))).doesNotThrowAnyException();
    Map<String, Object> noSecret = new LinkedHashMap<>(stored);
    noSecret.remove("auth");
    Map<String, Object> merged = new LinkedHashMap<>(noSecret);
    merged.put("port", 1);
    assertThatCode(() -> Repointing.check(noSecret, Map.of("port", 1), merged)).doesNotThrowAnyException();
  }

  private void check(Map<String, ?> changes) {
    Map<String, Object> merged = new LinkedHashMap<>(stored);
    changes.forEach((key, value) -> {
      if (value == null) {
        merged.remove(key);
      } else if (!"********".equals(value)) {
        merged.put(key, value);
      }
    });
    Repointing.check(stored, changes, merged);
  }
}
