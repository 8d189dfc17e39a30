package dev.maverick.handler.itest.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The runnable jar end to end: {@code java -jar maverick-runtime.jar --no-shell} in an empty
 * directory creates {@code etc/} (with the default configurations) and {@code deploy/}, prints
 * where things are, applies configuration files dropped into {@code etc/} to live handlers,
 * starts handler bundles dropped into {@code deploy/}, serves HTTP on the port it was given, and
 * on SIGTERM closes its handlers and exits 0.
 */
public class RuntimeJarIT {
  private static final String UPPER_PID = "dev.maverick.handler.itest.upper";
  private static final List<String> DEFAULTS = List.of("dev.maverick.handler.echo.cfg",
      "dev.maverick.handler.network-weather.cfg.example", "dev.maverick.handler.stt.cfg");

  @Test
  public void runsInItsDirectoryAppliesFilesDeploysBundlesServesHttpAndStopsCleanlyOnSigterm() throws Exception {
    Path dir = workDir("jar");
    try (RuntimeProcess runtime = RuntimeProcess.start(javaHere(), dir)) {
      long readyMillis = runtime.awaitReady();
      System.out.println("runtime ready in " + readyMillis + " ms (the banner's figure)");

      // the working directory: etc/ with the defaults, deploy/, one log file; the banner says where
      try (Stream<Path> etc = Files.list(dir.resolve("etc"))) {
        assertEquals(DEFAULTS, etc.map(p -> p.getFileName().toString()).sorted().toList());
      }
      assertTrue(Files.isDirectory(dir.resolve("deploy")));
      String banner = runtime.stdout();
      assertTrue(banner, banner.contains("config:     " + dir.resolve("etc") + " (created with"));
      assertTrue(banner, banner.contains("deploy:     " + dir.resolve("deploy")));
      assertTrue(banner, banner.contains("log:        " + dir.resolve("log/maverick.log")));
      assertTrue(banner, banner.contains("http://127.0.0.1:" + runtime.httpPort + "/"));
      runtime.awaitLog("Creating configuration {dev.maverick.handler.echo} from " + dir.resolve("etc"));

      // a .cfg dropped into etc/ waits for its component; a handler bundle dropped into deploy/ starts under it
      write(dir.resolve("etc/" + UPPER_PID + ".cfg"), "name = shout\nmax_queue_size = 7\n");
      runtime.awaitLog("Creating configuration {" + UPPER_PID + "}");
      Files.copy(bundle("fixture-handler"), dir.resolve("deploy/fixture-handler.jar"));
      runtime.awaitLog("handler 'shout' (upper) registered from configuration " + UPPER_PID);

      // editing the file reconfigures the live handler; replacing it by a .cfg.json does too
      write(dir.resolve("etc/" + UPPER_PID + ".cfg"), "name = shout\nmax_queue_size = 9\n");
      runtime.awaitLog("handler 'shout' reconfigured from " + UPPER_PID);
      Files.delete(dir.resolve("etc/" + UPPER_PID + ".cfg"));
      runtime.awaitLog("handler 'upper' reconfigured from " + UPPER_PID);
      Path json = dir.resolve("etc/" + UPPER_PID + ".cfg.json");
      write(json, "{\n  // JSON, with comments\n  \"name\": \"loud\",\n  \"max_queue_size:Integer\": 5\n}\n");
      runtime.awaitLog("handler 'loud' reconfigured from " + UPPER_PID);

      // the HTTP Whiteboard listens on the port given with -Dorg.osgi.service.http.port
      assertEquals(404, status("http://127.0.0.1:" + runtime.httpPort + "/no-such-page"));

      // SIGTERM: the framework stops, DS deactivates the component, which closes (drains) its handler
      assertEquals("exit code after SIGTERM", 0, runtime.terminate());
      String log = runtime.log();
      assertTrue(log, log.contains("stopping: SIGTERM received"));
      assertTrue(log, log.contains("handler 'loud' (upper) closed: state=CLOSED"));
      assertTrue(log, log.contains("runtime stopped: 1 handler(s) closed"));
      assertFalse("nothing on standard error: " + runtime.stderr(), runtime.stderr().contains("Exception"));
    }
  }

  @Test
  public void honoursItsDirectoryPropertiesAndRunsOnTheNewestJdk() throws Exception {
    String newest = System.getProperty("maverick.newest.java", "");
    assumeTrue("the newest JDK is installed at " + newest, Files.isExecutable(Path.of(newest)));
    Path dir = workDir("jdk25");
    Path etc = dir.resolve("config/here");
    Path deploy = dir.resolve("bundles");
    // a bundle already in deploy/ at start is part of the start: its handler is in the banner
    Files.createDirectories(deploy);
    Files.copy(bundle("fixture-handler"), deploy.resolve("fixture-handler.jar"));
    try (RuntimeProcess runtime = RuntimeProcess.start(newest, dir, "-Dmaverick.etc=" + etc,
        "-Dmaverick.deploy=" + deploy, "--sun-misc-unsafe-memory-access=allow")) {
      runtime.awaitReady();
      String banner = runtime.stdout();
      assertTrue(banner, banner.contains("(Java 25"));
      assertTrue(banner, banner.contains("handlers:   1 active: upper (upper)"));
      assertTrue(banner, banner.contains("config:     " + etc + " (created with"));
      assertTrue(Files.isRegularFile(etc.resolve("dev.maverick.handler.echo.cfg")));
      assertFalse(Files.exists(dir.resolve("etc")));
      assertFalse(Files.exists(dir.resolve("deploy")));
      assertEquals(0, runtime.terminate());
      assertTrue(runtime.log(), runtime.log().contains("handler 'upper' (upper) closed: state=CLOSED"));
    }
  }

  /**
   * Writes a file whole, as editors do (a new file moved into place): FileInstall must never read a
   * half-written configuration, which it would apply and, writing configurations back, save over
   * the rest of the edit.
   */
  private static void write(Path file, String text) throws IOException {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Files.writeString(part, text);
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path workDir(String name) throws IOException {
    Path root = Path.of(System.getProperty("maverick.itest.work", "target/itest-work"));
    Files.createDirectories(root);
    return Files.createTempDirectory(root, name + "-");
  }

  private static String javaHere() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path bundle(String name) {
    Path jar = Path.of(System.getProperty("maverick.bundle." + name));
    assertTrue("built: " + jar, Files.isRegularFile(jar));
    return jar;
  }

  private static int status(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    try {
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }
}
