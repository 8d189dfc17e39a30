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

  // ---- a secret is masked before anything is cut short -------------------------------------------

  /** 32 characters; no 4 of its first characters occur in anything else the handler says. */
  private static final String LONG_KEY = "sk_live_Q7zX9wK2mP4vR8tY6uN3bH5j";
  /** A key that JSON, URLs, HTML and Base64 each write differently. */
  private static final String ODD_KEY = "Zq\"7/+ <&W'k_w9x";

  @Test
  void aSecretEchoedAcrossEveryCutShowsNotEvenItsBeginningOnEitherPath() throws Exception {
    List<String> shown = new ArrayList<>();
    List<String> echoes = new ArrayList<>();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try (Handlers handlers = new Handlers(); TestServer server = TestServer.http()) {
      Map<String, Object> settings = Map.of("verbose", true, "retries", 1, "retry_backoff", 0);
      for (String key : List.of(LONG_KEY, ODD_KEY)) {
        Map<String, Object> withKey = new HashMap<>(settings);
        withKey.put("auth", key);
        if (key.equals(ODD_KEY)) {
          withKey.put("auth_scheme", "Bearer"); // sent as "Authorization: Bearer <key>"
        }
        NetworkHandler handler = handlers.create(server.port(), withKey);
        List<Answer> answers = echoing(key);
        for (Answer answer : answers) {
          echoes.add(answer.body() + " " + answer.location());
          server.respond(answer.responder());
          shown.add(failureText(() -> handler.generate("direct")));
          shown.add(shownBy(handler));
          long errors = handler.stats().errorCount();
          handler.feed("fed");
          Eventually.until("the fed item failed", () -> handler.stats().errorCount() == errors + 1);
          shown.add(shownBy(handler));
        }
        assertThat(handler.stats().errorCount()).isEqualTo(2L * answers.size());
        handler.close();
        shown.add(shownBy(handler));
      }
    } finally {
      System.setErr(original);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    java.nio.file.Files.writeString(Path.of("target", "secrets-cut-test.log"), logged);
    assertThat(logged).as("failures were logged").contains("HTTP 401", "HTTP 503", "retrying", "processing an item failed");
    shown.add(logged);
    String all = String.join("\n", shown);
    assertThat(all).as("the texts shown do say what the server answered").contains("HTTP 400", "HTTP 302", "Location:",
        "********", "with a body that is not JSON");
    for (String key : List.of(LONG_KEY, ODD_KEY)) {
      List<String> forms = forms(key);
      for (String form : forms) {
        String beginning = form.substring(0, 4);
        assertThat(echoes.stream().anyMatch(echo -> echo.contains(form))).as("the server echoed %s", form).isTrue();
        for (String text : shown) {
          assertThat(text).as("the beginning of %s", form).doesNotContain(beginning);
        }
      }
    }
  }

  /** Everything the handler shows about itself: stats as text and map, its details (last_error), its settings. */
  private static String shownBy(NetworkHandler handler) {
    return handler.stats() + "\n" + handler.stats().toMap() + "\n" + handler.stats().details() + "\n"
        + handler.settings() + "\n" + handler.config().toDisplayMap();
  }

  /** The key as a server may echo it: itself, JSON-escaped, URL-encoded, HTML-escaped, Base64. */
  private static List<String> forms(String key) {
    java.util.LinkedHashSet<String> forms = new java.util.LinkedHashSet<>();
    forms.add(key);
    forms.add(key.replace("\\", "\\\\").replace("\"", "\\\""));
    forms.add(java.net.URLEncoder.encode(key, StandardCharsets.UTF_8));
    forms.add(key.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#39;"));
    forms.add(java.util.Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)));
    return List.copyOf(forms);
  }

  /** One scripted answer: a status, a body and, for a 3xx, a Location. */
  private record Answer(int status, String body, String location) {
    TestServer.Responder responder() {
      return (exchange, number) -> {
        if (location != null) {
          exchange.getResponseHeaders().set("Location", location);
        }
        TestServer.send(exchange, status, body, false);
      };
    }
  }

  /**
   * Answers that echo the key, in each of its forms, at the very start of an error body, repeated,
   * across the 200-character cut (starting 6, 4, 2 and 0 characters before it), across the 2 KiB
   * read limit, behind multi-byte characters, in a Location header across its cut, and inside a
   * long token that the JSON parser cuts in its message (at 256 characters).
   */
  private static List<Answer> echoing(String key) {
    List<Answer> answers = new ArrayList<>();
    int[] statuses = {401, 503, 400, 500};
    int n = 0;
    for (String form : forms(key)) {
      int status = statuses[n++ % statuses.length];
      answers.add(new Answer(status, form + " is not a valid key", null));
      answers.add(new Answer(status, (form + " ").repeat(20), null));
      answers.add(new Answer(status, "{\"error\": \"invalid key\", \"key\": \"" + form + "\"}", null));
      for (int before : new int[] {6, 4, 2, 0}) {
        answers.add(new Answer(status, "e".repeat(200 - before) + form + " trailing", null));
      }
      answers.add(new Answer(status, "\u00e9".repeat(98) + "\u20ac" + form, null)); // 2-byte and 3-byte characters
      answers.add(new Answer(status, "f".repeat(2048 - 3) + form, null));
    }
    answers.add(new Answer(302, "", "http://elsewhere.example/" + "l".repeat(150) + "?key=" + key));
    answers.add(new Answer(200, "{\"k\": " + "t".repeat(250) + key + "}", null));
    answers.add(new Answer(200, key + "t".repeat(300), null));
    answers.add(new Answer(200, "{\"detail\": \"" + key, null));
    return answers;
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
