package dev.maverick.handler.admin.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who gets through the admin's HTTP door, checked before anything is read or done:
 *
 * <ol>
 *   <li>{@code Host} must name the address the server is bound to or an {@code allowed_hosts}
 *       entry (DNS rebinding): 421 otherwise, for every path.</li>
 *   <li>An API request (not the page's own files) with a foreign {@code Origin}, or sent
 *       cross-site ({@code Sec-Fetch-Site}), is refused with 403: a web page elsewhere can neither
 *       write nor take a result, not even as an {@code <img>}.</li>
 *   <li>With {@code admin_token} set, every API request needs {@code Authorization: Bearer}
 *       (401), reads included; the page's files stay public, and {@code /metrics} with
 *       {@code metrics_public}. Without a token, writes (and taking a result) are refused with 403
 *       while the server listens beyond loopback.</li>
 * </ol>
 */
final class RequestGuard {
  private static final Logger LOG = LoggerFactory.getLogger(RequestGuard.class);

  /** What a request may do, which decides what it needs. */
  enum Access {
    /** The page's own files: public. */
    PAGE,
    /** {@code /metrics}: public with {@code metrics_public}. */
    METRICS,
    /** Reads that change nothing. */
    READ,
    /** Everything that changes something, taking a result included. */
    WRITE
  }

  private final Supplier<AdminSettings> settings;
  private final String bindHost;
  private final Map<Object, List<String>> endpoints = new ConcurrentHashMap<>();
  /** The exposure last warned about, so that the warning is logged once per change. */
  private final AtomicReference<String> warned = new AtomicReference<>("");

  RequestGuard(Supplier<AdminSettings> settings, String bindHost) {
    this.settings = settings;
    this.bindHost = bindHost;
  }

  /** An HTTP runtime announced (or changed) its endpoints. */
  void runtime(Object runtime, List<String> announced) {
    endpoints.put(runtime, announced);
    warnIfExposedWithoutToken();
  }

  void runtimeGone(Object runtime) {
    endpoints.remove(runtime);
  }

  /** Where the server listens beyond loopback, by the runtimes' endpoints and Felix Jetty's bind host. */
  List<String> exposure() {
    List<String> all = new ArrayList<>();
    endpoints.values().forEach(all::addAll);
    return Exposure.beyondLoopback(all, bindHost);
  }

  /** Refuses a request whose {@code Host} is not this server's (421). */
  void checkHost(HttpServletRequest request) {
    String host = request.getHeader("Host");
    List<String> bound = new ArrayList<>(2);
    bound.add(request.getLocalAddr());
    if (bindHost != null && !bindHost.isBlank()) {
      bound.add(bindHost.trim());
    }
    AllowedHosts allowed = settings.get().allowedHosts();
    if (!allowed.allows(host, request.getLocalPort(), bound)) {
      throw new AdminException(AdminException.MISDIRECTED, (host == null ? "no Host header" : "Host '" + printable(host)
          + "' is not this server") + "; allowed: the address the server is bound to, or an entry of allowed_hosts in "
          + "configuration " + AdminConfig.PID + " (now: " + allowed.entries().stream().map(Object::toString)
          .collect(Collectors.joining(", ")) + ")");
    }
  }

  /** Checks origin, token and exposure for a request of this access; throws 401 or 403. */
  void admit(HttpServletRequest request, Access access) {
    if (access == Access.PAGE) {
      return;
    }
    requireSameOrigin(request);
    AdminSettings current = settings.get();
    if (access == Access.METRICS && current.metricsPublic()) {
      return;
    }
    Optional<String> token = current.adminToken();
    if (token.isPresent()) {
      requireToken(request, token.get());
    } else if (access == Access.WRITE) {
      requireLoopbackOnly(request);
    }
  }

  private static void requireSameOrigin(HttpServletRequest request) {
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
      throw new AdminException(AdminException.FORBIDDEN, "a request sent from another site (Sec-Fetch-Site: "
          + printable(site) + ") is refused; the API answers its own page, scripts and tools");
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !sameOrigin(origin, request.getHeader("Host"))) {
      throw new AdminException(AdminException.FORBIDDEN, "a request from Origin '" + printable(origin)
          + "' is refused: it is not this server (Host '" + printable(String.valueOf(request.getHeader("Host")))
          + "'); the API answers its own page, scripts and tools");
    }
  }

  /** The Origin's host and port are the Host header's (ports default by the Origin's scheme). */
  static boolean sameOrigin(String origin, String hostHeader) {
    URI uri;
    try {
      uri = URI.create(origin.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getRawAuthority() == null || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getRawPath() != null && !uri.getRawPath().isEmpty() || hostHeader == null) {
      return false;
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    Optional<AllowedHosts.HostPort> from = AllowedHosts.parse(uri.getRawAuthority());
    Optional<AllowedHosts.HostPort> to = AllowedHosts.parse(hostHeader.trim());
    if (from.isEmpty() || to.isEmpty()) {
      return false;
    }
    int fromPort = from.get().hasPort() ? from.get().port() : defaultPort;
    int toPort = to.get().hasPort() ? to.get().port() : defaultPort;
    return from.get().host().equals(to.get().host()) && fromPort == toPort;
  }

  private static void requireToken(HttpServletRequest request, String token) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AdminException(AdminException.UNAUTHORIZED,
          "this request needs the header 'Authorization: Bearer <admin_token>'");
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
      throw new AdminException(AdminException.UNAUTHORIZED, "wrong admin token");
    }
  }

  private void requireLoopbackOnly(HttpServletRequest request) {
    List<String> exposed = new ArrayList<>(exposure());
    String local = request.getLocalAddr();
    if (local != null && !Exposure.isLoopback(local)) {
      exposed.add("request received on " + local);
    }
    if (!exposed.isEmpty()) {
      warnIfExposedWithoutToken();
      throw new AdminException(AdminException.FORBIDDEN, "writes are refused: the HTTP server listens beyond "
          + "loopback (" + String.join(", ", exposed) + ") and no admin_token is configured; set admin_token in "
          + "configuration " + AdminConfig.PID + " and send 'Authorization: Bearer <admin_token>'");
    }
  }

  /** Logs once per change of exposure that writes are refused for want of a token. */
  void warnIfExposedWithoutToken() {
    List<String> exposed = exposure();
    String key = exposed.toString();
    if (!exposed.isEmpty() && settings.get().adminToken().isEmpty()) {
      if (!key.equals(warned.getAndSet(key))) {
        LOG.error("The HTTP server listens beyond loopback ({}) and no admin_token is configured: the handler admin "
            + "refuses every HTTP write (POST, PUT, DELETE). Set admin_token in configuration {}, or bind the server "
            + "to loopback ({}=127.0.0.1).", String.join(", ", exposed), AdminConfig.PID, Exposure.FELIX_HOST_PROPERTY);
      }
    } else {
      warned.set("");
    }
  }

  /** A header value as it may be shown: control characters escaped, at most 200 characters. */
  private static String printable(String value) {
    StringBuilder shown = new StringBuilder();
    value.codePoints().limit(200).forEach(c -> {
      if (Character.isISOControl(c)) {
        shown.append(String.format("\\u%04x", c));
      } else {
        shown.appendCodePoint(c);
      }
    });
    return value.length() > 200 ? shown + "..." : shown.toString();
  }
}
