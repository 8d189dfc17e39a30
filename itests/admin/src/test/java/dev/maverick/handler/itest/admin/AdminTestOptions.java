package dev.maverick.handler.itest.admin;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.ops4j.pax.exam.Option;

/** The container of the admin tests: the platform, HTTP Jetty, Gogo, Health Checks, Jackson, and our bundles. */
final class AdminTestOptions {
  static final String HTTP_PORT = "org.osgi.service.http.port";
  static final String HTTP_HOST = "org.apache.felix.http.host";

  private AdminTestOptions() {}

  /** Everything, with Jetty on a free port bound to {@code host}. */
  static Option admin(String host) {
    return admin(host, composite());
  }

  /**
   * Everything and the wire bundle, installed before the admin (whose import of the wire API is
   * optional, so wired at resolve time only when the wire bundle is there), and the echo bundle.
   */
  static Option adminWithWires(String host) {
    return admin(host, composite(bundleOf("echo"), bundleOf("wire")));
  }

  private static Option admin(String host, Option beforeAdmin) {
    return composite(
        platform(),
        mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject(),
        mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject(),
        mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.http.servlet-api").versionAsInProject(),
        mavenBundle("commons-io", "commons-io").versionAsInProject(),
        mavenBundle("commons-fileupload", "commons-fileupload").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.http.jetty").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.eventadmin").versionAsInProject(),
        mavenBundle("org.osgi", "org.osgi.service.condition").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.healthcheck.api").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.healthcheck.core").versionAsInProject(),
        bundleOf("core"),
        bundleOf("fixture-handler"),
        beforeAdmin,
        bundleOf("admin"),
        frameworkProperty(HTTP_PORT).value(String.valueOf(freePort())),
        frameworkProperty(HTTP_HOST).value(host));
  }

  /** The Felix Web Console and what it needs. */
  static Option webConsole() {
    return composite(
        mavenBundle("org.owasp.encoder", "encoder").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.inventory").versionAsInProject(),
        mavenBundle("org.apache.felix", "org.apache.felix.webconsole").versionAsInProject());
  }

  /** A port nobody listens on now (picked on the driver side; never a fixed one). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
