package dev.maverick.handler.itest.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The runnable jar end to end: {@code java -jar maverick-runtime.jar --no-shell} in an empty
 * directory creates {@code etc/} (with the default configurations) and {@code deploy/}, prints
 * where things are, creates and reconfigures handlers from files dropped into {@code etc/}, starts
 * handler bundles dropped into {@code deploy/}, serves the admin's HTTP API on the port it was
 * given and writes the changes made there back to {@code etc/}, and on SIGTERM closes (drains) its
 * handlers and exits 0.
 */
public class RuntimeJarIT {
  private static final String UPPER_PID = "dev.maverick.handler.itest.upper";
  private static final String ECHO_PID = "dev.maverick.handler.echo";
  private static final List<String> DEFAULTS = List.of("dev.maverick.handler.echo-echo.cfg",
      "dev.maverick.handler.network-weather.cfg.example", "dev.maverick.handler.stt-stt.cfg");

  @Test
  public void runsInItsDirectoryAppliesFilesDeploysBundlesServesTheApiAndStopsCleanlyOnSigterm() throws Exception {
    Path dir = workDir("jar");
    try (RuntimeProcess runtime = RuntimeProcess.start(javaHere(), dir)) {
      long readyMillis = runtime.awaitReady();
      System.out.println("handlers active in " + readyMillis + " ms (the banner's figure)");

      // the working directory: etc/ with the defaults, deploy/, one log file; the banner says where
      try (Stream<Path> etc = Files.list(dir.resolve("etc"))) {
        assertEquals(DEFAULTS, etc.map(p -> p.getFileName().toString()).sorted().toList());
      }
      assertTrue(Files.isDirectory(dir.resolve("deploy")));
      assertTrue(Files.isDirectory(dir.resolve("felix-cache")));
      String banner = runtime.stdout();
      assertTrue(banner, banner.indexOf("handlers active in ") < banner.indexOf("HTTP ready in "));
      assertTrue(banner, banner.contains("handlers:   2 active: echo (echo), stt (stt)"));
      assertTrue(banner, banner.contains("admin page: http://127.0.0.1:" + runtime.httpPort + "/"));
      assertTrue(banner, banner.contains("config:     " + dir.resolve("etc") + " (created with"));
      assertTrue(banner, banner.contains("deploy:     " + dir.resolve("deploy")));
      assertTrue(banner, banner.contains("log:        " + dir.resolve("log/maverick.log")));
      runtime.awaitLog("Creating configuration {dev.maverick.handler.echo~echo} from " + dir.resolve("etc"));

      // a .cfg dropped into etc/ creates a handler; editing it reconfigures the live one
      write(dir.resolve("etc/" + ECHO_PID + "-second.cfg"), "name = second\nmax_queue_size = 7\n");
      runtime.awaitLog("handler 'second' (echo) registered from configuration " + ECHO_PID + "~second");
      write(dir.resolve("etc/" + ECHO_PID + "-second.cfg"), "name = second\nmax_queue_size = 7\nverbose = true\n");
      runtime.awaitLog("handler 'second' reconfigured from " + ECHO_PID + "~second");

      // a handler bundle dropped into deploy/ starts, under its .cfg.json waiting in etc/
      write(dir.resolve("etc/" + UPPER_PID + ".cfg.json"),
          "{\n  // JSON, with comments\n  \"name\": \"loud\",\n  \"max_queue_size:Integer\": 5\n}\n");
      runtime.awaitLog("Creating configuration {" + UPPER_PID + "}");
      Files.copy(bundle("fixture-handler"), dir.resolve("deploy/fixture-handler.jar"));
      runtime.awaitLog("handler 'loud' (upper) registered from configuration " + UPPER_PID);

      // the HTTP API (the admin bundle on the Servlet Whiteboard, at the port given with -D) feeds and reads
      Http http = new Http("http://127.0.0.1:" + runtime.httpPort);
      String handlers = http.get("/handlers").body();
      for (String name : List.of("\"echo\"", "\"stt\"", "\"second\"", "\"loud\"")) {
        assertTrue(handlers, handlers.contains("\"name\":" + name));
      }
      assertEquals("{\"accepted\":true}", http.post("/handlers/loud/feed", "{\"item\":\"hello\"}").body());
      assertEquals("{\"result\":\"HELLO\"}", http.get("/handlers/loud/result?timeout=20").body());
      for (int i = 0; i < 3; i++) {
        assertEquals("{\"accepted\":true}", http.post("/handlers/second/feed", "{\"item\":" + i + "}").body());
      }

      // changes through the API are written to etc/: FileInstall's own files, and new configurations
      assertEquals(200, http.put("/handlers/second/config", "{\"max_queue_size\": 9}").statusCode());
      Path second = dir.resolve("etc/" + ECHO_PID + "-second.cfg");
      runtime.await("max_queue_size 9 written back to " + second, RuntimeProcess.STEP,
          () -> read(second).matches("(?s).*max_queue_size\\s*=\\s*(I\"9\"|9)\\s.*"));
      assertEquals(201, http.post("/handlers", "{\"kind\":\"echo\",\"name\":\"third\"}").statusCode());
      Path third = dir.resolve("etc/" + ECHO_PID + "-third.cfg");
      runtime.await(third + " written for the handler made through the API", RuntimeProcess.STEP,
          () -> read(third).contains("third"));

      // SIGTERM: the framework stops, DS deactivates the components, which close and drain their handlers
      assertEquals("exit code after SIGTERM", 0, runtime.terminate());
      String log = runtime.log();
      assertTrue(log, log.contains("stopping: SIGTERM received"));
      assertTrue(log, log.contains("handler 'second' (echo) closed: state=CLOSED, fed=3, processed=3, errors=0, dropped=0"));
      assertTrue(log, log.contains("handler 'loud' (upper) closed: state=CLOSED, fed=1, processed=1"));
      assertTrue(log, log.contains("runtime stopped: 5 handler(s) closed"));
      assertFalse("nothing on standard error: " + runtime.stderr(), runtime.stderr().contains("Exception"));
    }
  }

