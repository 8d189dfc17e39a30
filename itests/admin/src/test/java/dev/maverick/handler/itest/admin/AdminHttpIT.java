package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.inject.Inject;
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

/** Every endpoint of the HTTP JSON API, its errors and the token rule, against the real bundles in Felix. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdminHttpIT {
  static final String UPPER_PID = "dev.maverick.handler.itest.upper";
  static final String LOWER_PID = "dev.maverick.handler.itest.lower";
  static final String ADMIN_PID = "dev.maverick.handler.admin";

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  private Http http;

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.admin("127.0.0.1"));
  }

  @Before
  public void up() throws Exception {
    Await.service(context, Handler.class, "(handler.name=upper)");
    http = new Http(context).awaitUp();
    // a slow machine may take seconds to start a handler: let writes wait for it rather than answer 202
    configureAdmin(configAdmin, Map.of());
    drain(http, "upper");
  }

  /** Sets the admin's configuration: these keys, with a long apply_timeout. */
  static org.osgi.service.cm.Configuration configureAdmin(ConfigurationAdmin configAdmin, Map<String, Object> keys)
      throws Exception {
    org.osgi.service.cm.Configuration admin = configAdmin.getConfiguration(ADMIN_PID, "?");
    Hashtable<String, Object> properties = new Hashtable<>(keys);
    properties.put("apply_timeout", 60.0);
    admin.updateIfDifferent(properties);
    return admin;
  }

  /** Takes every result a handler holds, so that a test sees only its own. */
  static void drain(Http http, String handler) {
    while (http.get("/handlers/" + handler + "/result").status() == 200) {
      // taken
    }
  }

  @Test
  public void listAndGetShowNameKindStateConfigAndStats() {
    Http.Answer list = http.get("/handlers");
    assertEquals(200, list.status());
    assertTrue(list.header("Content-Type").startsWith("application/json"));
    JsonNode upper = find(list.json(), "upper");
    assertNotNull("upper listed: " + list, upper);
    assertEquals("upper", upper.get("kind").asText());
    assertEquals(UPPER_PID, upper.get("pid").asText());
    assertFalse(upper.get("factory").asBoolean());
    assertTrue(upper.get("state").asText().matches("idle|running"));
    assertEquals(128, upper.get("config").get("max_queue_size").asInt());
    assertEquals("java.lang.String", upper.get("config").get("expected_type").asText());
    assertTrue(upper.get("stats").has("processed_count"));
    assertTrue(upper.get("stats").has("dropped_by_reason"));

    Http.Answer one = http.get("/handlers/upper");
    assertEquals(200, one.status());
    assertEquals("upper", one.json().get("name").asText());

    Http.Answer missing = http.get("/handlers/nope");
    assertEquals(404, missing.status());
    assertTrue(missing.json().get("error").asText(), missing.json().get("error").asText().contains("no handler named 'nope'"));
    assertTrue("the error lists the handlers there are", missing.json().get("error").asText().contains("upper"));
  }

  @Test
  public void feedQueuesAnItemAndResultTakesItsResult() {
    Http.Answer fed = http.post("/handlers/upper/feed", Map.of("item", "hello", "extra", Map.of("lang", "en")));
    assertEquals(fed.toString(), 200, fed.status());
    assertTrue(fed.json().get("accepted").asBoolean());
    Http.Answer result = http.get("/handlers/upper/result?timeout=20");
    assertEquals(result.toString(), 200, result.status());
    assertEquals("HELLO", result.json().get("result").asText());

    Http.Answer none = http.get("/handlers/upper/result?timeout=0.05");
    assertEquals("204 when no result arrives in time", 204, none.status());
    assertEquals("", none.body());
    assertEquals("no timeout means do not wait", 204, http.get("/handlers/upper/result").status());
  }

  @Test
  public void aDroppedItemIsReportedWithItsReason() {
    // upper's expected_type is java.lang.String: a number does not fit
    Http.Answer fed = http.post("/handlers/upper/feed", Map.of("item", 42));
    assertEquals(200, fed.status());
    assertFalse(fed.json().get("accepted").asBoolean());
    assertTrue(fed.toString(), fed.json().get("reason").asText().startsWith("invalid"));
  }

  @Test
  public void generateRunsDirectlyAndABadItemIsA400() {
    Http.Answer generated = http.post("/handlers/upper/generate", Map.of("item", "direct"));
    assertEquals(generated.toString(), 200, generated.status());
    assertEquals("DIRECT", generated.json().get("result").asText());

    Http.Answer wrongType = http.post("/handlers/upper/generate", Map.of("item", List.of(1, 2)));
    assertEquals(wrongType.toString(), 400, wrongType.status());
    assertTrue(wrongType.toString(), wrongType.json().get("error").asText().contains("String"));
  }

  @Test
  public void badRequestsAre400WithAClearMessage() {
    assertError(http.post("/handlers/upper/feed", Map.of("extra", Map.of())), 400, "missing 'item'");
    assertError(http.post("/handlers/upper/feed", Map.of("item", "x", "extra", List.of())), 400, "'extra' must be a JSON object");
    assertError(http.post("/handlers/upper/feed", "{\"item\": "), 400, "malformed JSON");
    assertError(http.post("/handlers/upper/feed", "[1,2]"), 400, "expected a JSON object");
    assertError(http.post("/handlers/upper/feed", ""), 400, "empty body");
    assertError(http.get("/handlers/upper/result?timeout=-1"), 400, "invalid timeout");
    assertError(http.get("/handlers/upper/result?timeout=soon"), 400, "invalid timeout");
    assertError(http.get("/handlers/upper/result?timeout=3600"), 400, "max_result_timeout");
    assertError(http.post("/handlers/nope/feed", Map.of("item", "x")), 404, "no handler named 'nope'");
  }

  @Test
  public void unknownPathsAre404AndWrongMethods405() {
    assertError(http.get("/nothing/here"), 404, "resources:");
    assertError(http.get("/handlers/upper/nothing"), 404, "no resource");
    Http.Answer wrong = http.delete("/metrics");
    assertError(wrong, 405, "not allowed");
    assertEquals("GET", wrong.header("Allow"));
    Http.Answer put = http.put("/handlers/upper", Map.of());
    assertEquals(405, put.status());
    assertEquals("GET, DELETE", put.header("Allow"));
    assertEquals(405, http.get("/handlers/upper/feed").status());
  }

  @Test
  public void writesNeedAJsonContentType() {
    Http.Answer form = http.send("POST", "/handlers/upper/feed", "item=x",
        Map.of("Content-Type", "application/x-www-form-urlencoded"));
    assertError(form, 415, "application/json");
  }

  @Test
  public void bodiesOverTheLimitAre413AndNothingIsFed() throws Exception {
    configureAdmin(configAdmin, Map.of("max_body_bytes", 1000));
    try {
      Await.until("the body limit applies", () -> http.post("/handlers/upper/feed",
          Map.of("item", "x".repeat(2000))).status() == 413);
      long fed = http.get("/handlers/upper").json().get("stats").get("fed_count").asLong();
      Http.Answer large = http.post("/handlers/upper/feed", Map.of("item", "y".repeat(5000)));
      assertError(large, 413, "over the limit of 1000 bytes");
      assertEquals(200, http.post("/handlers/upper/feed", Map.of("item", "small")).status());
      assertEquals("only the small item was fed", fed + 1,
          http.get("/handlers/upper").json().get("stats").get("fed_count").asLong());
    } finally {
      configureAdmin(configAdmin, Map.of());
    }
  }

  @Test
  public void putConfigChangesConfigAdminAndTheLiveHandler() throws Exception {
    Http.Answer before = http.get("/handlers/upper");
    long id = before.json().get("stats").get("created_at").asLong();
    try {
      Http.Answer changed = http.put("/handlers/upper/config", Map.of("max_queue_size", 7, "verbose", true));
      assertEquals(changed.toString(), 200, changed.status());
      assertEquals(7, changed.json().get("max_queue_size").asInt());
      assertTrue(changed.json().get("verbose").asBoolean());
      // stored in Config Admin, which is what files and the shell see
      org.osgi.service.cm.Configuration stored = configAdmin.getConfiguration(UPPER_PID, "?");
      assertEquals("7", String.valueOf(stored.getProperties().get("max_queue_size")));
      // the same handler, reconfigured in place
      JsonNode after = http.get("/handlers/upper").json();
      assertEquals(7, after.get("stats").get("input_queue_capacity").asInt());
      assertEquals(id, after.get("stats").get("created_at").asLong());
      assertEquals(7, http.get("/handlers/upper/config").json().get("max_queue_size").asInt());

      // null removes a key: back to its default
      Map<String, Object> reset = new java.util.HashMap<>();
      reset.put("max_queue_size", null);
      Http.Answer defaulted = http.put("/handlers/upper/config", reset);
      assertEquals(defaulted.toString(), 200, defaulted.status());
      assertEquals(128, defaulted.json().get("max_queue_size").asInt());
    } finally {
      configAdmin.getConfiguration(UPPER_PID, "?").delete();
    }
  }

  @Test
  public void aBadConfigValueIsA400WithKeyValueAndRuleAndNothingIsApplied() throws Exception {
    try {
      assertEquals(200, http.put("/handlers/upper/config", Map.of("max_queue_size", 9)).status());
      Http.Answer bad = http.put("/handlers/upper/config", Map.of("max_queue_size", 11, "overflow_policy", "sometimes"));
      assertEquals(bad.toString(), 400, bad.status());
      JsonNode error = bad.json();
      assertEquals("overflow_policy", error.get("key").asText());
      assertTrue(error.toString(), error.get("value").asText().contains("sometimes"));
      assertTrue(error.toString(), error.get("allowed").asText().contains("drop_newest"));
      assertTrue(error.toString(), error.get("error").asText().contains(UPPER_PID));
      // nothing applied: neither key, not even the good one
      assertEquals("9", String.valueOf(configAdmin.getConfiguration(UPPER_PID, "?").getProperties().get("max_queue_size")));
      assertEquals(9, http.get("/handlers/upper").json().get("stats").get("input_queue_capacity").asInt());
      assertFalse(http.get("/handlers/upper").json().get("config").has("overflow_policy")
          && "sometimes".equals(http.get("/handlers/upper").json().get("config").get("overflow_policy").asText()));

      Http.Answer negative = http.put("/handlers/upper/config", Map.of("max_queue_size", -3));
      assertEquals(400, negative.status());
      assertEquals("max_queue_size", negative.json().get("key").asText());

      assertError(http.put("/handlers/upper/config", Map.of("service.pid", "x")), 400, "belong to the framework");
      assertError(http.put("/handlers/upper/config", "[]"), 400, "expected a JSON object");
      assertError(http.put("/handlers/upper/config", Map.of("max_queue_size", Map.of("a", 1))), 400, "max_queue_size");
    } finally {
      configAdmin.getConfiguration(UPPER_PID, "?").delete();
    }
  }

  @Test
  public void createAndDeleteAFactoryInstance() throws Exception {
    Http.Answer created = http.post("/handlers", Map.of("kind", "lower", "name", "low-http",
        "config", Map.of("max_queue_size", 16)));
    assertEquals(created.toString(), 201, created.status());
    assertEquals("/handlers/low-http", created.header("Location"));
    assertEquals(LOWER_PID + "~low-http", created.json().get("pid").asText());
    assertTrue(created.json().get("factory").asBoolean());
    assertEquals(16, created.json().get("config").get("max_queue_size").asInt());
    // a named factory configuration in Config Admin: what FileInstall makes of <pid>-low-http.cfg
    org.osgi.service.cm.Configuration[] stored = configAdmin.listConfigurations(
        "(service.pid=" + LOWER_PID + "~low-http)");
    assertNotNull(stored);
    assertEquals(LOWER_PID, stored[0].getFactoryPid());
    assertEquals("low-http", stored[0].getProperties().get("name"));
    // and it works
    assertEquals("shout", http.post("/handlers/low-http/generate", Map.of("item", "SHOUT")).json().get("result").asText());

    assertError(http.post("/handlers", Map.of("kind", "lower", "name", "low-http")), 409, "already exists");
    assertError(http.post("/handlers", Map.of("kind", "lower", "name", "upper")), 409, "already exists");
    assertError(http.post("/handlers", Map.of("kind", "sideways", "name", "x")), 400, "unknown kind 'sideways'");
    assertError(http.post("/handlers", Map.of("name", "x")), 400, "missing 'kind'");
    assertError(http.post("/handlers", Map.of("kind", "lower", "name", "bad name!")), 400, "invalid value for 'name'");
    assertError(http.post("/handlers", Map.of("kind", "lower", "name", "low-bad",
        "config", Map.of("max_queue_size", -1))), 400, "max_queue_size");
    assertNull("a rejected create stores nothing",
        configAdmin.listConfigurations("(service.pid=" + LOWER_PID + "~low-bad)"));
    assertError(http.post("/handlers", Map.of("kind", "lower", "name", "low-x", "config", List.of())), 400,
        "'config' must be a JSON object");

    Http.Answer deleted = http.delete("/handlers/low-http");
    assertEquals(deleted.toString(), 200, deleted.status());
    assertEquals(404, http.get("/handlers/low-http").status());
    assertNull(configAdmin.listConfigurations("(service.pid=" + LOWER_PID + "~low-http)"));

    assertError(http.delete("/handlers/upper"), 409, "only factory instances");
    assertError(http.delete("/handlers/nope"), 404, "no handler named");
  }

  @Test
  public void secretsAreMaskedAndTheMaskKeepsTheStoredSecret() throws Exception {
    Http.Answer created = http.post("/handlers", Map.of("kind", "lower", "name", "low-secret",
        "config", Map.of("auth", "s3cret", "api_token", "t0ken")));
    assertEquals(created.toString(), 201, created.status());
    try {
      JsonNode config = http.get("/handlers/low-secret").json().get("config");
      assertEquals("********", config.get("auth").asText());
      assertEquals("********", config.get("api_token").asText());
      assertFalse("no secret in the list", http.get("/handlers").body().contains("s3cret"));
      assertFalse(http.get("/handlers").body().contains("t0ken"));

      // a form sends the mask back unchanged: the stored secret stays
      Http.Answer put = http.put("/handlers/low-secret/config", Map.of("auth", "********", "max_queue_size", 3));
      assertEquals(put.toString(), 200, put.status());
      assertEquals("********", put.json().get("auth").asText());
      Dictionary<String, Object> stored = configAdmin.listConfigurations(
          "(service.pid=" + LOWER_PID + "~low-secret)")[0].getProperties();
      assertEquals("s3cret", stored.get("auth"));
      assertEquals(3, stored.get("max_queue_size"));

      // a rejected secret is not echoed either
      Http.Answer bad = http.put("/handlers/low-secret/config", Map.of("auth", List.of("a", "b")));
      assertEquals(bad.toString(), 400, bad.status());
      assertFalse(bad.body().contains("\"a\""));
    } finally {
      http.delete("/handlers/low-secret");
    }
  }

  @Test
  public void kindsCarryTheirMetatypeForForms() {
    Http.Answer kinds = http.get("/kinds");
    assertEquals(200, kinds.status());
    JsonNode lower = null;
    JsonNode upper = null;
    for (JsonNode kind : kinds.json()) {
      if (kind.get("kind").asText().equals("lower")) {
        lower = kind;
      } else if (kind.get("kind").asText().equals("upper")) {
        upper = kind;
      }
    }
    assertNotNull(kinds.toString(), lower);
    assertNotNull(kinds.toString(), upper);
    assertTrue(lower.get("factory_only").asBoolean());
    assertTrue("upper has no metatype", upper.get("metatype").isNull());
    Map<String, JsonNode> attributes = new java.util.HashMap<>();
    lower.get("metatype").get("attributes").forEach(a -> attributes.put(a.get("id").asText(), a));
    assertEquals("integer", attributes.get("max_queue_size").get("type").asText());
    assertEquals("128", attributes.get("max_queue_size").get("default").get(0).asText());
    assertEquals(4, attributes.get("overflow_policy").get("options").size());
    assertTrue(attributes.get("auth").get("secret").asBoolean());
    assertEquals("boolean", attributes.get("run_as_thread").get("type").asText());

    assertEquals(200, http.get("/kinds/lower").status());
    assertError(http.get("/kinds/sideways"), 404, "no kind 'sideways'");
  }

  @Test
  public void metricsAreInThePrometheusTextFormat() {
    http.post("/handlers/upper/generate", Map.of("item", "count me"));
    Http.Answer metrics = http.get("/metrics");
    assertEquals(200, metrics.status());
    assertTrue(metrics.header("Content-Type"), metrics.header("Content-Type").startsWith("text/plain; version=0.0.4"));
    Pattern sample = Pattern.compile("[a-z_]+\\{handler=\"[^\"]*\",kind=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")?\\} -?[0-9.E]+");
    for (String line : metrics.body().split("\n")) {
      assertTrue("a valid line: " + line, line.startsWith("# HELP ") || line.startsWith("# TYPE ") || sample.matcher(line).matches());
    }
    assertTrue(metrics.body().contains("# TYPE maverick_handler_processed_total counter"));
    assertTrue(metrics.body().contains("# TYPE maverick_handler_queue_depth gauge"));
    long processed = http.get("/handlers/upper").json().get("stats").get("processed_count").asLong();
    assertTrue(processed > 0);
    assertTrue(metrics.body(), Pattern.compile("maverick_handler_processed_total\\{handler=\"upper\",kind=\"upper\"\\} [1-9]")
        .matcher(metrics.body()).find());
    assertTrue(metrics.body().contains("maverick_handler_queue_depth{handler=\"upper\",kind=\"upper\",queue=\"input\"} "));
    assertTrue(metrics.body().contains("maverick_handler_dropped_total{handler=\"upper\",kind=\"upper\",reason=\"queue_full\"} "));
  }

  @Test
  public void historyHasSamplesForTheCharts() {
    Await.until("samples of upper", () -> http.get("/handlers/upper/history?seconds=60").json().get("samples").size() >= 2);
    JsonNode history = http.get("/handlers/upper/history").json();
    assertEquals("time", history.get("columns").get(0).asText());
    assertEquals(history.get("columns").size(), history.get("samples").get(0).size());
    assertError(http.get("/handlers/upper/history?seconds=x"), 400, "invalid seconds");
  }

  @Test
  public void thePageAndItsFilesAreServedFromTheBundle() {
    Http.Answer page = http.get("/");
    assertEquals(200, page.status());
    assertTrue(page.header("Content-Type").startsWith("text/html"));
    assertTrue(page.body().contains("id=\"maverick-admin\""));
    assertNotNull(page.header("Content-Security-Policy"));
    Http.Answer script = http.get("/ui/app.js");
    assertEquals(200, script.status());
    assertTrue(script.header("Content-Type").startsWith("text/javascript"));
    assertEquals(200, http.get("/ui/app.css").status());
    assertEquals(404, http.get("/ui/secret.txt").status());
    assertEquals(404, http.get("/ui/..%2FAdminServlet.class").status());
  }

  @Test
  public void writesNeedTheTokenOnceOneIsConfigured() throws Exception {
    configureAdmin(configAdmin, Map.of("admin_token", "let-me-in"));
    try {
      Await.until("the token applies", () -> http.post("/handlers/upper/feed", Map.of("item", "t")).status() == 401);
      Http.Answer none = http.post("/handlers/upper/feed", Map.of("item", "t"));
      assertError(none, 401, "Authorization: Bearer");
      assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"));
      assertError(http.send("POST", "/handlers/upper/feed", Map.of("item", "t"),
          Map.of("Authorization", "Bearer guess")), 401, "wrong admin token");
      assertError(http.send("PUT", "/handlers/upper/config", Map.of("max_queue_size", 5),
          Map.of("Authorization", "Basic bGV0LW1lLWlu")), 401, "Bearer");
      assertEquals(401, http.delete("/handlers/upper").status());
      assertEquals(401, http.post("/handlers", Map.of("kind", "lower", "name", "nope")).status());
      // reads need it too (AdminDoorIT has every path)
      assertEquals(401, http.get("/handlers").status());
      assertEquals(200, http.send("GET", "/handlers", null, Map.of("Authorization", "Bearer let-me-in")).status());

      Http.Answer allowed = http.send("POST", "/handlers/upper/feed", Map.of("item", "t"),
          Map.of("Authorization", "Bearer let-me-in"));
      assertEquals(allowed.toString(), 200, allowed.status());
      assertTrue(allowed.json().get("accepted").asBoolean());
      assertEquals(200, http.send("GET", "/handlers/upper/result?timeout=10", null,
          Map.of("Authorization", "Bearer let-me-in")).status());
      // the token never shows
      assertFalse(http.send("GET", "/handlers", null, Map.of("Authorization", "Bearer let-me-in")).body()
          .contains("let-me-in"));
    } finally {
      configureAdmin(configAdmin, Map.of());
    }
    Await.until("the token is gone", () -> http.get("/handlers").status() == 200);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static JsonNode find(JsonNode list, String name) {
    for (JsonNode handler : list) {
      if (handler.get("name").asText().equals(name)) {
        return handler;
      }
    }
    return null;
  }

  static void assertError(Http.Answer answer, int status, String messagePart) {
    assertEquals(answer.toString(), status, answer.status());
    assertTrue(answer.header("Content-Type"), answer.header("Content-Type").startsWith("application/json"));
    String error = answer.json().get("error").asText();
    assertTrue("'" + error + "' should contain '" + messagePart + "'", error.contains(messagePart));
  }

}
