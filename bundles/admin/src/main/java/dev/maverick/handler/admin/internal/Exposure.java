package dev.maverick.handler.admin.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether the HTTP server listens beyond loopback, from the endpoints the HTTP runtime
 * announces ({@code osgi.http.endpoint}), Felix Jetty's bind host ({@code org.apache.felix.http.host})
 * and the address a request arrived on. Unknown or unresolvable hosts count as beyond loopback.
 */
final class Exposure {
  /** Felix HTTP Jetty's bind host property. */
  static final String FELIX_HOST_PROPERTY = "org.apache.felix.http.host";

  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.%]*:[0-9A-Fa-f:.%]*");

  private Exposure() {}

  /**
   * The endpoints (or bind host) that reach beyond loopback.
   *
   * @param endpoints URLs announced by the HTTP runtimes, e.g. {@code http://127.0.0.1:8181/}
   * @param bindHost Felix Jetty's bind host, or null when not set as a framework property
   */
  static List<String> beyondLoopback(Collection<String> endpoints, String bindHost) {
    List<String> exposed = new ArrayList<>();
    for (String endpoint : endpoints) {
      String host = hostOf(endpoint);
      if (host == null || !isLoopback(host)) {
        exposed.add(endpoint);
      }
    }
    if (bindHost != null && !bindHost.isBlank() && !isLoopback(bindHost.trim())) {
      exposed.add(FELIX_HOST_PROPERTY + "=" + bindHost.trim());
    }
    return exposed;
  }

  /** True for {@code localhost}, 127.0.0.0/8 and ::1; false for the wildcard and every other address. */
  static boolean isLoopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost") || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
      return true;
    }
    if (!IP_LITERAL.matcher(bare).matches()) {
      // a name: do not trust DNS to say where the server listens
      return false;
    }
    try {
      InetAddress address = InetAddress.getByName(bare);
      return address.isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String hostOf(String endpoint) {
    try {
      URI uri = URI.create(endpoint.trim());
      return uri.getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
