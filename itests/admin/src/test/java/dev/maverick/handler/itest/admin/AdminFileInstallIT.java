package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The admin and FileInstall address one configuration: a file {@code <kind pid>-<name>.cfg} is the
 * named factory configuration the API creates and changes; a change through the API is written
 * back to the file (FileInstall's {@code enableConfigSave}), and a delete removes it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdminFileInstallIT {
  private static final String WATCHED = "maverick.itest.watched";

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  @Configuration
  public Option[] config() throws IOException {
    Path work = Path.of(System.getProperty("maverick.itest.work", "target/itest-work"));
    Files.createDirectories(work);
    Path watched = Files.createTempDirectory(work, "fileinstall-");
    return options(AdminTestOptions.admin("127.0.0.1"),
        mavenBundle("org.apache.felix", "org.apache.felix.fileinstall").versionAsInProject(),
        frameworkProperty("felix.fileinstall.dir").value(watched.toString()),
        frameworkProperty("felix.fileinstall.poll").value("200"),
        frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
        frameworkProperty("felix.fileinstall.enableConfigSave").value("true"),
        frameworkProperty(WATCHED).value(watched.toString()));
  }

  @Test
  public void aFileAndTheApiAreOneConfiguration() throws Exception {
    Http http = new Http(context).awaitUp();
    AdminHttpIT.configureAdmin(configAdmin, Map.of());
    Path file = Path.of(context.getProperty(WATCHED)).resolve("dev.maverick.handler.itest.lower-filed.cfg");
    Files.writeString(file, "name = filed\nmax_queue_size = 5\n", StandardCharsets.UTF_8);

    Await.service(context, Handler.class, "(handler.name=filed)");
    // the admin learns of the service in its own listener, which may run after ours
    Await.until("the admin lists the filed handler", () -> http.get("/handlers/filed").status() == 200);
    assertEquals("the file's configuration is the API's named factory instance",
        "dev.maverick.handler.itest.lower~filed", http.get("/handlers/filed").json().get("pid").asText());
    assertEquals(5, http.get("/handlers/filed").json().get("config").get("max_queue_size").asInt());
    AdminHttpIT.assertError(http.post("/handlers", Map.of("kind", "lower", "name", "filed")), 409, "already exists");

    Http.Answer changed = http.put("/handlers/filed/config", Map.of("max_queue_size", 6));
    assertEquals(changed.toString(), 200, changed.status());
    Await.until("the change is written back to " + file, () -> read(file).matches("(?s).*max_queue_size *= *\\S*6\\S*.*"));
    assertTrue("the other keys stay", read(file).contains("filed"));

    assertEquals(200, http.delete("/handlers/filed").status());
    Await.until("the file is deleted with the configuration", () -> !Files.exists(file));
    assertFalse(Files.exists(file));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
