package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.RawHttp;
import java.util.List;
import java.util.Map;
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

/**
 * Who gets through the admin's door, attacked as a hostile web page or client would (issue 9, seen
 * on the runnable runtime with its defaults: loopback, no token). Each test names the attack; each
 * attack is sent as raw HTTP where {@code HttpClient} would refuse to send it.
 *
 * <ul>
 *   <li>HEAD is GET without a body: it deletes, takes, creates and feeds nothing.</li>
 *   <li>Methods other than GET, HEAD, POST, PUT and DELETE are 405.</li>
 *   <li>DNS rebinding: a {@code Host} that names neither the bound address nor an
 *       {@code allowed_hosts} entry is 421 and changes nothing.</li>
 *   <li>A present {@code Origin} must be the server's own; {@code Sec-Fetch-Site: cross-site} on
 *       the API is refused (a cross-site {@code <img>} cannot take a result).</li>
 *   <li>With {@code admin_token} set, every API request needs it, reads included; the page's files
 *       stay public, and {@code /metrics} when {@code metrics_public=true}.</li>
 * </ul>
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdminDoorIT {
  private static final String REBIND = "rebind.attacker.example";

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  private Http http;
  private RawHttp raw;
  private int port;

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.admin("127.0.0.1"));
  }

  @Before
  public void up() throws Exception {
    Await.service(context, Handler.class, "(handler.name=upper)");
    http = new Http(context).awaitUp();
    AdminHttpIT.configureAdmin(configAdmin, Map.of());
    Await.until("no token in force", () -> http.get("/handlers").status() == 200);
    port = Integer.parseInt(context.getProperty(AdminTestOptions.HTTP_PORT));
    raw = new RawHttp(port);
    AdminHttpIT.drain(http, "upper");
  }

  // ---- methods ---------------------------------------------------------------------------------

  @Test
  public void headOnAHandlerDeletesNothing() throws Exception {
    created("head-victim");
    try {
      RawHttp.Answer head = raw.send(raw.request("HEAD", "/handlers/head-victim"));
      assertEquals(head.toString(), 200, head.status());
      assertEquals("a HEAD answer has no body", "", head.body());
      assertEquals("the handler is still there", 200, http.get("/handlers/head-victim").status());
      assertTrue("its configuration is still there",
          configAdmin.listConfigurations("(service.pid=" + AdminHttpIT.LOWER_PID + "~head-victim)") != null);
    } finally {
      http.delete("/handlers/head-victim");
    }
  }

  @Test
  public void headOnResultTakesNoResult() {
    assertEquals(200, http.post("/handlers/upper/feed", Map.of("item", "keep")).status());
    Await.until("the result is waiting", () -> stats("upper").get("result_queue_size").asInt() == 1);
    RawHttp.Answer head = raw.send(raw.request("HEAD", "/handlers/upper/result?timeout=5"));
    assertEquals("HEAD says a result is waiting: " + head, 200, head.status());
    assertEquals("", head.body());
    assertEquals("the result is still there", 1, stats("upper").get("result_queue_size").asInt());
    assertEquals("KEEP", http.get("/handlers/upper/result").json().get("result").asText());
    assertEquals("and with none waiting, HEAD says 204", 204,
        raw.send(raw.request("HEAD", "/handlers/upper/result")).status());
  }

  @Test
  public void headWithABodyCreatesAndFeedsNothing() throws Exception {
    RawHttp.Answer create = raw.send(raw.request("HEAD", "/handlers")
        .json("{\"kind\": \"lower\", \"name\": \"head-made\"}"));
    assertEquals("HEAD /handlers is the list, without a body: " + create, 200, create.status());
    assertEquals(404, http.get("/handlers/head-made").status());
    assertNull(configAdmin.listConfigurations("(service.pid=" + AdminHttpIT.LOWER_PID + "~head-made)"));

    long fed = stats("upper").get("fed_count").asLong();
    RawHttp.Answer feed = raw.send(raw.request("HEAD", "/handlers/upper/feed").json("{\"item\": \"x\"}"));
    assertEquals("feed has no GET, so no HEAD: " + feed, 405, feed.status());
    assertEquals("POST", feed.header("Allow"));
    assertEquals("nothing was fed", fed, stats("upper").get("fed_count").asLong());
  }

  @Test
  public void methodsOtherThanGetHeadPostPutDeleteAre405() throws Exception {
    for (String method : List.of("PATCH", "OPTIONS", "PROPFIND", "CONNECTX", "TRACE")) {
      RawHttp.Answer answer = raw.send(raw.request(method, "/handlers/upper/config").json("{\"max_queue_size\": 3}"));
      assertEquals(method + ": " + answer, 405, answer.status());
    }
    assertEquals("nothing changed", 128, http.get("/handlers/upper/config").json().get("max_queue_size").asInt());
    AdminHttpIT.assertError(http.send("PATCH", "/handlers/upper/config", Map.of("max_queue_size", 3), Map.of()), 405,
        "allowed: GET, PUT");
  }

  // ---- Host and Origin (DNS rebinding) ---------------------------------------------------------

  @Test
  public void aRebindingHostIsRefusedAndChangesNothing() {
    String host = REBIND + ":" + port;
    long fed = stats("upper").get("fed_count").asLong();
    assertMisdirected(raw.send(raw.request("GET", "/handlers", host)));
    assertMisdirected(raw.send(raw.request("GET", "/", host)));
    assertMisdirected(raw.send(raw.request("POST", "/handlers/upper/feed", host).json("{\"item\": \"rebound\"}")));
    assertMisdirected(raw.send(raw.request("PUT", "/handlers/upper/config", host).json("{\"max_queue_size\": 3}")));
    assertMisdirected(raw.send(raw.request("POST", "/handlers", host).json("{\"kind\": \"lower\", \"name\": \"rebound\"}")));
    assertMisdirected(raw.send(raw.request("GET", "/handlers", REBIND)));
    assertMisdirected(raw.send(raw.request("GET", "/handlers", "127.0.0.1.attacker.example:" + port)));
    assertEquals("nothing was fed", fed, stats("upper").get("fed_count").asLong());
    assertEquals("nothing was configured", 128, http.get("/handlers/upper/config").json().get("max_queue_size").asInt());
    assertEquals("nothing was created", 404, http.get("/handlers/rebound").status());
  }

  @Test
  public void loopbackNamesWithTheServersPortOrNoneAreServed() {
    for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port,
        "localhost", "127.0.0.1", "[::1]")) {
      assertEquals(host, 200, raw.send(raw.request("GET", "/handlers", host)).status());
    }
    assertMisdirected(raw.send(raw.request("GET", "/handlers", "localhost:" + (port == 1 ? 2 : 1))));
  }

  @Test
  public void allowedHostsNamesTheHostsServedBesideTheBoundAddress() throws Exception {
    AdminHttpIT.configureAdmin(configAdmin, Map.of("allowed_hosts", new String[] {"admin.example.org", "10.9.8.7:443"}));
    try {
      Await.until("allowed_hosts applies",
          () -> raw.send(raw.request("GET", "/handlers", "admin.example.org")).status() == 200);
      assertEquals(200, raw.send(raw.request("GET", "/handlers", "admin.example.org:" + port)).status());
      assertEquals(200, raw.send(raw.request("GET", "/handlers", "10.9.8.7:443")).status());
      assertEquals("the address the server is bound to is always served", 200,
          raw.send(raw.request("GET", "/handlers", "127.0.0.1:" + port)).status());
      assertMisdirected(raw.send(raw.request("GET", "/handlers", "10.9.8.7")));
      assertMisdirected(raw.send(raw.request("GET", "/handlers", "localhost:" + port)));
    } finally {
      AdminHttpIT.configureAdmin(configAdmin, Map.of());
    }
    Await.until("the default list is back",
        () -> raw.send(raw.request("GET", "/handlers", "localhost:" + port)).status() == 200);
  }

  @Test
  public void aForeignOriginIsRefused() {
    long fed = stats("upper").get("fed_count").asLong();
    for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:" + (port == 1 ? 2 : 1),
        "http://localhost:" + port, "http://" + REBIND + ":" + port, "http://127.0.0.1:" + port + "/path")) {
      RawHttp.Answer feed = raw.send(raw.request("POST", "/handlers/upper/feed").header("Origin", origin)
          .json("{\"item\": \"cross\"}"));
      assertEquals(origin + ": " + feed, 403, feed.status());
      assertTrue(feed.body(), feed.body().contains("Origin"));
      assertEquals(origin, 403, raw.send(raw.request("GET", "/handlers").header("Origin", origin)).status());
    }
    assertEquals("nothing was fed", fed, stats("upper").get("fed_count").asLong());
    RawHttp.Answer own = raw.send(raw.request("POST", "/handlers/upper/feed").header("Origin", "http://127.0.0.1:" + port)
        .json("{\"item\": \"own\"}"));
    assertEquals("the page's own origin: " + own, 200, own.status());
    assertEquals(200, raw.send(raw.request("GET", "/handlers", "localhost:" + port)
        .header("Origin", "http://localhost:" + port)).status());
  }

  @Test
  public void crossSiteRequestsCannotReachTheApi() {
    assertEquals(200, http.post("/handlers/upper/feed", Map.of("item", "bait")).status());
    Await.until("the result is waiting", () -> stats("upper").get("result_queue_size").asInt() == 1);
    // what <img src="http://127.0.0.1:8181/handlers/upper/result"> on another site sends
    RawHttp.Answer image = raw.send(raw.request("GET", "/handlers/upper/result")
        .header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Mode", "no-cors").header("Sec-Fetch-Dest", "image"));
    assertEquals(image.toString(), 403, image.status());
    RawHttp.Answer write = raw.send(raw.request("POST", "/handlers/upper/feed").header("Sec-Fetch-Site", "cross-site")
        .json("{\"item\": \"cross\"}"));
    assertEquals(write.toString(), 403, write.status());
    assertEquals("the result was not taken", 1, stats("upper").get("result_queue_size").asInt());
    assertEquals("a link to the page from elsewhere still opens it", 200,
        raw.send(raw.request("GET", "/").header("Sec-Fetch-Site", "cross-site")).status());
    assertEquals(200, raw.send(raw.request("GET", "/handlers").header("Sec-Fetch-Site", "same-origin")).status());
    assertEquals("BAIT", http.get("/handlers/upper/result").json().get("result").asText());
  }

  // ---- the token covers the API ----------------------------------------------------------------

  @Test
  public void withATokenEveryApiRequestNeedsItReadsIncluded() throws Exception {
    assertEquals(200, http.post("/handlers/upper/feed", Map.of("item", "guarded")).status());
    Await.until("the result is waiting", () -> stats("upper").get("result_queue_size").asInt() == 1);
    AdminHttpIT.configureAdmin(configAdmin, Map.of("admin_token", "read-guard"));
    Map<String, String> bearer = Map.of("Authorization", "Bearer read-guard");
    try {
      Await.until("the token applies", () -> http.get("/handlers").status() == 401);
      for (String path : List.of("/handlers", "/handlers/upper", "/handlers/upper/config", "/handlers/upper/history",
          "/handlers/upper/result", "/kinds", "/kinds/lower", "/metrics", "/handlers/nope")) {
        AdminHttpIT.assertError(http.get(path), 401, "Authorization: Bearer");
        assertEquals(path, 401, raw.send(raw.request("HEAD", path)).status());
      }
      assertEquals("the result was not taken", 1,
          http.send("GET", "/handlers/upper", null, bearer).json().get("stats").get("result_queue_size").asInt());
      for (String path : List.of("/", "/index.html", "/ui/app.js", "/ui/app.css")) {
        assertEquals("the page's files are public: " + path, 200, http.get(path).status());
      }
      assertEquals(200, http.send("GET", "/metrics", null, bearer).status());
      assertEquals("GUARDED", http.send("GET", "/handlers/upper/result", null, bearer).json().get("result").asText());

      AdminHttpIT.configureAdmin(configAdmin, Map.of("admin_token", "read-guard", "metrics_public", true));
      Await.until("metrics_public applies", () -> http.get("/metrics").status() == 200);
      assertEquals("only the metrics", 401, http.get("/handlers").status());
    } finally {
      AdminHttpIT.configureAdmin(configAdmin, Map.of());
    }
    Await.until("the token is gone", () -> http.get("/handlers").status() == 200);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private void created(String name) {
    Http.Answer created = http.post("/handlers", Map.of("kind", "lower", "name", name));
    assertEquals(created.toString(), 201, created.status());
  }

  private JsonNode stats(String handler) {
    return http.get("/handlers/" + handler).json().get("stats");
  }

  private static void assertMisdirected(RawHttp.Answer answer) {
    assertEquals(answer.toString(), 421, answer.status());
    assertTrue(answer.body(), answer.body().contains("allowed_hosts"));
  }
}
