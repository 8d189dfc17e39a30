package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.itest.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
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
 * The Gogo commands (run through a real Gogo session), the MBeans in the platform MBean server,
 * and the health checks run by the Felix Health Check executor.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdminShellJmxHealthIT {
  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject CommandProcessor processor;
  @Inject HealthCheckExecutor healthChecks;

  private CommandSession session;
  /** What the commands print: they write their answers to the session's output, as in Karaf's batch mode. */
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.admin("127.0.0.1"));
  }

  @Before
  public void openSession() throws Exception {
    Await.service(context, Handler.class, "(handler.name=upper)");
    AdminHttpIT.configureAdmin(configAdmin, Map.of());
    session = processor.createSession(new ByteArrayInputStream(new byte[0]),
        new PrintStream(printed, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Await.until("the handler commands are registered", () -> {
      try {
        session.execute("handler:list");
        return true;
      } catch (Exception notYet) {
        return false;
      }
    });
    while (!shell("handler:result upper").startsWith("no result")) {
      // drain results other tests left
    }
  }

  @After
  public void closeSession() {
    session.close();
  }

  // ---- shell -----------------------------------------------------------------------------------

  @Test
  public void listShowsEveryHandlerWithItsCounters() throws Exception {
    String list = shell("handler:list");
    assertTrue(list, list.startsWith("NAME"));
    assertTrue(list, list.matches("(?s).*\\nupper +upper +(idle|running) +\\d+ +\\d+ +\\d+ +\\d+ +\\d+/128 +\\d+/128.*"));
  }

  @Test
  public void feedResultAndGenerateWorkFromTheShell() throws Exception {
    assertEquals("accepted", shell("handler:feed upper shell-item"));
    assertEquals("\"SHELL-ITEM\"", shell("handler:result upper 20"));
    assertTrue(shell("handler:result upper 0.05").startsWith("no result within"));
    assertEquals("\"ABC\"", shell("handler:generate upper abc"));
    // JSON items: a number does not fit upper's expected_type
    assertTrue(shell("handler:feed upper 42").startsWith("dropped: invalid"));
    assertError("handler:generate upper 42", "expected");
    assertError("handler:feed nope x", "no handler named 'nope'");
    assertError("handler:result upper -1", "invalid timeout '-1'");
    assertError("handler:result upper soon", "invalid timeout 'soon'; allowed: a number of seconds");
  }

  @Test
  public void statsShowsTheSeedsKeysAndOurs() throws Exception {
    shell("handler:generate upper counted");
    String stats = shell("handler:stats upper");
    assertTrue(stats, stats.startsWith("handler upper (upper)"));
    assertTrue(stats, stats.matches("(?s).*\\n +processed_count +[1-9]\\d*\\n.*"));
    assertTrue(stats, stats.contains("dropped_by_reason.queue_full"));
    assertTrue(shell("handler:stats").contains("handler upper (upper)"));
    assertError("handler:stats nope", "no handler named 'nope'");
  }

  @Test
  public void configShowsAndChangesThroughConfigAdmin() throws Exception {
    try {
      String shown = shell("handler:config upper");
      assertTrue(shown, shown.matches("(?s).*max_queue_size +128.*"));
      String changed = shell("handler:config upper max_queue_size=12 verbose=true");
      assertTrue(changed, changed.matches("(?s).*max_queue_size +12\\b.*"));
      assertEquals("12", String.valueOf(configAdmin.getConfiguration(AdminHttpIT.UPPER_PID, "?").getProperties()
          .get("max_queue_size")));
      Await.until("the handler took max_queue_size=12",
          () -> handler("upper").stats().inputQueueCapacity() == 12);
      assertError("handler:config upper max_queue_size=lots", "invalid value for 'max_queue_size'");
      assertError("handler:config upper max_queue_size", "is not key=value");
      assertEquals("the bad value was not stored", "12", String.valueOf(configAdmin.getConfiguration(
          AdminHttpIT.UPPER_PID, "?").getProperties().get("max_queue_size")));
      String reset = shell("handler:config upper max_queue_size=");
      assertTrue(reset, reset.matches("(?s).*max_queue_size +128\\b.*"));
    } finally {
      configAdmin.getConfiguration(AdminHttpIT.UPPER_PID, "?").delete();
    }
  }

  @Test
  public void createAndDeleteFromTheShell() throws Exception {
    String created = shell("handler:create lower low-shell max_queue_size=9 auth=hidden");
    assertEquals("created low-shell (dev.maverick.handler.itest.lower~low-shell)", created);
    assertEquals(9, handler("low-shell").stats().inputQueueCapacity());
    String config = shell("handler:config low-shell");
    assertTrue(config, config.contains("********"));
    assertFalse(config, config.contains("hidden"));
    assertError("handler:create lower low-shell", "already exists");
    assertError("handler:create sideways x", "unknown kind 'sideways'");
    assertError("handler:create lower low-bad max_queue_size=-4", "max_queue_size");
    assertEquals("deleted low-shell (dev.maverick.handler.itest.lower~low-shell)", shell("handler:delete low-shell"));
    assertError("handler:delete low-shell", "no handler named 'low-shell'");
    assertError("handler:delete upper", "only factory instances");
  }

  @Test
  public void everyCommandHasADescriptor() throws Exception {
    int described = 0;
    for (java.lang.reflect.Method method : commandsObject().getClass().getMethods()) {
      if (Set.of("list", "stats", "config", "feed", "result", "generate", "create", "delete").contains(method.getName())) {
        assertTrue(method + " has a @Descriptor",
            method.isAnnotationPresent(org.apache.felix.service.command.Descriptor.class));
        described++;
      }
    }
    assertEquals("list, stats x2, config, feed, result x2, generate, create, delete", 10, described);
  }

  // ---- JMX -------------------------------------------------------------------------------------

  @Test
  public void eachHandlerHasAnMBeanWithItsStatsAsAttributes() throws Exception {
    ObjectName upper = new ObjectName("dev.maverick.handler:type=Handler,name=upper");
    Await.until("the MBean of upper", () -> mbeans.isRegistered(upper));
    long before = (Long) mbeans.getAttribute(upper, "processed_count");
    handler("upper").generate("jmx");
    assertEquals(before + 1, mbeans.getAttribute(upper, "processed_count"));
    assertEquals("upper", mbeans.getAttribute(upper, "kind"));
    assertEquals(128, mbeans.getAttribute(upper, "input_queue_capacity"));
    assertTrue(((String) mbeans.getAttribute(upper, "state")).matches("idle|running"));
    assertEquals(0L, mbeans.getAttribute(upper, "dropped_queue_full"));
    Set<String> names = new HashSet<>();
    for (MBeanAttributeInfo info : mbeans.getMBeanInfo(upper).getAttributes()) {
      names.add(info.getName());
      assertTrue(info.isReadable());
      assertFalse("read-only", info.isWritable());
    }
    assertTrue(names.toString(), names.containsAll(List.of("processed_count", "dropped_count", "error_count",
        "network_error_count", "input_queue_size", "result_queue_size", "created_at", "client_id")));
    try {
      mbeans.setAttribute(upper, new javax.management.Attribute("processed_count", 0L));
      fail("attributes are read-only");
    } catch (javax.management.MBeanException expected) {
      assertTrue(expected.getCause().getMessage().contains("Config Admin"));
    }
  }

  @Test
  public void mbeansFollowRenamesAndGoWithTheirHandler() throws Exception {
    shell("handler:create lower low-jmx");
    ObjectName name = new ObjectName("dev.maverick.handler:type=Handler,name=low-jmx");
    Await.until("the MBean of low-jmx", () -> mbeans.isRegistered(name));
    shell("handler:config low-jmx name=low-jmx-renamed");
    ObjectName renamed = new ObjectName("dev.maverick.handler:type=Handler,name=low-jmx-renamed");
    Await.until("the MBean follows the rename", () -> mbeans.isRegistered(renamed) && !mbeans.isRegistered(name));
    shell("handler:delete low-jmx-renamed");
    Await.until("the MBean is gone with the handler", () -> !mbeans.isRegistered(renamed));
  }

  // ---- health checks ---------------------------------------------------------------------------

  @Test
  public void aHealthyHandlerIsOk() throws Exception {
    shell("handler:create lower low-healthy");
    try {
      Result result = check("low-healthy");
      assertEquals(result.toString(), Result.Status.OK, result.getStatus());
    } finally {
      shell("handler:delete low-healthy");
    }
  }

  @Test
  public void aQueueOver80PercentFullAndDropsAreWarnings() throws Exception {
    // no worker: fed items stay queued
    shell("handler:create lower low-full run_as_thread=false max_queue_size=5");
    try {
      for (int i = 0; i < 4; i++) {
        assertEquals("accepted", shell("handler:feed low-full item" + i));
      }
      assertEquals("4 of 5 is not over 80%", Result.Status.OK, check("low-full").getStatus());
      assertEquals("accepted", shell("handler:feed low-full item4"));
      Result full = check("low-full");
      assertEquals(full.toString(), Result.Status.WARN, full.getStatus());
      assertTrue(full.toString(), full.toString().contains("input queue is over 80% full (5/5)"));

      assertTrue(shell("handler:feed low-full item5").startsWith("dropped: queue_full"));
      assertTrue(check("low-full").toString().contains("1 dropped in the last minute"));
    } finally {
      shell("handler:delete low-full");
    }
  }

  @Test
  public void aDeadWorkerIsCritical() throws Exception {
    shell("handler:create lower low-crash");
    try {
      assertEquals("accepted", shell("handler:feed low-crash crash-the-worker"));
      Await.until("the worker died", () -> handler("low-crash").state() == HandlerState.FAILED);
      Result result = check("low-crash");
      assertEquals(result.toString(), Result.Status.CRITICAL, result.getStatus());
      assertTrue(result.toString(), result.toString().contains("worker thread died"));
      assertEquals("failed", mbeans.getAttribute(new ObjectName("dev.maverick.handler:type=Handler,name=low-crash"),
          "state"));
    } finally {
      shell("handler:delete low-crash");
    }
  }

  @Test
  public void everyHandlerHasACheckTaggedHandlers() throws Exception {
    shell("handler:create lower low-tagged");
    try {
      Await.until("a check per handler", () -> {
        Set<String> names = new HashSet<>();
        for (HealthCheckExecutionResult result : healthChecks.execute(HealthCheckSelector.tags("handlers"), now())) {
          names.add(result.getHealthCheckMetadata().getName());
        }
        return names.containsAll(List.of("Handler upper", "Handler low-tagged"));
      });
    } finally {
      shell("handler:delete low-tagged");
    }
    Await.until("its check goes with it", () -> healthChecks.execute(HealthCheckSelector.names("Handler low-tagged"),
        now()).isEmpty());
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private Result check(String handler) {
    String name = "Handler " + handler;
    List<HealthCheckExecutionResult> results = Await.value("the check " + name, () -> {
      List<HealthCheckExecutionResult> found = healthChecks.execute(HealthCheckSelector.names(name), now());
      return found.isEmpty() ? null : found;
    });
    assertEquals(1, results.size());
    assertTrue(results.get(0).getHealthCheckMetadata().getTags().contains("handlers"));
    return results.get(0).getHealthCheckResult();
  }

  private static HealthCheckExecutionOptions now() {
    return new HealthCheckExecutionOptions().setForceInstantExecution(true);
  }

  /** Runs a command and returns what it printed (without the last line break); it returns nothing itself. */
  private String shell(String command) throws Exception {
    printed.reset();
    Object returned = session.execute(command);
    assertEquals("commands print, they return nothing: " + command, null, returned);
    return printed.toString(StandardCharsets.UTF_8).stripTrailing();
  }

  private void assertError(String command, String messagePart) {
    try {
      Object result = session.execute(command);
      fail(command + " should fail, but printed: " + result);
    } catch (Exception e) {
      assertTrue("'" + e.getMessage() + "' should contain '" + messagePart + "'", String.valueOf(e.getMessage())
          .contains(messagePart));
      assertTrue(e.getClass().getName(), e instanceof IllegalArgumentException);
    }
  }

  @SuppressWarnings("unchecked")
  private Handler<Object, Object> handler(String name) {
    return Await.service(context, Handler.class, "(handler.name=" + name + ")");
  }

  private Object commandsObject() throws Exception {
    return context.getService(context.getServiceReferences((String) null, "(osgi.command.scope=handler)")[0]);
  }
}
