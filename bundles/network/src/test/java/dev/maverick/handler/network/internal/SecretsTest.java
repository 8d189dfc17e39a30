package dev.maverick.handler.network.internal;

import static dev.maverick.handler.network.internal.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.ds.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth value and the trust store password are sent, and never shown: not in a log line (at
 * DEBUG, verbose), an exception message or stack trace, stats or a configuration's text, even when
 * the server echoes the key back in an error body or a malformed response.
 */
class SecretsTest {
  // a word Jackson quotes whole when it meets it where JSON was expected
  private static final String AUTH = "sk_live_7f3a9c21e5";

  @TempDir Path dir;

  @Test
  void noSecretAppearsAnywhereWhateverFails() throws Exception {
    TlsFixture tls = TlsFixture.create(dir);
    List<String> shown = new ArrayList<>();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try (Handlers handlers = new Handlers(); TestServer http = TestServer.http();
        TestServer https = TestServer.https(tls.serverContext())) {
      String echoKey = "{\"error\": \"invalid key " + AUTH + "\"}";
      http.respond(TestServer.sequence(json(401, echoKey), json(500, echoKey), json(503, AUTH), json(200, "{\"k\": \"" + AUTH),
          json(200, AUTH), json(200, "{\"ok\": \"" + AUTH + "\"}")));
      Map<String, Object> secret = Map.of("auth", AUTH, "verbose", true, "retries", 1, "retry_backoff", 0);
      NetworkHandler handler = handlers.create(http.port(), secret);
      for (int i = 0; i < 4; i++) {
        String item = "call " + i;
        shown.add(failureText(() -> handler.generate(item)));
      }
      // Jackson names the token it could not read: the key itself, masked by the handler
      assertThat(shown.get(3)).contains("HTTP 200 with a body that is not JSON: Unrecognized token '********'");
      handler.generate("succeeds");
      assertThat(http.take().header("x-api-key")).as("the key is sent").isEqualTo(AUTH);

      // threaded path: the core logs the failure with its stack trace
      http.respond(json(500, echoKey));
      handler.feed("fed");
      Eventually.until("the fed item failed", () -> handler.stats().errorCount() == 5);

      Map<String, Object> bearer = new HashMap<>(secret);
      bearer.put("auth_scheme", "Bearer");
      NetworkHandler bearerHandler = handlers.create(http.port(), bearer);
      shown.add(failureText(() -> bearerHandler.generate("bearer")));

      int closed;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closed = probe.getLocalPort();
      }
      NetworkHandler refused = handlers.create(closed, secret);
      shown.add(failureText(() -> refused.generate("refused")));

      https.respond(json(403, echoKey));
      Map<String, Object> overTls = new HashMap<>(secret);
      overTls.putAll(Map.of("scheme", "https", "trust_store", tls.trustStore.toString(),
          "trust_store_password", TlsFixture.TRUST_PASSWORD));
      NetworkHandler tlsHandler = handlers.create(https.port(), overTls);
      shown.add(failureText(() -> tlsHandler.generate("tls")));

      // bad configurations that carry the secrets
      shown.add(failureText(() -> handlers.create(http.port(), Map.of("auth", AUTH + "\r\nX-Injected: 1"))));
      shown.add(failureText(() -> handlers.create(https.port(), Map.of("scheme", "https",
          "trust_store", tls.trustStore.toString(), "trust_store_password", TlsFixture.TRUST_PASSWORD + "-wrong"))));

      for (NetworkHandler h : List.of(handler, bearerHandler, refused, tlsHandler)) {
        shown.add(h.stats().toString());
        shown.add(String.valueOf(h.stats().toMap()));
        shown.add(h.config().toString());
        shown.add(h.settings().toString());
        shown.add(String.valueOf(h.config().toDisplayMap()));
      }
      handler.close();
    } finally {
      System.setErr(original);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    // kept for people to read what the handler logs when everything fails
    java.nio.file.Files.writeString(Path.of("target", "secrets-test.log"), logged);
    shown.add(logged);
    assertThat(logged).as("the test did log the failures").contains("HTTP 401", "retrying", "network call failed");
    for (String text : shown) {
      assertThat(text).doesNotContain(AUTH).doesNotContain(TlsFixture.TRUST_PASSWORD);
    }
    assertThat(String.join("\n", shown)).contains("********");
  }

  private static String failureText(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      return e + "\n" + trace;
    }
    throw new AssertionError("expected a failure");
  }
}
