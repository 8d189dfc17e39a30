package dev.maverick.handler.itest.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.security.auth.Subject;
import javax.inject.Inject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The features repository in a real Apache Karaf, driven through its shell as a user would:
 * {@code feature:repo-add}, {@code feature:install maverick-handlers} (and the admin's HTTP part),
 * the handlers active, the admin's {@code handler:list} and HTTP API seeing them, and
 * {@code config:property-set} changing a live handler (the same service, reconfigured). The
 * admin's commands also run through the distribution's own {@code bin/client} in batch mode, over
 * Karaf's SSH on a free port: what they print is what a script reading the client gets.
 *
 * <p>Karaf resolves {@code mvn:} URLs from its own system repository, then from this build's
 * bundles (target/reactor-repository), then from ~/.m2: no network, and never a stale install.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeaturesIT {
  private static final String ECHO_PID = "dev.maverick.handler.echo";
  private static final long TIMEOUT_MILLIS = 60_000;
  /** The user bin/client logs in as (its password is the same word). */
  private static final String CLIENT_USER = "maverick";

  @Inject BundleContext context;
  /** Injected once Karaf has installed its boot features: commands are not re-wired under the test. */
  @Inject BootFinished bootFinished;
  @Inject FeaturesService featuresService;
  @Inject SessionFactory sessionFactory;

  @Configuration
  public Option[] config() throws IOException {
    String m2 = System.getProperty("maverick.m2");
    String reactor = System.getProperty("maverick.reactor.repository");
    String mvnConfig = "etc/org.ops4j.pax.url.mvn.cfg";
    int httpPort = freePort();
    int sshPort = freePort();
    return options(
        karafDistributionConfiguration()
            .frameworkUrl(maven().groupId("org.apache.karaf").artifactId("apache-karaf").versionAsInProject().type("tar.gz"))
            .unpackDirectory(new File("target/exam")).useDeployFolder(false),
        configureConsole().ignoreLocalConsole().startRemoteShell(),
        // SSH for bin/client, on loopback and a free port, with a user (the distribution ships none)
        editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(sshPort)),
        editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1"),
        editConfigurationFilePut("etc/users.properties", CLIENT_USER, CLIENT_USER + ",admin,manager,viewer,ssh"),
        logLevel(LogLevel.WARN),
        editConfigurationFilePut(mvnConfig, "org.ops4j.pax.url.mvn.localRepository", m2),
        editConfigurationFilePut(mvnConfig, "org.ops4j.pax.url.mvn.repositories", ""),
        editConfigurationFilePut(mvnConfig, "org.ops4j.pax.url.mvn.defaultRepositories",
            "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots,"
                + "file:" + reactor + "@id=maverick-reactor@snapshots,file:" + m2 + "@id=local@snapshots"),
        // the test runs inside Karaf, a JVM of its own: hand it what it needs to know
        systemProperty("maverick.version").value(System.getProperty("maverick.version")),
        systemProperty("maverick.itest.http.port").value(String.valueOf(httpPort)),
        systemProperty("maverick.itest.ssh.port").value(String.valueOf(sshPort)));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  public void theHandlersInstallFromTheFeaturesRepositoryAndConfigPropertySetChangesALiveHandler() throws Exception {
    installFeatures();
    for (String feature : List.of("maverick-handlers", "maverick-echo", "maverick-network", "maverick-stt",
        "maverick-admin", "maverick-admin-http")) {
      assertTrue(feature, featuresService.isInstalled(featuresService.getFeature(feature)));
    }

    // the handlers with a configuration of their own by default (echo, stt) are active; the admin sees them
    ServiceReference<?> echo = awaitHandler("(handler.name=echo)");
    awaitHandler("(handler.name=stt)");
    String list = execute("handler:list");
    assertTrue(list, list.contains("echo") && list.contains("stt"));

    // config:property-set changes the live handler: renamed in place, the same service
    execute("config:property-set -p " + ECHO_PID + " name loud");
    ServiceReference<?> renamed = awaitHandler("(handler.name=loud)");
    assertEquals("the same live handler, reconfigured in place", echo.getProperty("service.id"),
        renamed.getProperty("service.id"));
    String config = execute("config:list \"(service.pid=" + ECHO_PID + ")\"");
    assertTrue(config, config.contains("name = loud"));

    // the admin's HTTP API (maverick-admin-http: Felix HTTP Jetty) serves them too, on the port
    // configured for it (the feature's default, 8181, may be taken on a build machine)
    execute("config:property-set -p org.apache.felix.http org.osgi.service.http.port "
        + System.getProperty("maverick.itest.http.port"));
    String handlers = awaitHttp("http://127.0.0.1:" + System.getProperty("maverick.itest.http.port") + "/handlers");
    assertTrue(handlers, handlers.contains("\"name\":\"loud\"") && handlers.contains("\"name\":\"stt\""));
  }

  @Test
  public void theHandlerCommandsPrintThroughKarafsClientInBatchMode() throws Exception {
    installFeatures();
    awaitHandler("(handler.name=stt)");
    String printed = client("handler:create echo batch-echo max_queue_size=7",
        "handler:list",
        "handler:generate batch-echo hello",
        "handler:config batch-echo",
        "handler:delete batch-echo");
    assertTrue(printed, printed.contains("created batch-echo (dev.maverick.handler.echo~batch-echo)"));
    assertTrue(printed, printed.matches("(?s).*NAME +KIND +STATE.*\\nbatch-echo +echo +\\w+ .*"));
    assertTrue(printed, printed.contains("\"echo\" : \"hello\""));
    assertTrue(printed, printed.matches("(?s).*max_queue_size +7\\b.*"));
    assertTrue(printed, printed.contains("deleted batch-echo"));
    // the wire:* commands too (the admin's wires' part, with maverick-wire in maverick-handlers)
    String wired = client("handler:create echo batch-source",
        "wire:create batch-wire from=batch-source to=stt",
        "wire:list",
        "wire:show batch-wire",
        "wire:delete batch-wire",
        "handler:delete batch-source");
    assertTrue(wired, wired.contains("created batch-wire (dev.maverick.handler.wire~batch-wire)"));
    // in one batch the wire may not have claimed its source's results yet: "waiting" until it has
    assertTrue(wired, wired.matches("(?s).*NAME +FROM +TO +STATE.*\\nbatch-wire +batch-source +stt +(running|waiting) .*"));
    assertTrue(wired, wired.matches("(?s).*wire batch-wire \\(batch-source -> stt\\): (running|waiting)\\n.*"));
    assertTrue(wired, wired.contains("deleted batch-wire"));
    String refused = client("handler:stats no-such-handler");
    assertTrue("errors reach the client too: " + refused, refused.contains("no handler named 'no-such-handler'"));
  }

  /** Adds the features repository and installs the handlers and the admin, once per container. */
  private void installFeatures() throws Exception {
    Feature admin = featuresService.getFeature("maverick-admin-http");
    if (admin != null && featuresService.isInstalled(admin)) {
      return;
    }
    execute("feature:repo-add mvn:dev.maverick.handler/features/" + System.getProperty("maverick.version") + "/xml/features");
    // In one go: the admin wires its optional jakarta.servlet imports when it resolves, so the
    // HTTP part must come with it (or the admin be refreshed). -r (--no-auto-refresh): JNA (for
    // speech to text) is an optional import of Karaf's jline, and Karaf would otherwise refresh its
    // whole shell, this session included, to wire it.
    execute("feature:install -r maverick-handlers maverick-admin-http");
  }

  /**
   * Runs commands through the distribution's {@code bin/client -b} (one per line on its standard
   * input, as {@code echo "handler:list" | bin/client -b} does) and returns what it printed.
   */
  private String client(String... commands) throws Exception {
    Path home = Path.of(System.getProperty("karaf.home"));
    // through sh: the unpacked distribution's scripts may have lost their executable bit
    ProcessBuilder builder = new ProcessBuilder("sh", home.resolve("bin/client").toString(), "-a",
        System.getProperty("maverick.itest.ssh.port"), "-h", "127.0.0.1", "-u", CLIENT_USER, "-p", CLIENT_USER,
        "-r", "30", "-d", "1", "-b").redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process client = builder.start();
    try {
      try (var in = client.getOutputStream()) {
        in.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      byte[] output = client.getInputStream().readAllBytes();
      assertTrue("bin/client ends", client.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
      String printed = new String(output, StandardCharsets.UTF_8);
      System.err.println("$ bin/client -b <<< " + String.join("; ", commands) + "\n" + printed);
      return printed;
    } finally {
      client.destroyForcibly();
    }
  }

  /** The body of a 200 answer, asked for until the HTTP server is up or the deadline passes. */
  private String awaitHttp(String url) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
    while (true) {
      try {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body();
        }
      } catch (IOException notYetListening) {
        // the server starts a moment after its bundle
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no 200 from " + url + " within " + TIMEOUT_MILLIS + " ms");
      }
      Thread.sleep(50); // polling step of a deadline wait
    }
  }

  private ServiceReference<?> awaitHandler(String filter) throws Exception {
    ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
        context.createFilter("(&(objectClass=dev.maverick.handler.Handler)" + filter + ")"), null);
    tracker.open(true);
    try {
      assertNotNull("a handler " + filter + " within " + TIMEOUT_MILLIS + " ms", tracker.waitForService(TIMEOUT_MILLIS));
      return tracker.getServiceReference();
    } finally {
      tracker.close();
    }
  }

  /**
   * Runs a command in a Karaf shell session, as an administrator typing it at the console would
   * (Karaf's command ACLs hide feature:install and config:property-set from a session without the
   * admin and manager roles), and returns what it printed.
   */
  private String execute(String command) throws Exception {
    Subject admin = new Subject();
    admin.getPrincipals().addAll(List.of(new UserPrincipal("karaf"), new RolePrincipal("admin"),
        new RolePrincipal("manager"), new RolePrincipal("viewer")));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      Session session = sessionFactory.create(System.in, out, out);
      try {
        Object result = Subject.doAs(admin, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        if (result != null) {
          out.println(result);
        }
      } catch (PrivilegedActionException e) {
        throw e.getException();
      } finally {
        session.close();
      }
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.err.println("karaf@root()> " + command + "\n" + printed);
    return printed;
  }
}
