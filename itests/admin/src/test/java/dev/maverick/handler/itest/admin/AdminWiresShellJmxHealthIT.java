package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.wire.Wire;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.apache.felix.service.command.CommandProcessor;
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
 * Wires from the shell (a real Gogo session: the commands print and return nothing), their MBeans
 * in the platform MBean server, and their health checks run by the Felix Health Check executor:
 * WARN while a wire is blocked for more than 5 s, and while it is dead-lettering.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdminWiresShellJmxHealthIT {
  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject CommandProcessor processor;
  @Inject HealthCheckExecutor healthChecks;

  private GogoShell shell;
  private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
  private WireFixtures fixtures;

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.adminWithWires("127.0.0.1"));
  }

  @Before
  public void openSession() throws Exception {
    Await.service(context, Handler.class, "(handler.name=upper)");
    AdminHttpIT.configureAdmin(configAdmin, Map.of());
    fixtures = new WireFixtures(context, configAdmin);
    shell = new GogoShell(processor, "wire:list");
  }

  @After
  public void closeSession() throws Exception {
    shell.close();
    fixtures.deleteAll();
  }

  @Test
  public void wireCommandsPrintTheirAnswers() throws Exception {
    fixtures.lower("low-a");
    fixtures.lower("low-b");
    assertEquals("no wires", shell.run("wire:list"));
    assertEquals("created shelled (" + Wire.FACTORY_PID + "~shelled)",
        shell.run("wire:create shelled from=upper to=low-a,low-b buffer_size=32"));
    String list = shell.run("wire:list");
    assertTrue(list, list.startsWith("NAME"));
    assertTrue(list, list.matches("(?s).*\\nshelled +upper +low-a,low-b +running +0 +0 +0 +0 +0\\.0.*"));

    assertEquals("accepted", shell.run("handler:feed upper Shell"));
    Await.until("both targets got it", () -> shell.quietly("wire:show shelled").matches("(?s).*\\n +delivered +2\\n.*"));
    String shown = shell.run("wire:show shelled");
    assertTrue(shown, shown.startsWith("wire shelled (upper -> low-a, low-b): running"));
    assertTrue(shown, shown.matches("(?s).*\\nconfig\\n.* +buffer_size +32\\n.*"));
    assertTrue(shown, shown.matches("(?s).*\\n +targets\\.low-b\\.delivered +1\\n.*"));
    assertTrue(shown, shown.matches("(?s).*\\n +balanced +true\\n.*"));

    // the wired source's results are refused to the shell too, naming the wire
    shell.assertError("handler:result upper", "the results of 'upper' are read by wire 'shelled'");

    String changed = shell.run("wire:config shelled buffer_size=4 select=");
    assertTrue(changed, changed.matches("(?s).* +buffer_size +4\\n.*"));
    assertTrue(shell.run("wire:config shelled"), shell.run("wire:config shelled").matches("(?s).* +buffer_size +4\\n.*"));
    shell.assertError("wire:config shelled policy=sometimes", "invalid value for 'policy'");
    shell.assertError("wire:create loop from=low-a to=upper", "through wire");
    shell.assertError("wire:create lost from=low-a to=nowhere", "there is no handler 'nowhere'");
    shell.assertError("wire:create typo from=low-a to=low-b bufer_size=2", "did you mean 'buffer_size'?");
    shell.assertError("wire:show nope", "no wire named 'nope'; wires: shelled");
    assertEquals("deleted shelled (" + Wire.FACTORY_PID + "~shelled)", shell.run("wire:delete shelled"));
    shell.assertError("wire:delete shelled", "no wire named 'shelled'");
  }

  @Test
  public void eachWireHasAnMBeanWithItsLedger() throws Exception {
    fixtures.lower("low-jmx");
    shell.run("wire:create jmx from=upper to=low-jmx");
    ObjectName name = new ObjectName("dev.maverick.handler:type=Wire,name=jmx");
    Await.until("its MBean", () -> mbeans.isRegistered(name));
    assertEquals("upper", mbeans.getAttribute(name, "from"));
    assertEquals("low-jmx", mbeans.getAttribute(name, "to"));
    assertEquals("running", mbeans.getAttribute(name, "state"));
    shell.run("handler:feed upper counted");
    Await.until("the MBean counts it", () -> Long.valueOf(1).equals(attribute(name, "delivered")));
    assertEquals(1L, mbeans.getAttribute(name, "taken"));
    assertEquals(1L, mbeans.getAttribute(name, "target.low-jmx.delivered"));
    assertEquals(0L, mbeans.getAttribute(name, "dropped_buffer_full"));
    assertEquals(true, mbeans.getAttribute(name, "balanced"));

    shell.run("wire:config jmx buffer_size=9");
    Await.until("the new instance's MBean", () -> mbeans.isRegistered(name)
        && Integer.valueOf(9).equals(attribute(name, "target.low-jmx.capacity")));
    shell.run("wire:delete jmx");
    Await.until("its MBean goes with it", () -> !mbeans.isRegistered(name));
  }

  @Test
  public void theHealthCheckWarnsWhileAWireIsBlockedForMoreThanFiveSeconds() throws Exception {
    // a target whose one-place input queue nobody takes from: the wire's buffer of one fills, then it waits
    fixtures.lower("stuck", "run_as_thread", false, "max_queue_size", 1);
    shell.run("wire:create jam from=upper to=stuck buffer_size=1 shutdown_timeout=0.1");
    assertEquals(Result.Status.OK, check("jam").getStatus());
    for (int i = 0; i < 3; i++) {
      shell.run("handler:feed upper jam" + i);
    }
    Result warned = Await.value("the check of jam warns that it is blocked", () -> {
      Result now = check("jam");
      return now.getStatus() == Result.Status.WARN && text(now).contains("blocked for") ? now : null;
    });
    assertTrue(text(warned), text(warned).matches("(?s).*wire 'jam': blocked for \\d+ s delivering to 'stuck' "
        + "\\(it takes nothing: its input queue is full\\).*"));
  }

  @Test
  public void theHealthCheckWarnsWhileAWireIsDeadLettering() throws Exception {
    // strict takes integers only, so it refuses upper's strings; they go to the dead letter
    fixtures.lower("strict", "expected_type", "java.lang.Integer");
    fixtures.lower("letters");
    shell.run("wire:create refusing from=upper to=strict dead_letter=letters");
    assertEquals(Result.Status.OK, check("refusing").getStatus());
    shell.run("handler:feed upper refused");
    // the warning comes with the refusal, the count once the dead letter took it: wait for that
    Result warned = Await.value("the check of refusing warns, the item in the dead letter", () -> {
      Result now = check("refusing");
      return now.getStatus() == Result.Status.WARN && text(now).contains("1 sent to 'letters'") ? now : null;
    });
    assertTrue(text(warned), text(warned).contains("wire 'refusing': dead-lettering: 'strict' refused or failed on "
        + "items; 1 sent to 'letters' so far"));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private Result check(String wire) {
    String name = "Wire " + wire;
    List<HealthCheckExecutionResult> results = Await.value("the check " + name, () -> {
      List<HealthCheckExecutionResult> found = healthChecks.execute(HealthCheckSelector.names(name),
          new HealthCheckExecutionOptions().setForceInstantExecution(true));
      return found.isEmpty() ? null : found;
    });
    assertEquals(1, results.size());
    assertTrue(results.get(0).getHealthCheckMetadata().getTags().contains("wires"));
    return results.get(0).getHealthCheckResult();
  }

  private static String text(Result result) {
    StringBuilder text = new StringBuilder();
    for (ResultLog.Entry entry : result) {
      text.append(entry.getStatus()).append(' ').append(entry.getMessage()).append('\n');
    }
    return text.toString();
  }

  private Object attribute(ObjectName name, String attribute) {
    try {
      return mbeans.getAttribute(name, attribute);
    } catch (Exception e) {
      return e.toString();
    }
  }
}
