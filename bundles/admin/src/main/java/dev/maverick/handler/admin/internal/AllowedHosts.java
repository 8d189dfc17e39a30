package dev.maverick.handler.admin.internal;

import dev.maverick.handler.InvalidConfigurationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DNS rebinding rule: which {@code Host} header values the admin serves. A page on a
 * rebinding domain reaches a loopback server under the attacker's name, so a request is served only
 * when its {@code Host} names the address the server is bound to (the address the connection came
 * in on, or Felix Jetty's bind host) or an entry of {@code allowed_hosts}. An entry without a port
 * matches the name with no port or with the server's own; an entry with a port matches that port
 * only. Names are compared without case; IP literals by address ({@code [0:0::1]} is {@code [::1]});
 * no name is ever resolved.
 */
final class AllowedHosts {
  /** What an entry (and a Host header) may look like, in words. */
  static final String RULE = "a host name, an IPv4 address or an IPv6 address in brackets, optionally with ':port'";
  /** The default: loopback names and addresses. */
  static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

  private static final Pattern HOST_AND_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?");
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

  /** A host and an optional port, the host normalised: a name in lower case, an address in its canonical text. */
  record HostPort(String host, int port) {
    static final int ANY_PORT = -1;

    boolean hasPort() {
      return port != ANY_PORT;
    }

    @Override
    public String toString() {
      return hasPort() ? host + ":" + port : host;
    }
  }

  private final List<HostPort> entries;

  private AllowedHosts(List<HostPort> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Checks the entries of {@code allowed_hosts}.
   *
   * @throws InvalidConfigurationException naming the first entry that is not {@value #RULE}
   */
  static AllowedHosts of(Collection<String> entries) {
    List<HostPort> parsed = new ArrayList<>();
    for (String entry : entries) {
      parse(entry == null ? "" : entry.trim()).ifPresentOrElse(parsed::add, () -> {
        throw new InvalidConfigurationException("allowed_hosts", entry, RULE).withPid(AdminConfig.PID);
      });
    }
    return new AllowedHosts(parsed);
  }

  /** The entries, as configured (normalised). */
  List<HostPort> entries() {
    return entries;
  }

  /**
   * Whether a request's {@code Host} header is served.
   *
   * @param header the header, or null when the request has none (never served)
   * @param serverPort the port the connection came in on
   * @param boundHosts the address the connection came in on and Felix Jetty's bind host, when set
   */
  boolean allows(String header, int serverPort, Collection<String> boundHosts) {
    Optional<HostPort> given = header == null ? Optional.empty() : parse(header.trim());
    if (given.isEmpty()) {
      return false;
    }
    HostPort host = given.get();
    for (String bound : boundHosts) {
      Optional<HostPort> address = bound == null ? Optional.empty() : parse(bracketed(bound.trim()));
      if (address.isPresent() && address.get().host().equals(host.host())
          && (!host.hasPort() || host.port() == serverPort)) {
        return true;
      }
    }
    for (HostPort entry : entries) {
      if (entry.host().equals(host.host()) && (entry.hasPort() ? host.port() == entry.port()
          : !host.hasPort() || host.port() == serverPort)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses {@code host[:port]}: a name, an IPv4 address or a bracketed IPv6 address, normalised;
   * empty when it is none of these or the port is out of range.
   */
  static Optional<HostPort> parse(String text) {
    Matcher matcher = HOST_AND_PORT.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    int port = matcher.group(2) == null ? HostPort.ANY_PORT : Integer.parseInt(matcher.group(2));
    if (matcher.group(2) != null && (port < 1 || port > 65_535)) {
      return Optional.empty();
    }
    String host = matcher.group(1);
    Optional<String> normalised;
    if (host.startsWith("[")) {
      normalised = host.indexOf(':') < 0 ? Optional.empty() : ipv6(host).map(address -> "[" + address + "]");
    } else if (IPV4.matcher(host).matches()) {
      normalised = ipv4(host);
    } else if (NAME.matcher(host).matches() && host.length() <= 253) {
      normalised = Optional.of(host.toLowerCase(Locale.ROOT));
    } else {
      normalised = Optional.empty();
    }
    return normalised.map(name -> new HostPort(name, port));
  }

  /** Dotted decimal with each part 0 to 255, without leading zeros kept. */
  private static Optional<String> ipv4(String address) {
    StringBuilder canonical = new StringBuilder();
    for (String part : address.split("\\.")) {
      int value = Integer.parseInt(part);
      if (value > 255) {
        return Optional.empty();
      }
      canonical.append(canonical.length() == 0 ? "" : ".").append(value);
    }
    return Optional.of(canonical.toString());
  }

  /**
   * A bracketed IPv6 literal in its canonical text. The brackets make the JDK parse it as a literal
   * and refuse it if it is not one: no name is ever looked up.
   */
  private static Optional<String> ipv6(String bracketed) {
    try {
      return Optional.of(InetAddress.getByName(bracketed).getHostAddress());
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** An IPv6 address as the servlet API gives it (no brackets) in the Host header's form. */
  private static String bracketed(String address) {
    return address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
