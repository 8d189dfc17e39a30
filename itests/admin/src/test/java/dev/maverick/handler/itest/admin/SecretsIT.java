package dev.maverick.handler.itest.admin;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.JsonServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
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
 * Reliability suite 8: a network handler's {@code auth} value, its trust store password and the
 * admin token never appear in a log line (DEBUG, verbose handler), an exception, {@code stats()},
 * shell output, the HTTP API, the web page's files or JMX. Everything each of them says while the
 * secrets are in use is collected, and then searched for the secrets.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecretsIT {
  private static final String AUTH = "auth-S3cr3t-7f1c";
  private static final String TRUST_PASSWORD = "trust-S3cr3t-9b2d";
  private static final String TOKEN = "token-S3cr3t-4e8a";
  private static final List<String> SECRETS = List.of(AUTH, TRUST_PASSWORD, TOKEN);

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject CommandProcessor processor;

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.admin("127.0.0.1"), bundleOf("network"),
        systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("debug"),
        // Jetty's own DEBUG log dumps raw request bytes, Authorization headers included: not ours to redact
        systemProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty").value("info"));
  }

  @Test
  public void noSecretIsEverShown() throws Exception {
    StringBuilder said = new StringBuilder();
    PrintStream originalErr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new Tee(originalErr, logs), true, StandardCharsets.UTF_8)); // slf4j-simple's target
    try (JsonServer server = JsonServer.start()) {
      Http http = new Http(context).awaitUp();
      AdminHttpIT.configureAdmin(configAdmin, Map.of("admin_token", TOKEN));
      Map<String, String> bearer = Map.of("Authorization", "Bearer " + TOKEN);

      // create through the API, secrets included, verbose so that the handler logs its calls
      Http.Answer created = http.send("POST", "/handlers", Map.of("kind", "network", "name", "vault", "config",
          Map.of("host", "127.0.0.1", "port", server.port(), "auth", AUTH, "verbose", true)), bearer);
      said.append(created).append('\n');
      assertEquals(created.toString(), 201, created.status());
      @SuppressWarnings("unchecked")
      Handler<Object, Object> vault = Await.service(context, Handler.class, "(handler.name=vault)");
      Await.until("the admin lists vault", () -> http.send("GET", "/handlers/vault", null, bearer).status() == 200);

      // a call that succeeds: the server receives the key, and answers with it in its body
      // (the server's answer is the caller's data: what it holds is the server's choice, not shown here)
      server.respond(200, "{\"echoed_key\": \"" + AUTH + "\"}");
      vault.generate("frame");
      assertEquals("the key is sent to the server", AUTH, server.take().header("x-api-key"));
      // calls that fail: 401 whose body quotes the key, 500 with it, malformed JSON containing it
      server.respond(401, "{\"error\": \"bad key " + AUTH + "\"}");
      said.append(failure(() -> vault.generate("frame")));
      server.respond(500, "oops " + AUTH);
      said.append(failure(() -> vault.generate("frame")));
      server.respond(200, "{\"key\": " + AUTH + "}");
      said.append(failure(() -> vault.generate("frame")));
      assertTrue(vault.feed("queued"));
      Await.until("the fed item failed", () -> vault.stats().itemErrorCount() == 4);

      // bad configurations that involve the secrets
      said.append(http.send("PUT", "/handlers/vault/config", Map.of("trust_store_password", TRUST_PASSWORD), bearer));
      said.append(http.send("PUT", "/handlers/vault/config", Map.of("auth", "line\r\nX-Injected: " + AUTH), bearer));
      said.append(http.send("PUT", "/handlers/vault/config",
          Map.of("trust_store", "/no/such/store.p12", "trust_store_password", TRUST_PASSWORD), bearer));
      said.append(http.send("POST", "/handlers/vault/feed", Map.of("item", "x"), Map.of("Authorization", "Bearer " + TOKEN + "x")));

      // everything the admin shows
      for (String path : List.of("/handlers", "/handlers/vault", "/handlers/vault/config", "/handlers/vault/history",
          "/metrics", "/kinds", "/kinds/network", "/", "/ui/app.js", "/ui/index.html")) {
        said.append(path).append(": ").append(http.send("GET", path, null, bearer).body()).append('\n');
      }
      said.append(vault.stats()).append('\n').append(vault.config()).append('\n').append(vault.config().toDisplayMap());

      // the shell
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]),
          new PrintStream(printed, true, StandardCharsets.UTF_8), new PrintStream(printed, true, StandardCharsets.UTF_8));
      for (String command : List.of("handler:list", "handler:stats vault", "handler:config vault",
          "handler:config vault auth=" + AUTH + "x port=0", "handler:generate vault frame")) {
        try {
          said.append(session.execute(command)).append('\n');
        } catch (Exception e) {
          said.append(stackTrace(e));
        }
      }
      session.close();
      said.append(printed.toString(StandardCharsets.UTF_8)).append('\n');

      // JMX
      MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = new ObjectName("dev.maverick.handler:type=Handler,name=vault");
      for (MBeanAttributeInfo attribute : mbeans.getMBeanInfo(name).getAttributes()) {
        said.append(attribute.getName()).append('=').append(mbeans.getAttribute(name, attribute.getName())).append('\n');
      }
    } finally {
      System.setErr(originalErr);
    }
    String everything = said + "\n" + logs.toString(StandardCharsets.UTF_8);
    List<String> leaks = new ArrayList<>();
    for (String secret : SECRETS) {
      int at = everything.indexOf(secret);
      if (at >= 0) {
        leaks.add(secret + " in: ..." + everything.substring(Math.max(0, at - 600), Math.min(everything.length(), at + 100)));
      }
    }
    System.out.printf("secrets: searched %d characters of logs, exceptions, stats, shell, HTTP and JMX output for 3"
        + " secrets; %d found%n", everything.length(), leaks.size());
    assertTrue(String.join("\n\n", leaks), leaks.isEmpty());
    assertTrue("the logs were captured", logs.size() > 1000);
    assertTrue("the masked values are there", everything.contains("********"));
  }

  private static String failure(Runnable call) {
    try {
      call.run();
      return "no failure\n";
    } catch (RuntimeException e) {
      return stackTrace(e);
    }
  }

  private static String stackTrace(Throwable error) {
    StringWriter text = new StringWriter();
    error.printStackTrace(new PrintWriter(text));
    return text + "\n";
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      synchronized (second) {
        second.write(b);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
      first.write(bytes, offset, length);
      synchronized (second) {
        second.write(bytes, offset, length);
      }
    }
  }
}
