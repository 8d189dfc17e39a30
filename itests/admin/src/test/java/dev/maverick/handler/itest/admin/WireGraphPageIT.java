package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import java.nio.file.Path;
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
 * The wire graph of the web page in a real headless Chromium: handlers drawn as nodes, a wire
 * added with the page's form drawn as an edge whose label shows its buffer fill, items through it
 * counted in the page's list, and the wire removed with its button. A screenshot is saved under
 * target/screenshots. Skipped without Chromium on a developer's machine, failed on CI ({@code CI=true}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WireGraphPageIT {
  private static final String EDGE = "#wire-graph g.edge[data-wire=\"paged\"][data-target=\"page-low\"]";
  private static final String ROW = "#wire-list tr[data-wire=\"paged\"]";

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
    fixtures = new WireFixtures(context, configAdmin);
  }

  @After
  public void down() throws Exception {
    fixtures.deleteAll();
  }

  @Test
  public void thePageDrawsTheGraphAndAddsAndRemovesAWire() throws Exception {
    Path executable = Chromium.executableOrSkip();
    Path work = Path.of(System.getProperty("maverick.itest.work", "target/itest-work"));
    Path screenshots = Path.of(System.getProperty("maverick.screenshots", "target/screenshots"));
    fixtures.lower("page-low");
    try (Chromium browser = Chromium.launch(executable, work); Chromium.Page page = browser.newPage()) {
      page.navigate(http.base() + "/");

      // every handler is a node
      Await.until("the nodes", () -> page.exists("#wire-graph g.node[data-node=\"upper\"]")
          && page.exists("#wire-graph g.node[data-node=\"page-low\"]"));
      assertEquals("no edge yet", 0, page.evaluate("document.querySelectorAll('#wire-graph g.edge').length").asInt());

      // a wire added with the form
      Await.until("upper offered as a source", () -> page.exists("#wire-from option[value=\"upper\"]"));
      page.type("#wire-name", "paged");
      page.select("#wire-from", "upper");
      page.type("#wire-to", "page-low");
      page.click("#wire-form button[data-action=\"add-wire\"]");
      Await.until("added", () -> page.text("#wire-message").contains("Added wire paged"));
      assertEquals("running", http.get("/wires/paged").json().get("state").asText());

      // drawn as an edge from upper to page-low, its label with the buffer's fill
      Await.until("the edge", () -> page.exists(EDGE));
      assertTrue(page.text(EDGE), page.text(EDGE).matches("paged [0-9.]+/s · 0/128"));
      double edgeStart = page.evaluate("+document.querySelector('" + EDGE.replace("'", "\\'") + " line')"
          + ".getAttribute('x1')").asDouble();
      double lowX = page.evaluate("+document.querySelector('#wire-graph g.node[data-node=\"page-low\"] rect')"
          + ".getAttribute('x')").asDouble();
      assertTrue("the target is drawn right of the source", lowX >= edgeStart);

      // items through it are counted in the page
      for (int i = 0; i < 3; i++) {
        assertEquals(200, http.post("/handlers/upper/feed", Map.of("item", "Paged " + i)).status());
      }
      Await.until("the list counts them", () -> page.exists(ROW) && "3".equals(page.text(ROW + " td:nth-child(5)")));
      assertEquals("taken", "3", page.text(ROW + " td:nth-child(4)"));
      assertEquals("running", page.text(ROW + " [data-field=\"state\"]"));
      page.screenshot(screenshots.resolve("admin-wires.png"));

      // a bad wire is refused, naming the key
      page.type("#wire-name", "loop");
      page.select("#wire-from", "page-low");
      page.type("#wire-to", "upper");
      page.click("#wire-form button[data-action=\"add-wire\"]");
      Await.until("the refusal", () -> page.text("#wire-message").contains("invalid value for 'to'"));

      // removed with its button (a second click confirms)
      page.click(ROW + " button[data-action=\"remove-wire\"]");
      page.click(ROW + " button[data-action=\"remove-wire\"]");
      Await.until("the edge is gone", () -> !page.exists(EDGE) && !page.exists(ROW));
      assertEquals(404, http.get("/wires/paged").status());
      assertTrue("the nodes stay", page.exists("#wire-graph g.node[data-node=\"upper\"]"));
    }
  }
}
