package dev.maverick.handler.itest.admin;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.itest.Await;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.inject.Inject;
import javax.management.ObjectName;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Without HTTP, Gogo, Health Checks and the wire bundle the admin bundle still resolves, serves JMX, and no component fails. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdminWithoutOptionalBundlesIT {
  @Inject BundleContext context;

  @Configuration
  public Option[] config() {
    return options(platform(),
        mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject(),
        mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject(),
        mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject(),
        bundleOf("core"), bundleOf("fixture-handler"), bundleOf("admin"));
  }

  @Test
  public void theBundleRunsAndServesJmx() throws Exception {
    Await.service(context, Handler.class, "(handler.name=upper)");
    Bundle admin = null;
    for (Bundle bundle : context.getBundles()) {
      if (bundle.getSymbolicName().equals("dev.maverick.handler.admin")) {
        admin = bundle;
      }
    }
    assertEquals(Bundle.ACTIVE, admin.getState());
    ObjectName upper = new ObjectName("dev.maverick.handler:type=Handler,name=upper");
    Await.until("the MBean of upper", () -> ManagementFactory.getPlatformMBeanServer().isRegistered(upper));
    assertEquals("upper", ManagementFactory.getPlatformMBeanServer().getAttribute(upper, "kind"));
    // the parts that need HTTP or Health Checks wait for them; nothing failed to activate
    ServiceComponentRuntime scr = Await.service(context, ServiceComponentRuntime.class, null);
    Map<String, Integer> states = new TreeMap<>();
    for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(admin)) {
      for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
        states.put(description.name.substring(description.name.lastIndexOf('.') + 1), configuration.state);
      }
    }
    Map<String, Integer> expected = new TreeMap<>();
    for (String waiting : List.of("AdminServlet", "WebConsolePlugin", "HandlerHealthChecks",
        // without the wire bundle the wires' part waits for its WireValidator, and never loads the wire API
        "WireAdmin", "WireCommands", "WireMBeans", "WireHealthChecks")) {
      expected.put(waiting, ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
    }
    expected.put("HandlerAdmin", ComponentConfigurationDTO.ACTIVE);
    expected.put("HandlerMBeans", ComponentConfigurationDTO.ACTIVE);
    // delayed services nobody uses here: ready, not created
    expected.put("StatsHistory", ComponentConfigurationDTO.SATISFIED);
    expected.put("HandlerCommands", ComponentConfigurationDTO.SATISFIED);
    assertEquals(expected,
        states);
  }
}
