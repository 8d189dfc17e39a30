package dev.maverick.handler.itest.admin;

import static dev.maverick.handler.itest.admin.AdminHttpIT.assertError;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.wire.Wire;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.After;
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
 * The {@code /wires} resources against the real wire bundle: create, list, show, change and delete
 * through Config Admin; bad wires refused with 400 naming the key and nothing stored; a wired
 * source's results refused with 409 naming the wire; every guard of the door; the ledgers in
 * {@code /metrics}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdminWiresHttpIT {
  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  private Http http;
  private WireFixtures fixtures;

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.adminWithWires("127.0.0.1"));
  }

  @Before
  public void up() throws Exception {
    Await.service(context, Handler.class, "(handler.name=upper)");
    http = new Http(context).awaitUp();
    AdminHttpIT.configureAdmin(configAdmin, Map.of());
    Await.until("the wires' part of the admin is up", () -> http.get("/wires").status() == 200);
    fixtures = new WireFixtures(context, configAdmin);
    AdminHttpIT.drain(http, "upper");
  }

  @After
  public void down() throws Exception {
    AdminHttpIT.configureAdmin(configAdmin, Map.of());
    fixtures.deleteAll();
  }

  private static Map<String, Object> wire(String name, String from, Object to, Object... more) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("from", from);
    body.put("to", to);
    for (int i = 0; i < more.length; i += 2) {
      body.put((String) more[i], more[i + 1]);
    }
    return body;
  }

  @Test
  public void createListShowChangeAndDeleteAWire() throws Exception {
    fixtures.lower("low1");
    Http.Answer created = http.post("/wires", wire("w1", "upper", List.of("low1"), "buffer_size", 16));
    assertEquals(created.toString(), 201, created.status());
    assertEquals("/wires/w1", created.header("Location"));
    JsonNode view = created.json();
    assertEquals("w1", view.get("name").asText());
    assertEquals("upper", view.get("from").asText());
    assertEquals("low1", view.get("to").get(0).asText());
    assertEquals(Wire.FACTORY_PID + "~w1", view.get("pid").asText());
    assertEquals(16, view.get("config").get("buffer_size").asInt());
    assertEquals("block", view.get("config").get("policy").asText());
    assertTrue(view.toString(), view.get("ledger").has("taken"));
    assertEquals("stored through Config Admin, as its checked properties", 16, configAdmin
        .getFactoryConfiguration(Wire.FACTORY_PID, "w1", "?").getProperties().get("buffer_size"));

    // items flow through it, and its ledger shows them
    assertEquals(200, http.post("/handlers/upper/feed", Map.of("item", "Through The Wire")).status());
    assertEquals("through the wire", http.get("/handlers/low1/result?timeout=20").json().get("result").asText());
    Await.until("the ledger counts it", () -> http.get("/wires/w1").json().get("ledger").get("delivered").asInt() == 1);
    JsonNode shown = http.get("/wires/w1").json();
    assertEquals("running", shown.get("state").asText());
    assertEquals(1, shown.get("ledger").get("taken").asInt());
    assertEquals(1, shown.get("ledger").get("targets").get("low1").get("delivered").asInt());
    assertTrue(shown.get("ledger").get("balanced").asBoolean());
    JsonNode list = http.get("/wires").json();
    assertEquals(list.toString(), 1, list.size());
    assertEquals("w1", list.get(0).get("name").asText());
    assertEquals(1, list.get(0).get("ledger").get("delivered").asInt());

    Http.Answer changed = http.put("/wires/w1/config", Map.of("buffer_size", 8, "filter", "(x=1)"));
    assertEquals(changed.toString(), 200, changed.status());
    assertEquals(8, changed.json().get("config").get("buffer_size").asInt());
    assertEquals("(x=1)", http.get("/wires/w1/config").json().get("filter").asText());
    assertEquals(8, configAdmin.getFactoryConfiguration(Wire.FACTORY_PID, "w1", "?").getProperties()
        .get("buffer_size"));
    Map<String, Object> removeFilter = new LinkedHashMap<>();
    removeFilter.put("filter", null);
    assertTrue(http.put("/wires/w1/config", removeFilter).json().get("config").get("filter").isNull());

    Http.Answer deleted = http.delete("/wires/w1");
    assertEquals(deleted.toString(), 200, deleted.status());
    assertEquals("w1", deleted.json().get("deleted").asText());
    assertError(http.get("/wires/w1"), 404, "no wire named 'w1'");
    assertNull("the configuration is gone", configAdmin.listConfigurations("(service.factoryPid=" + Wire.FACTORY_PID
        + ")"));
    assertEquals("upper's results are free again", 204, http.get("/handlers/upper/result").status());
    assertError(http.post("/wires/w1/config", Map.of()), 405, "allowed: GET, PUT");
  }

  @Test
  public void badWiresAre400NamingTheKeyAndNothingIsStored() throws Exception {
    fixtures.lower("low1");
    assertBadWire(wire("lost", "upper", "nowhere"), "to", "there is no handler 'nowhere'");
    assertBadWire(wire("lost", "nowhere", "low1"), "from", "nowhere");
    assertBadWire(wire("sieve", "upper", "low1", "filter", "(((broken"), "filter", "invalid value for 'filter'");
    assertBadWire(wire("typo", "upper", "low1", "bufer_size", 8), "bufer_size", "did you mean 'buffer_size'?");
    assertBadWire(wire("framework", "upper", "low1", "service.pid", "x"), "service.pid", "service.pid");
    assertBadWire(wire("big", "upper", "low1", "buffer_size", 0), "buffer_size", "buffer_size");
    assertBadWire(wire("bad name!", "upper", "low1"), "name", "name");

    assertEquals(201, http.post("/wires", wire("there", "upper", "low1")).status());
    Http.Answer cycle = http.post("/wires", wire("back", "low1", "upper"));
    assertError(cycle, 400, "back: low1 -> upper -> low1 (through wire 'there')");
    assertEquals("to", cycle.json().get("key").asText());
    assertError(http.post("/wires", wire("there", "upper", "low1")), 409, "a wire named 'there' already exists");

    Http.Answer badChange = http.put("/wires/there/config", Map.of("policy", "sometimes"));
    assertError(badChange, 400, "invalid value for 'policy'");
    assertEquals("policy", badChange.json().get("key").asText());
    assertError(http.put("/wires/there/config", Map.of("name", "elsewhere")), 400, "to rename a wire");
    assertEquals("block", configAdmin.getFactoryConfiguration(Wire.FACTORY_PID, "there", "?").getProperties()
        .get("policy"));
    org.osgi.service.cm.Configuration[] stored = configAdmin.listConfigurations("(service.factoryPid="
        + Wire.FACTORY_PID + ")");
    assertEquals("only the good wire is stored", 1, stored.length);
    assertError(http.put("/wires/nope/config", Map.of("buffer_size", 8)), 404, "no wire named 'nope'; wires: there");
  }

  private void assertBadWire(Map<String, Object> body, String key, String messagePart) throws Exception {
    Http.Answer answer = http.post("/wires", body);
    assertError(answer, 400, messagePart);
    assertEquals(answer.toString(), key, answer.json().get("key").asText());
    assertNull("nothing stored for " + body, configAdmin.listConfigurations("(service.factoryPid="
        + Wire.FACTORY_PID + ")"));
  }

  @Test
  public void aWiredSourceAnswers409NamingTheWire() throws Exception {
    fixtures.lower("low1");
    assertEquals(201, http.post("/wires", wire("reader", "upper", "low1")).status());
    assertError(http.get("/handlers/upper/result"), 409, "the results of 'upper' are read by wire 'reader'");
    assertError(http.get("/handlers/upper/result?timeout=1"), 409, "read by wire 'reader'");
    assertEquals("HEAD only looks", 204, http.send("HEAD", "/handlers/upper/result", null, Map.of()).status());
  }

  @Test
  public void everyGuardOfTheDoorAppliesToWires() throws Exception {
    fixtures.lower("low1");
    assertEquals(201, http.post("/wires", wire("guarded", "upper", "low1")).status());
    String origin = "http://evil.example";
    assertError(http.send("POST", "/wires", wire("evil", "upper", "low1"), Map.of("Origin", origin)), 403, "Origin");
    assertError(http.send("DELETE", "/wires/guarded", null, Map.of("Origin", origin)), 403, "Origin");
    assertEquals("HEAD never deletes", 200, http.send("HEAD", "/wires/guarded", null, Map.of()).status());
    assertEquals(200, http.get("/wires/guarded").status());
    assertError(http.send("POST", "/wires", "name=x", Map.of("Content-Type", "text/plain")), 415, "JSON");

    AdminHttpIT.configureAdmin(configAdmin, Map.of("admin_token", "wire-guard", "max_body_bytes", 64));
    Map<String, String> bearer = Map.of("Authorization", "Bearer wire-guard");
    Await.until("the token applies", () -> http.get("/wires").status() == 401);
    for (String path : List.of("/wires", "/wires/guarded", "/wires/guarded/config")) {
      assertError(http.get(path), 401, "Authorization: Bearer");
    }
    assertError(http.delete("/wires/guarded"), 401, "Authorization: Bearer");
    assertEquals(200, http.send("GET", "/wires/guarded", null, bearer).status());
    Map<String, String> bearerJson = Map.of("Authorization", "Bearer wire-guard");
    assertEquals(413, http.send("POST", "/wires", wire("long", "upper", "low1", "filter",
        "(x=" + "y".repeat(100) + ")"), bearerJson).status());
    assertFalse("the token is not shown", http.send("GET", "/wires", null, bearer).body().contains("wire-guard"));
    assertEquals("still there", 200, http.send("GET", "/wires/guarded", null, bearer).status());
  }

  @Test
  public void metricsCarryTheLedgers() throws Exception {
    fixtures.lower("low1");
    assertEquals(201, http.post("/wires", wire("counted", "upper", "low1")).status());
    assertEquals(200, http.post("/handlers/upper/feed", Map.of("item", "one")).status());
    assertEquals("one", http.get("/handlers/low1/result?timeout=20").json().get("result").asText());
    Await.until("the ledger counts it", () -> http.get("/metrics").body()
        .contains("maverick_wire_delivered_total{wire=\"counted\",target=\"low1\"} 1\n"));
    String metrics = http.get("/metrics").body();
    assertTrue(metrics, metrics.contains("# TYPE maverick_wire_taken_total counter\n"));
    assertTrue(metrics, metrics.contains("maverick_wire_taken_total{wire=\"counted\",from=\"upper\"} 1\n"));
    assertTrue(metrics, metrics.contains("maverick_wire_dropped_total{wire=\"counted\",target=\"low1\","
        + "reason=\"buffer_full\"} 0\n"));
    assertTrue(metrics, metrics.contains("maverick_wire_buffer_capacity{wire=\"counted\",target=\"low1\"} 128\n"));
    assertTrue(metrics, metrics.contains("maverick_wire_state{wire=\"counted\",state=\"running\"} 1\n"));
    assertTrue(metrics, metrics.contains("maverick_wire_balanced{wire=\"counted\"} 1\n"));
    assertTrue("the handlers' families are still there", metrics.contains("maverick_handler_processed_total{"
        + "handler=\"low1\",kind=\"lower\"} 1\n"));
  }
}
