package dev.maverick.handler.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options for a Felix with what every handler needs (SCR, Config Admin, Metatype, SLF4J
 * through SPI Fly) and for the project's own bundles, taken from the jars the build just made.
 * Used on the driver side, in {@code @Configuration} methods.
 */
public final class MaverickOptions {
  private MaverickOptions() {}

  /** The platform: DS, Config Admin, Metatype, logging, JUnit, and this support bundle. */
  public static Option platform() {
    return composite(
        // the logging stack starts first (level 1, before Pax Exam's own bundles, which are
        // installed after these): SLF4J 2 binds its provider once, at the first getLogger, and
        // falls back to a no-op logger for good if SPI Fly has not registered slf4j-simple by then
        mavenBundle("org.ow2.asm", "asm").versionAsInProject().startLevel(1),
        mavenBundle("org.ow2.asm", "asm-tree").versionAsInProject().startLevel(1),
        mavenBundle("org.ow2.asm", "asm-analysis").versionAsInProject().startLevel(1),
        mavenBundle("org.ow2.asm", "asm-commons").versionAsInProject().startLevel(1),
        mavenBundle("org.ow2.asm", "asm-util").versionAsInProject().startLevel(1),
        mavenBundle("org.apache.aries.spifly", "org.apache.aries.spifly.dynamic.bundle").versionAsInProject().startLevel(1),
        mavenBundle("org.slf4j", "slf4j-api").versionAsInProject().startLevel(1),
        mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject().startLevel(1),
        mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
        mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
        mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.log").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
        systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value(System.getProperty("itest.log.level", "warn")),
        systemProperty("org.slf4j.simpleLogger.showDateTime").value("true"),
        frameworkProperty("felix.cache.locking").value("false"),
        bundleOf("itest-support"),
        junitBundles(),
        cleanCaches());
  }

  /**
   * Jackson's three bundles, which the network handler (and the admin bundle) import. The test
   * module must have jackson-core, jackson-annotations and jackson-databind as test dependencies,
   * so that their versions are known to {@code versionAsInProject()}.
   */
  public static Option jackson() {
    return composite(
        mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject(),
        mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject(),
        mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject());
  }

  /**
   * One of the project's bundles, from the jar the build made (the surefire property
   * {@code maverick.bundle.<name>}, e.g. {@code core}, {@code echo}).
   */
  public static Option bundleOf(String name) {
    return bundle(bundleUrl(name));
  }

  /** The {@code file:} URL of one of the project's bundles; fails clearly when it was not built. */
  public static String bundleUrl(String name) {
    String path = System.getProperty("maverick.bundle." + name);
    if (path == null) {
      throw new IllegalStateException("system property maverick.bundle." + name + " is not set (see itests/pom.xml)");
    }
    File jar = new File(path);
    if (!jar.isFile()) {
      throw new IllegalStateException("bundle '" + name + "' not built: " + jar + " is missing; run mvn verify from the root");
    }
    return jar.toURI().toString();
  }
}
