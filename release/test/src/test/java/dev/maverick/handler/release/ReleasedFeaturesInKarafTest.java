package dev.maverick.handler.release;

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

import java.io.File;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;
import javax.inject.Inject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The released features repository in a real Karaf that knows only Karaf's own system repository, the local
 * repository for third-party bundles, and the release repository: the project's bundles can come from nowhere
 * but the release.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReleasedFeaturesInKarafTest {
  private static final long TIMEOUT_MILLIS = 60_000;

  @Inject BundleContext context;
  /** Injected once Karaf has installed its boot features. */
  @Inject BootFinished bootFinished;
  @Inject FeaturesService featuresService;

  /** Runs in the test's JVM, before Karaf starts: the release must exist by then. */
  @Configuration
  public Option[] config() throws Throwable {
    Rehearsal release = Rehearsal.release();
    String mavenConfig = "etc/org.ops4j.pax.url.mvn.cfg";
    return options(
        karafDistributionConfiguration()
            .frameworkUrl(maven().groupId("org.apache.karaf").artifactId("apache-karaf").versionAsInProject().type("tar.gz"))
            .unpackDirectory(new File("target/karaf")).useDeployFolder(false),
        configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
        logLevel(LogLevel.WARN),
        editConfigurationFilePut(mavenConfig, "org.ops4j.pax.url.mvn.localRepository", System.getProperty("maverick.m2")),
        editConfigurationFilePut(mavenConfig, "org.ops4j.pax.url.mvn.repositories", ""),
        editConfigurationFilePut(mavenConfig, "org.ops4j.pax.url.mvn.defaultRepositories",
            "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots,"
                + release.repository.toUri() + "@id=maverick-release"),
        systemProperty("maverick.release.version").value(Rehearsal.VERSION));
  }

  @Test
  public void theReleasedFeaturesRepositoryInstallsTheHandlersFromTheReleaseRepository() throws Exception {
    String version = System.getProperty("maverick.release.version");
    featuresService.addRepository(URI.create("mvn:dev.maverick.handler/features/" + version + "/xml/features"));
    featuresService.installFeatures(Set.of("maverick-handlers/" + version),
        EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
    assertTrue("maverick-handlers " + version + " is installed",
        featuresService.isInstalled(featuresService.getFeature("maverick-handlers", version)));

    Bundle core = null;
    for (Bundle bundle : context.getBundles()) {
      if ("dev.maverick.handler.core".equals(bundle.getSymbolicName())) {
        core = bundle;
      }
    }
    assertNotNull("the core bundle is installed", core);
    assertEquals("the released core", version, core.getVersion().toString());
    assertEquals("installed from the release's coordinates", "mvn:dev.maverick.handler/core/" + version,
        core.getLocation());

    // the handlers that have a configuration of their own by default are running
    for (String name : new String[] {"echo", "stt"}) {
      ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(
          "(&(objectClass=dev.maverick.handler.Handler)(handler.name=" + name + "))"), null);
      tracker.open(true);
      try {
        assertNotNull("a handler " + name + " within " + TIMEOUT_MILLIS + " ms", tracker.waitForService(TIMEOUT_MILLIS));
      } finally {
        tracker.close();
      }
    }
  }
}
