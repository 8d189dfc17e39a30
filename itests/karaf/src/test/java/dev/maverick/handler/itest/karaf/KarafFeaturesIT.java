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
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import javax.security.auth.Subject;
import javax.inject.Inject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
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
 * {@code feature:repo-add}, {@code feature:install maverick-handlers}, the handlers active, and
 * {@code config:property-set} changing a live handler (the same service, reconfigured).
 *
 * <p>Karaf resolves {@code mvn:} URLs from its own system repository, then from this build's
 * bundles (target/reactor-repository), then from ~/.m2: no network, and never a stale install.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeaturesIT {
  /** Until the echo bundle lands: the IT fixture handler, through a test-only feature of its own. */
  private static final String HANDLER_FEATURE = "maverick-itest-upper";
  private static final String HANDLER_PID = "dev.maverick.handler.itest.upper";
  private static final String HANDLER_NAME = "upper";
  private static final long TIMEOUT_MILLIS = 60_000;

  @Inject BundleContext context;
  /** Injected once Karaf has installed its boot features: commands are not re-wired under the test. */
  @Inject BootFinished bootFinished;
  @Inject FeaturesService featuresService;
  @Inject SessionFactory sessionFactory;

  @Configuration
  public Option[] config() {
    String m2 = System.getProperty("maverick.m2");
    String reactor = System.getProperty("maverick.reactor.repository");
    String mvnConfig = "etc/org.ops4j.pax.url.mvn.cfg";
    return options(
        karafDistributionConfiguration()
            .frameworkUrl(maven().groupId("org.apache.karaf").artifactId("apache-karaf").versionAsInProject().type("tar.gz"))
            .unpackDirectory(new File("target/exam")).useDeployFolder(false),
        configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
        logLevel(LogLevel.WARN),
        editConfigurationFilePut(mvnConfig, "org.ops4j.pax.url.mvn.localRepository", m2),
        editConfigurationFilePut(mvnConfig, "org.ops4j.pax.url.mvn.repositories", ""),
        editConfigurationFilePut(mvnConfig, "org.ops4j.pax.url.mvn.defaultRepositories",
            "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots,"
                + "file:" + reactor + "@id=maverick-reactor@snapshots,file:" + m2 + "@id=local@snapshots"),
        // the test runs inside Karaf, a JVM of its own: hand it what it needs to know
        systemProperty("maverick.version").value(System.getProperty("maverick.version")),
        systemProperty("maverick.itest.features").value(new File("target/test-classes/itest-features.xml").getAbsolutePath()),
        keepRuntimeFolder());
  }

  @Test
  public void theHandlersInstallFromTheFeaturesRepositoryAndConfigPropertySetChangesALiveHandler() throws Exception {
    String repository = "mvn:dev.maverick.handler/features/" + System.getProperty("maverick.version") + "/xml/features";
    execute("feature:repo-add " + repository);
    execute("feature:repo-add file:" + System.getProperty("maverick.itest.features"));
    execute("feature:install maverick-handlers");
    execute("feature:install " + HANDLER_FEATURE);
    assertTrue(featuresService.isInstalled(featuresService.getFeature("maverick-handlers")));
    assertTrue(execute("feature:list -i"), execute("feature:list -i").contains("maverick-core"));

    ServiceReference<?> handler = awaitHandler("(handler.name=" + HANDLER_NAME + ")");
    Object serviceId = handler.getProperty("service.id");

    execute("config:property-set -p " + HANDLER_PID + " name shout");
    ServiceReference<?> renamed = awaitHandler("(handler.name=shout)");
    assertEquals("the same live handler, reconfigured in place", serviceId, renamed.getProperty("service.id"));
    String pid = execute("config:list \"(service.pid=" + HANDLER_PID + ")\"");
    assertTrue(pid, pid.contains("name = shout"));
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
