package dev.maverick.handler.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.InvalidConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Re-pointing, the handler's side (README, "Secrets"): a change of endpoint that keeps the
 * auth value is applied, since a file or a Java caller may mean it, and logged as a WARN naming
 * both endpoints; auth never goes over plain http to a host that is not loopback unless
 * {@code auth_over_http=true}.
 */
class RepointingTest {
  private static final String AUTH = "kept-api-key-42";

  private static Map<String, Object> properties(int port, String path, Map<String, Object> more) {
    Map<String, Object> properties = new HashMap<>(Map.of("name", "net", "host", "127.0.0.1", "port", port,
        "path", path));
    properties.putAll(more);
    return properties;
  }

  @Test
  void anotherEndpointWithTheSameAuthIsAppliedAndWarnedAboutNamingBothEndpoints() throws Exception {
    try (Handlers handlers = new Handlers(); TestServer first = TestServer.http(); TestServer second = TestServer.http()) {
      NetworkHandler handler = handlers.create(first.port(), Map.of("path", "/a", "auth", AUTH));
      handler.generate("to the first");
      assertThat(first.take().header("x-api-key")).isEqualTo(AUTH);

      String logged = logOf(() -> {
        handler.reconfigure(handlers.kind().validate(properties(second.port(), "/b", Map.of("auth", AUTH))));
        return null;
      });

      assertThat(logged).contains("WARN", "[net] now sends the auth it sent to http://127.0.0.1:" + first.port()
          + "/a to http://127.0.0.1:" + second.port() + "/b: the endpoint changed and the secret did not")
          .doesNotContain(AUTH);
      handler.generate("to the second");
      assertThat(second.take().header("x-api-key")).as("a deliberate change works").isEqualTo(AUTH);
    }
  }

  @Test
  void aNewAuthAChangeOfAnotherKeyOrAPathChangeWithoutAuthWarnsNothing() throws Exception {
    try (Handlers handlers = new Handlers(); TestServer first = TestServer.http(); TestServer second = TestServer.http()) {
      NetworkHandler handler = handlers.create(first.port(), Map.of("path", "/a", "auth", AUTH));
      NetworkHandler keyless = handlers.create(first.port(), Map.of("path", "/a"));

      String logged = logOf(() -> {
        handler.reconfigure(handlers.kind().validate(properties(first.port(), "/a", Map.of("auth", AUTH, "retries", 2))));
        handler.reconfigure(handlers.kind().validate(properties(second.port(), "/b", Map.of("auth", "a-new-key"))));
        keyless.reconfigure(handlers.kind().validate(properties(second.port(), "/c", Map.of())));
        return null;
      });

      assertThat(logged).contains("[net] now calls POST http://127.0.0.1:" + second.port() + "/b")
          .doesNotContain("WARN");
      handler.generate("x");
      assertThat(second.take().header("x-api-key")).isEqualTo("a-new-key");
    }
  }

  @Test
  void authGoesOverPlainHttpOnlyToALoopbackHostUnlessTheUserSaysSo() {
    NetworkKind kind = new NetworkKind();
    Map<String, Object> lan = Map.of("name", "net", "host", "faces.lan", "port", 8080, "auth", AUTH);
    assertThatThrownBy(() -> kind.validate(lan)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("configuration dev.maverick.handler.network: invalid value for 'scheme': 'http' (String); allowed: https when auth is set and the host "
            + "(faces.lan) is not a loopback name or address: over http, auth would cross the network in clear text; "
            + "set auth_over_http=true to send it so anyway");
    Map<String, Object> meant = new HashMap<>(lan);
    meant.put("auth_over_http", "true");
    assertThat(NetworkSettings.from(kind.validate(meant)).toDisplayMap()).containsEntry("auth_over_http", true);
  }

  /** What the handlers logged (slf4j-simple writes to System.err) while {@code action} ran. */
  static String logOf(Callable<?> action) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      action.call();
    } finally {
      System.setErr(original);
    }
    return log.toString(StandardCharsets.UTF_8);
  }
}
