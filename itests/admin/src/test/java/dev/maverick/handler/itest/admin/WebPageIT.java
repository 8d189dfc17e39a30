package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.junit.Assume;
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
 * The web page in a real headless Chromium, used as a person would: the handler list appears,
 * counters move after a feed, a factory instance made with the create form shows up, a change made
 * in its metatype-built form reaches Config Admin and {@code GET /handlers/{name}}, a bad value is
 * shown, and the delete button removes it. A screenshot is saved under target/screenshots.
 *
 * <p>Needs Debian's {@code chromium} ({@code apt-get install -y chromium}); without it the test is
 * skipped on a developer's machine and fails on CI ({@code CI=true}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebPageIT {
  private static final String UPPER = "[data-handler=\"upper\"]";
  private static final String LOWER = "[data-handler=\"web-lower\"]";

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
    AdminHttpIT.configureAdmin(configAdmin, Map.of());
  }

  @Test
  public void thePageShowsHandlersMovesCountersAndChangesConfiguration() throws Exception {
    Path executable = chromium();
    Path work = Path.of(System.getProperty("maverick.itest.work", "target/itest-work"));
    Path screenshots = Path.of(System.getProperty("maverick.screenshots", "target/screenshots"));
    try (Chromium browser = Chromium.launch(executable, work); Chromium.Page page = browser.newPage()) {
      page.navigate(http.base() + "/");

      // the handler list appears, with live counters
      Await.until("the card of upper", () -> page.exists(UPPER));
      assertEquals("upper", page.text(UPPER + " [data-field=\"kind\"]"));
      String processed = UPPER + " [data-stat=\"processed_count\"]";
      Await.until("the counters are filled", () -> page.text(processed).matches("\\d+"));
      long before = Long.parseLong(page.text(processed));

      // feed an item through the page and see its result
      page.type(UPPER + " input[name=\"item\"]", "hello browser");
      page.click(UPPER + " button[data-action=\"feed\"]");
      Await.until("the result is shown", () -> page.text(UPPER + " [data-field=\"result\"]").contains("\"HELLO BROWSER\""));
      // the counter moves by itself: the page polls every second
      Await.until("the processed counter moved", () -> Long.parseLong(page.text(processed)) > before);
      assertEquals(http.get("/handlers/upper").json().get("stats").get("processed_count").asLong(),
          Long.parseLong(page.text(processed)));

      // a factory instance made with the create form
      Await.until("the kinds are listed", () -> page.exists("#create-kind option[value=\"lower\"]"));
      page.select("#create-kind", "lower");
      page.type("#create-name", "web-lower");
      page.type("#create-config", "max_queue_size=32\nauth=page-secret");
      page.click("#create-form button[data-action=\"create\"]");
      Await.until("the new card", () -> page.exists(LOWER));
      assertTrue(page.text("#message"), page.text("#message").contains("Created web-lower"));
      assertEquals(32, http.get("/handlers/web-lower").json().get("config").get("max_queue_size").asInt());

      // its form is built from the kind's metatype
      page.click(LOWER + " details.config summary");
      Await.until("the form is built", () -> page.exists(LOWER + " input[name=\"max_queue_size\"]"));
      assertTrue("a choice is a select", page.exists(LOWER + " select[name=\"overflow_policy\"]"));
      assertTrue("a boolean is a checkbox", page.exists(LOWER + " input[name=\"run_as_thread\"][type=\"checkbox\"]"));
      assertTrue("a secret is a password field", page.exists(LOWER + " input[name=\"auth\"][type=\"password\"]"));
      assertEquals("the secret is masked in the page", "********",
          page.evaluate("document.querySelector('" + LOWER + " input[name=\"auth\"]').value").asText());
      assertFalse(page.evaluate("document.documentElement.outerHTML").asText().contains("page-secret"));

      // a change in the form reaches Config Admin and the API
      page.type(LOWER + " input[name=\"max_queue_size\"]", "42");
      page.select(LOWER + " select[name=\"overflow_policy\"]", "drop_oldest");
      page.click(LOWER + " button[data-action=\"save\"]");
      Await.until("saved", () -> "saved".equals(page.text(LOWER + " [data-field=\"form-status\"]")));
      JsonNode config = http.get("/handlers/web-lower").json().get("config");
      assertEquals(42, config.get("max_queue_size").asInt());
      assertEquals("drop_oldest", config.get("overflow_policy").asText());
      assertEquals(42, configAdmin.listConfigurations("(name=web-lower)")[0].getProperties().get("max_queue_size"));
      assertEquals("the masked secret was kept", "page-secret",
          configAdmin.listConfigurations("(name=web-lower)")[0].getProperties().get("auth"));

      // a bad value is shown at its field, and nothing is applied
      page.type(LOWER + " input[name=\"max_queue_size\"]", "-5");
      page.click(LOWER + " button[data-action=\"save\"]");
      Await.until("the error is shown", () -> page.text(LOWER + " [data-field=\"form-status\"]").contains("max_queue_size"));
      assertEquals("true", page.evaluate("document.querySelector('" + LOWER
          + " input[name=\"max_queue_size\"]').getAttribute('aria-invalid')").asText());
      assertEquals(42, http.get("/handlers/web-lower").json().get("config").get("max_queue_size").asInt());

      // the chart draws the throughput and queue depth
      for (int i = 0; i < 5; i++) {
        http.post("/handlers/upper/feed", Map.of("item", "chart " + i));
      }
      // the throughput line (blue) rises above the chart's baseline once items are processed
      Await.until("the page shows every item processed", () -> Long.parseLong(page.text(processed))
          == http.get("/handlers/upper").json().get("stats").get("processed_count").asLong()
          && Long.parseLong(page.text(processed)) >= before + 6);
      Await.until("the throughput line rises", () -> page.evaluate("(function(){var c=document.querySelector('" + UPPER
          + " canvas');var r=window.devicePixelRatio||1;var top=Math.floor(c.height-19*r);"
          + "var d=c.getContext('2d').getImageData(0,0,c.width,top).data;var n=0;"
          + "for(var i=0;i<d.length;i+=4){if(d[i+2]>180&&d[i]<90&&d[i+3]>0)n++;}return n;})()").asInt() > 10);
      assertTrue(page.text(UPPER + " .legend"), page.text(UPPER + " .legend").contains("throughput"));

      page.screenshot(screenshots.resolve("admin-page.png"));

      // the delete button (a second click confirms)
      page.click(LOWER + " button[data-action=\"delete\"]");
      page.click(LOWER + " button[data-action=\"delete\"]");
      Await.until("the card is gone", () -> !page.exists(LOWER));
      assertEquals(404, http.get("/handlers/web-lower").status());
    }
  }

  @Test
  public void withATokenThePageAsksForItAndSendsItWithEveryRequest() throws Exception {
    Path executable = chromium();
    Path work = Path.of(System.getProperty("maverick.itest.work", "target/itest-work"));
    AdminHttpIT.configureAdmin(configAdmin, Map.of("admin_token", "page-token"));
    try (Chromium browser = Chromium.launch(executable, work); Chromium.Page page = browser.newPage()) {
      // Config Admin delivers the change on its own thread, after any deactivation the first test queued there
      Await.until("the token applies", Duration.ofSeconds(60), () -> http.get("/handlers").status() == 401);
      page.navigate(http.base() + "/");
      Await.until("the page asks for the token", () -> page.exists("label.token.needed"));
      assertFalse("no handler is shown without the token", page.exists(UPPER));
      page.type("#admin-token", "page-token");
      page.evaluate("document.querySelector('#admin-token').dispatchEvent(new Event('change',{bubbles:true}))");
      Await.until("the card of upper", () -> page.exists(UPPER));
      Await.until("the kinds are listed", () -> page.exists("#create-kind option[value=\"lower\"]"));
    } finally {
      AdminHttpIT.configureAdmin(configAdmin, Map.of());
    }
  }

  private static Path chromium() {
    Optional<Path> executable = Chromium.find();
    if (executable.isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("Chromium is required on CI: apt-get install -y chromium");
      }
      Assume.assumeTrue("no Chromium here (apt-get install -y chromium); the browser test is skipped", false);
    }
    return executable.get();
  }
}