  @Test
  public void keepsItsBundleCacheBetweenStartsAndCleanStartsAfresh() throws Exception {
    Path dir = workDir("restart");
    Files.createDirectories(dir.resolve("deploy"));
    Files.copy(bundle("fixture-handler"), dir.resolve("deploy/fixture-handler.jar"));
    try (RuntimeProcess first = RuntimeProcess.start(javaHere(), dir)) {
      first.awaitReady();
      assertTrue(first.stdout(), first.stdout().contains("handlers:   3 active: echo (echo), stt (stt), upper (upper)"));
      assertEquals(0, first.terminate());
    }
    Path cache = dir.resolve("felix-cache");
    Path mark = Files.writeString(cache.resolve("left-by-the-test"), "x");
    // a file removed while the runtime is stopped takes its configuration (kept in the cache) with it,
    // and a jar removed from deploy/ its bundle
    Files.delete(dir.resolve("etc/dev.maverick.handler.echo-echo.cfg"));
    Files.delete(dir.resolve("deploy/fixture-handler.jar"));
    try (RuntimeProcess kept = RuntimeProcess.start(javaHere(), dir)) {
      kept.awaitReady();
      assertTrue(kept.log(), kept.log().contains("configuration dev.maverick.handler.echo~echo deleted: "));
      // the echo kind's default instance (its singleton PID, unconfigured) stands in for the deleted one
      assertEquals(kept.log(), 1, RuntimeProcess.occurrences(kept.log(),
          "registered from configuration dev.maverick.handler.echo~echo"));
      assertTrue(kept.stdout(), kept.stdout().contains("handlers:   2 active: echo (echo), stt (stt)"));
      assertEquals(0, kept.terminate());
    }
    assertTrue("the cache was kept", Files.exists(mark));
    // an updated bundle gets a new revision directory (version0.1): the restart updated none
    try (Stream<Path> bundles = Files.list(cache)) {
      for (Path bundle : bundles.filter(p -> p.getFileName().toString().matches("bundle[1-9][0-9]*")).toList()) {
        try (Stream<Path> revisions = Files.list(bundle)) {
          assertEquals(bundle.toString(), List.of("version0.0"), revisions.map(p -> p.getFileName().toString())
              .filter(name -> name.startsWith("version")).toList());
        }
      }
    }
    try (RuntimeProcess clean = RuntimeProcess.start(javaHere(), dir, List.of(), List.of("--clean"))) {
      clean.awaitReady();
      assertTrue(clean.stdout(), clean.stdout().contains("handlers:   2 active: echo (echo), stt (stt)"));
      assertEquals(0, clean.terminate());
    }
    assertFalse("--clean starts with an empty cache", Files.exists(mark));
    assertEquals("owner-only", "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
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
      assertTrue(banner, banner.contains("handlers:   3 active: echo (echo), stt (stt), upper (upper)"));
      assertTrue(banner, banner.contains("config:     " + etc + " (created with"));
      assertTrue(Files.isRegularFile(etc.resolve("dev.maverick.handler.echo-echo.cfg")));
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

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The admin's HTTP API, as a client sees it. */
  private record Http(String base) {
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(URI.create(base + path)).POST(BodyPublishers.ofString(json)));
    }

    HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request
          .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60)).build(), BodyHandlers.ofString());
      assertTrue(response.statusCode() + " " + response.body(), response.statusCode() < 300);
      return response;
    }
  }
}
