package dev.maverick.handler.itest.admin;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.JsonServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What a user may store through the admin (issue 9): one key rule for every door (HTTP create and
 * change, the shell), framework keys in any case, one spelling per key, no file syntax in keys, no
 * {@code ${} in values, no non-finite number; re-pointing a handler that holds a secret needs the
 * secret again; and a secret cut short by an error excerpt is still masked. Every refusal is a 400
 * (the shell: an IllegalArgumentException) naming the key, and stores nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdminKeysIT {
  private static final String NETWORK_PID = "dev.maverick.handler.network";
  /** A secret with no common word in it, so that any piece of it found in a page is a leak. */
  private static final String AUTH = "Zq9vKx7Wm2Lp4Rt8";

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject CommandProcessor processor;

  private Http http;

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.admin("127.0.0.1"), bundleOf("network"));
  }

  @Before
  public void up() throws Exception {
    Await.service(context, Handler.class, "(handler.name=upper)");
    http = new Http(context).awaitUp();
    AdminHttpIT.configureAdmin(configAdmin, Map.of());
  }

  @Test
  public void frameworkKeysInAnyCaseAreRefused() throws Exception {
    for (String key : List.of("Felix.FileInstall.Filename", "felix.fileinstall.filename", "Service.Pid",
        "SERVICE.FACTORYPID", "Component.Name", "OBJECTCLASS", "Osgi.Ds.Satisfying.Condition.Target")) {
      Http.Answer create = http.post("/handlers", Map.of("kind", "lower", "name", "framework-victim",
          "config", Map.of(key, "file:///tmp/maverick-overwritten")));
      assertKeyRefused(create, key);
      assertNull(key, configAdmin.listConfigurations("(service.pid=" + AdminHttpIT.LOWER_PID + "~framework-victim)"));
      assertKeyRefused(http.put("/handlers/upper/config", Map.of(key, "x")), key);
    }
    assertNull("upper's configuration was never stored", configAdmin.listConfigurations(
        "(service.pid=" + AdminHttpIT.UPPER_PID + ")"));
  }

  @Test
  public void aSecondSpellingOfAKeyIsA400NotA500() throws Exception {
    try {
      assertEquals(200, http.put("/handlers/upper/config", Map.of("max_queue_size", 5)).status());
      assertKeyRefused(http.put("/handlers/upper/config", Map.of("MAX_QUEUE_SIZE", 7)), "MAX_QUEUE_SIZE");
      assertKeyRefused(http.put("/handlers/upper/config", "{\"Verbose\": true, \"verbose\": false}"), "verbose");
      assertEquals("5", String.valueOf(configAdmin.getConfiguration(AdminHttpIT.UPPER_PID, "?").getProperties()
          .get("max_queue_size")));
      assertKeyRefused(http.post("/handlers", "{\"kind\": \"lower\", \"name\": \"two-spellings\", "
          + "\"config\": {\"max_queue_size\": 3, \"Max_Queue_Size\": 4}}"), "Max_Queue_Size");
    } finally {
      configAdmin.getConfiguration(AdminHttpIT.UPPER_PID, "?").delete();
    }
  }

  @Test
  public void keysWithFileSyntaxOrControlsAreRefused() throws Exception {
    for (String key : List.of("note\nmax_queue_size", "note\r\nverbose = true", "#comment", "!comment", "a\\b",
        "a:Integer", "a=b", " padded", "", "x".repeat(129), "café")) {
      Map<String, Object> config = new HashMap<>();
      config.put(key, "7");
      assertKeyRefused(http.post("/handlers", Map.of("kind", "lower", "name", "syntax-victim", "config", config)), key);
      assertKeyRefused(http.put("/handlers/upper/config", config), key);
    }
    assertEquals(404, http.get("/handlers/syntax-victim").status());
    assertNull(configAdmin.listConfigurations("(service.pid=" + AdminHttpIT.UPPER_PID + ")"));
  }

  @Test
  public void interpolationAndNonFiniteNumbersAreRefusedInValues() throws Exception {
    assertKeyRefused(http.put("/handlers/upper/config", Map.of("note", "${auth}")), "note");
    assertKeyRefused(http.put("/handlers/upper/config", Map.of("note", List.of("ok", "${env:HOME}"))), "note");
    assertKeyRefused(http.post("/handlers", Map.of("kind", "lower", "name", "interpolated",
        "config", Map.of("note", "$${java.home}"))), "note");
    for (String number : List.of("1e999", "-1e999")) {
      AdminHttpIT.assertError(http.put("/handlers/upper/config", "{\"note\": " + number + "}"), 400, "finite");
      AdminHttpIT.assertError(http.put("/handlers/upper/config", "{\"shutdown_timeout\": " + number + "}"), 400, "finite");
    }
    assertNull(configAdmin.listConfigurations("(service.pid=" + AdminHttpIT.UPPER_PID + ")"));
    assertEquals(404, http.get("/handlers/interpolated").status());
  }

  @Test
  public void aKeyTheKindDoesNotDeclareIsA400WithTheNearestKnownKey() throws Exception {
    Http.Answer typo = http.post("/handlers", Map.of("kind", "lower", "name", "typo", "config",
        Map.of("max_queue_szie", 8)));
    assertKeyRefused(typo, "max_queue_szie");
    assertTrue(typo.toString(), typo.json().get("error").asText().contains("max_queue_size"));
    assertEquals(404, http.get("/handlers/typo").status());
  }

  @Test
  public void resultsHeldByOneReaderAreA409NamingIt() throws Exception {
    @SuppressWarnings("unchecked")
    Handler<Object, Object> upper = Await.service(context, Handler.class, "(handler.name=upper)");
    try (var reader = upper.claimResults("wire 'test'")) {
      AdminHttpIT.assertError(http.get("/handlers/upper/result"), 409, "wire 'test'");
      AdminHttpIT.assertError(http.get("/handlers/upper/result?timeout=1"), 409, "wire 'test'");
    }
    assertEquals(204, http.get("/handlers/upper/result").status());
  }

  @Test
  public void theShellFollowsTheSameKeyRule() throws Exception {
    CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      // single quotes: Gogo itself would expand ${auth}
      for (String command : List.of("handler:config upper Service.Pid=x", "handler:config upper MAX_QUEUE_SIZE=3 max_queue_size=4",
          "handler:config upper 'note=${auth}'", "handler:create lower shell-victim Felix.FileInstall.Filename=file:///tmp/x",
          "handler:config upper 'a:b=1'", "handler:config upper shutdown_timeout=NaN")) {
        try {
          session.execute(command);
          fail(command + " should be refused");
        } catch (IllegalArgumentException expected) {
          assertTrue(command + ": " + expected.getMessage(), expected.getMessage().contains("invalid value for"));
        }
      }
    } finally {
      session.close();
    }
    assertNull(configAdmin.listConfigurations("(service.pid=" + AdminHttpIT.UPPER_PID + ")"));
    assertEquals(404, http.get("/handlers/shell-victim").status());
  }

  @Test
  public void repointingAHandlerThatHoldsASecretNeedsTheSecretAgain() throws Exception {
    try (JsonServer home = JsonServer.start(); JsonServer thief = JsonServer.start()) {
      Http.Answer created = http.post("/handlers", Map.of("kind", "network", "name", "vault",
          "config", Map.of("host", "127.0.0.1", "port", home.port(), "auth", AUTH)));
      assertEquals(created.toString(), 201, created.status());
      try {
        for (Map<String, Object> repoint : List.<Map<String, Object>>of(Map.of("port", thief.port()),
            Map.of("host", "localhost"), Map.of("path", "/steal"), Map.of("scheme", "https"),
            Map.of("port", thief.port(), "auth", "********"))) {
          Http.Answer refused = http.put("/handlers/vault/config", repoint);
          AdminHttpIT.assertError(refused, 400, "auth");
          assertEquals(repoint.toString(), "auth", refused.json().get("key").asText());
        }
        assertEquals("a key that does not say where it connects needs no secret", 200,
            http.put("/handlers/vault/config", Map.of("max_queue_size", 4)).status());
        assertEquals(200, http.post("/handlers/vault/generate", Map.of("item", "ping")).status());
        assertEquals("the secret still goes home", AUTH, home.take().header("x-api-key"));
        assertEquals("and never to the thief", 0, thief.requestCount());

        Http.Answer moved = http.put("/handlers/vault/config", Map.of("port", thief.port(), "auth", "new-key"));
        assertEquals("with the secret given again, the move is allowed: " + moved, 200, moved.status());
        Dictionary<String, Object> stored = configAdmin.listConfigurations(
            "(service.pid=" + NETWORK_PID + "~vault)")[0].getProperties();
        assertEquals(thief.port(), ((Number) stored.get("port")).intValue());
        assertEquals("new-key", stored.get("auth"));
      } finally {
        http.delete("/handlers/vault");
      }
    }
  }

  @Test
  public void aSecretCutShortByAnErrorExcerptIsStillMasked() throws Exception {
    try (JsonServer server = JsonServer.start()) {
      Http.Answer created = http.post("/handlers", Map.of("kind", "network", "name", "cut",
          "config", Map.of("host", "127.0.0.1", "port", server.port(), "auth", AUTH)));
      assertEquals(created.toString(), 201, created.status());
      try {
        // the server echoes the key so that the 200-character excerpt of its answer ends inside it
        server.respond(401, "{\"error\": \"" + "x".repeat(186) + AUTH + "\"}");
        Http.Answer failed = http.post("/handlers/cut/generate", Map.of("item", "frame"));
        assertEquals(failed.toString(), 500, failed.status());
        assertFalse("the failure shows a piece of the secret: " + failed, failed.body().contains(AUTH.substring(0, 2)));
        Await.until("the error is in the stats",
            () -> http.get("/handlers/cut").json().get("stats").get("details").toString().contains("401"));
        for (String path : List.of("/handlers", "/handlers/cut", "/metrics")) {
          String shown = http.get(path).body();
          for (int length = 2; length <= AUTH.length(); length++) {
            assertFalse(path + " shows the first " + length + " characters of the secret: " + shown,
                shown.contains(AUTH.substring(0, length)));
          }
        }
        JsonNode details = http.get("/handlers/cut").json().get("stats").get("details");
        assertTrue(details.toString(), details.toString().contains("********"));
      } finally {
        http.delete("/handlers/cut");
      }
    }
  }

  private static void assertKeyRefused(Http.Answer answer, String key) {
    assertEquals(key + ": " + answer, 400, answer.status());
    JsonNode body = answer.json();
    assertEquals(answer.toString(), key, body.get("key").asText());
    assertTrue(answer.toString(), body.get("error").asText().contains("invalid value for"));
  }
}
