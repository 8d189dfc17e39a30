package dev.maverick.handler.stt.internal;

import dev.maverick.handler.InvalidConfigurationException;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which handler of this runtime talks to which RealtimeSTT server socket. A RealtimeSTT server
 * sends every message to every data client and feeds all their audio into one recognizer, so two
 * handlers on one server would mix each other's audio and each publish the other's transcripts:
 * a second handler on a socket already in use is refused.
 *
 * <p>The registry is static, in this bundle's class loader: every {@code stt} handler of a runtime
 * is made by this bundle, and one revision of it at a time (an update or a restart closes every
 * handler of the old revision, releasing its claims, before the new revision makes any), so the
 * class sees all the handlers that could share a server. It holds only texts and owner objects of
 * this bundle, nothing of another bundle. The service registry could not serve: the handler
 * services carry no URLs (the DS glue publishes name, kind and PID), and handlers made in plain
 * Java (tests, benchmarks) have no registry. Two runtimes on one server are not seen: that is the
 * server's to refuse, and it does not.
 */
final class ServerClaims {
  private static final Map<String, Claim> CLAIMS = new HashMap<>(); // guarded by ServerClaims.class

  private ServerClaims() {}

  /** A handler's hold on its server's two sockets; closing it lets them go. */
  static final class Registration implements AutoCloseable {
    private final Object owner;
    private final String[] sockets;

    private Registration(Object owner, String[] sockets) {
      this.owner = owner;
      this.sockets = sockets;
    }

    @Override
    public void close() {
      synchronized (ServerClaims.class) {
        for (String socket : sockets) {
          CLAIMS.computeIfPresent(socket, (key, claim) -> claim.owner == owner ? null : claim);
        }
      }
    }
  }

  private record Claim(String handler, Object owner, URI url) {}

  /**
   * Checks, for a configuration being validated, that no other handler holds either socket; the
   * handler of the same name (the one being reconfigured) is no conflict.
   *
   * @throws InvalidConfigurationException naming the key, the URL and the handler that holds it
   */
  static synchronized void check(String handler, RealtimeSttSettings settings) {
    conflict(handler, RealtimeSttSettings.CONTROL_URL, settings.controlUrl());
    conflict(handler, RealtimeSttSettings.DATA_URL, settings.dataUrl());
  }

  /**
   * Claims the two sockets for {@code owner} (an engine of handler {@code handler}); a claim the
   * same handler made for an engine it replaces passes to the new one.
   *
   * @throws InvalidConfigurationException if another handler holds one of them
   */
  static synchronized Registration claim(String handler, Object owner, RealtimeSttSettings settings) {
    check(handler, settings);
    String control = socket(settings.controlUrl());
    String data = socket(settings.dataUrl());
    CLAIMS.put(control, new Claim(handler, owner, settings.controlUrl()));
    CLAIMS.put(data, new Claim(handler, owner, settings.dataUrl()));
    return new Registration(owner, new String[] {control, data});
  }

  /** True when two URLs name the same socket (the same scheme, host and port, and path). */
  static boolean sameServerSocket(URI first, URI second) {
    return socket(first).equals(socket(second));
  }

  private static void conflict(String handler, String key, URI url) {
    Claim claim = CLAIMS.get(socket(url));
    if (claim == null || claim.handler.equals(handler)) {
      return;
    }
    throw new InvalidConfigurationException(key, url.toString(), "a RealtimeSTT server no other handler uses: "
        + "handler '" + claim.handler + "' already uses " + claim.url + " (the server sends every transcript to "
        + "every client and mixes their audio into one recognizer)");
  }

  /**
   * The socket a URL names: loopback names and addresses count as one host, and a missing port
   * as the scheme's.
   */
  private static String socket(URI url) {
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    String host = url.getHost().toLowerCase(Locale.ROOT);
    if (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1")) {
      host = "loopback";
    }
    int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("wss") ? 443 : 80;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return host + ":" + port + path;
  }
}
