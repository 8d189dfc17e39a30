package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/** With the Felix Web Console installed, the page is also its plugin at /system/console/handlers. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebConsolePluginIT {
  @Inject BundleContext context;

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.admin("127.0.0.1"), AdminTestOptions.webConsole());
  }

  @Test
  public void thePageIsAWebConsolePlugin() {
    Await.service(context, Handler.class, "(handler.name=upper)");
    Http http = new Http(context).awaitUp();
    // the Web Console's default credentials
    Map<String, String> login = Map.of("Authorization", "Basic "
        + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)));
    Await.until("the plugin is listed", () -> {
      Http.Answer answer = http.send("GET", "/system/console/handlers", null, login);
      return answer.status() == 200 && answer.body().contains("id=\"maverick-admin\"");
    });
    Http.Answer page = http.send("GET", "/system/console/handlers", null, login);
    assertTrue("inside the console's frame", page.body().contains("Handlers"));
    assertTrue(page.body().contains("src=\"/ui/app.js\""));
    // the API the plugin's script talks to is the same
    assertEquals(200, http.get("/handlers").status());

    // and in a browser, the script runs inside the console's page
    java.util.Optional<java.nio.file.Path> chromium = Chromium.find();
    if (chromium.isEmpty()) {
      org.junit.Assume.assumeFalse("Chromium is required on CI", "true".equalsIgnoreCase(System.getenv("CI")));
      return;
    }
    try (Chromium browser = Chromium.launch(chromium.get(),
        java.nio.file.Path.of(System.getProperty("maverick.itest.work", "target/itest-work")));
        Chromium.Page tab = browser.newPage()) {
      tab.headers(login);
      tab.navigate(http.base() + "/system/console/handlers");
      Await.until("the handler cards in the console", () -> tab.exists("[data-handler=\"upper\"] [data-stat=\"fed_count\"]")
          && tab.text("[data-handler=\"upper\"] [data-stat=\"fed_count\"]").matches("\\d+"));
      tab.screenshot(java.nio.file.Path.of(System.getProperty("maverick.screenshots", "target/screenshots"))
          .resolve("webconsole-plugin.png"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
