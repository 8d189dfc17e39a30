package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
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
 * The token rule when the server listens beyond loopback (Jetty bound to the wildcard address; the
 * test itself only talks to 127.0.0.1): without a token every write is refused, with a clear
 * message; with one, writes need it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExposedServerIT {
  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  private Http http;

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.admin("0.0.0.0"));
  }

  @Before
  public void up() {
    Await.service(context, Handler.class, "(handler.name=upper)");
    http = new Http(context).awaitUp();
  }

  @Test
  public void withoutATokenWritesAreRefusedAndReadsServed() throws Exception {
    AdminHttpIT.configureAdmin(configAdmin, Map.of());
    Await.until("no token in force", () -> http.post("/handlers/upper/feed", Map.of("item", "x")).status() == 403);
    Http.Answer refused = http.post("/handlers/upper/feed", Map.of("item", "x"));
    AdminHttpIT.assertError(refused, 403, "listens beyond loopback");
    assertTrue(refused.toString(), refused.json().get("error").asText().contains("admin_token"));
    AdminHttpIT.assertError(http.put("/handlers/upper/config", Map.of("max_queue_size", 3)), 403, "no admin_token");
    AdminHttpIT.assertError(http.post("/handlers", Map.of("kind", "lower", "name", "x")), 403, "no admin_token");
    AdminHttpIT.assertError(http.delete("/handlers/upper"), 403, "no admin_token");
    // taking a result changes the handler as much as feeding it does
    AdminHttpIT.assertError(http.get("/handlers/upper/result"), 403, "no admin_token");
    assertEquals("nothing was fed", 0, http.get("/handlers/upper").json().get("stats").get("fed_count").asLong());
    assertEquals(200, http.get("/handlers").status());
    assertEquals(200, http.get("/metrics").status());
    assertEquals(200, http.get("/").status());
  }

  @Test
  public void withATokenWritesNeedIt() throws Exception {
    AdminHttpIT.configureAdmin(configAdmin, Map.of("admin_token", "exposed-secret"));
    try {
      Await.until("the token applies", () -> http.post("/handlers/upper/generate", Map.of("item", "x")).status() == 401);
      Http.Answer allowed = http.send("POST", "/handlers/upper/generate", Map.of("item", "x"),
          Map.of("Authorization", "Bearer exposed-secret"));
      assertEquals(allowed.toString(), 200, allowed.status());
      assertEquals("X", allowed.json().get("result").asText());
    } finally {
      AdminHttpIT.configureAdmin(configAdmin, Map.of());
    }
  }
}
