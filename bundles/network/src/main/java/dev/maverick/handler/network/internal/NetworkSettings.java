package dev.maverick.handler.network.internal;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The network handler's own keys, read from a {@link HandlerConfig} and checked together: the
 * endpoint URL, method, credentials, timeouts, retries, TLS trust and the response limit.
 * Immutable; every configuration change makes a new one.
 *
 * <p>Secrets ({@code auth}, {@code trust_store_password}, any key {@link HandlerConfig#isSecretKey}
 * names) are kept only to be sent; nothing this class shows ({@link #toString()},
 * {@link #toDisplayMap()}, {@link #redact}) contains them, in any of the forms {@link Secrets} knows.
 *
 * <p>{@code auth} is never sent in clear text beyond this machine: with {@code scheme=http} the host
 * must be a loopback name or address, unless {@code auth_over_http=true} says the user means it
 * (README, "Secrets").
 */
final class NetworkSettings {
  static final String SCHEME = "scheme";
  static final String PATH = "path";
  static final String METHOD = "method";
  static final String AUTH_HEADER = "auth_header";
  static final String AUTH_SCHEME = "auth_scheme";
  static final String RETRIES = "retries";
  static final String RETRY_BACKOFF = "retry_backoff";
  static final String TRUST_STORE = "trust_store";
  static final String TRUST_STORE_PASSWORD = "trust_store_password";
  static final String MAX_RESPONSE_BYTES = "max_response_bytes";
  static final String AUTH_OVER_HTTP = "auth_over_http";

  /** The seed's FaceRecognitionHandler falls back to 10 s when network_timeout is not set. */
  static final double DEFAULT_TIMEOUT_SECONDS = 10.0;
  /** The header the seed's network subclasses send their key in. */
  static final String DEFAULT_AUTH_HEADER = "x-api-key";
  /** The header used when only auth_scheme is set. */
  static final String AUTHORIZATION = "Authorization";
  static final List<String> SCHEMES = List.of("http", "https");
  /** Methods that carry a request body. */
  static final List<String> METHODS = List.of("POST", "PUT", "PATCH");
  static final int DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
  /** The largest byte array the JVM can make. */
  static final int MAX_MAX_RESPONSE_BYTES = Integer.MAX_VALUE - 8;
  static final int MAX_RETRIES = 10;
  static final double DEFAULT_RETRY_BACKOFF_SECONDS = 0.5;
  static final double MAX_RETRY_BACKOFF_SECONDS = 60.0;
  /** No single wait between attempts is longer than this, however many attempts failed. */
  static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(60);
  /** The headers the handler sets itself; auth_header may not replace them. */
  static final Set<String> OWN_HEADERS = Set.of("content-type", "accept", "x-client-id");

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7E\\t]*");
  private static final URI PROBE = URI.create("http://localhost/");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private final URI uri;
  private final String method;
  private final String authHeader;
  private final String authScheme;
  private final String auth;
  private final Duration timeout;
  private final int retries;
  private final Duration retryBackoff;
  private final int maxResponseBytes;
  private final String trustStore;
  private final SSLContext sslContext;
  private final boolean hasTrustStorePassword;
  private final boolean authOverHttp;
  private final RequestTemplate requestTemplate;
  private final ResponsePointer responsePointer;
  private final Secrets secrets;

  private NetworkSettings(HandlerConfig config) {
    String scheme = config.choiceValue(SCHEME, "http", SCHEMES);
    String host = config.host().orElseThrow(() -> InvalidConfigurationException.missing(HandlerConfig.HOST,
        "the server's host name or IP address, e.g. 127.0.0.1 or faces.example.org"));
    int port = config.port().orElse(scheme.equals("https") ? 443 : 80);
    String path = config.stringValue(PATH, "/");
    this.uri = uri(scheme, host, port, path);
    this.method = config.choiceValue(METHOD, "POST", METHODS);
    this.auth = config.auth().filter(value -> !value.isEmpty()).orElse(null);
    if (auth != null && !HEADER_VALUE.matcher(auth).matches()) {
      // the key is a secret: the exception shows the value masked
      throw new InvalidConfigurationException(HandlerConfig.AUTH, auth,
          "printable ASCII without line breaks (it is sent in an HTTP header)");
    }
    if (!HEADER_VALUE.matcher(config.clientIdPrefix()).matches()) {
      // the client id goes into the X-Client-Id header: the HTTP client would refuse every call
      throw new InvalidConfigurationException(HandlerConfig.CLIENT_ID_PREFIX, config.clientIdPrefix(),
          "printable ASCII without line breaks (it is sent in the X-Client-Id header)");
    }
    this.authScheme = config.stringValue(AUTH_SCHEME, null);
    if (authScheme != null && !TOKEN.matcher(authScheme).matches()) {
      throw new InvalidConfigurationException(AUTH_SCHEME, authScheme,
          "an HTTP authentication scheme: one word such as Bearer or Token");
    }
    this.authHeader = headerName(config.stringValue(AUTH_HEADER, authScheme != null ? AUTHORIZATION : DEFAULT_AUTH_HEADER));
    this.authOverHttp = config.booleanValue(AUTH_OVER_HTTP, false);
    if (auth != null && scheme.equals("http") && !authOverHttp && !isLoopback(uri.getHost())) {
      throw new InvalidConfigurationException(SCHEME, scheme, "https when auth is set and the host (" + host
          + ") is not a loopback name or address: over http, auth would cross the network in clear text; "
          + "set auth_over_http=true to send it so anyway");
    }
    this.timeout = config.networkTimeout().orElse(Duration.ofMillis((long) (DEFAULT_TIMEOUT_SECONDS * 1000)));
    this.retries = config.intValue(RETRIES, 0, 0, MAX_RETRIES);
    this.retryBackoff = config.durationValue(RETRY_BACKOFF, Duration.ofMillis((long) (DEFAULT_RETRY_BACKOFF_SECONDS * 1000)),
        0, MAX_RETRY_BACKOFF_SECONDS);
    this.maxResponseBytes = config.intValue(MAX_RESPONSE_BYTES, DEFAULT_MAX_RESPONSE_BYTES, 1, MAX_MAX_RESPONSE_BYTES);
    this.trustStore = config.stringValue(TRUST_STORE, null);
    String trustStorePassword = config.stringValue(TRUST_STORE_PASSWORD, null);
    if (trustStore != null && !scheme.equals("https")) {
      throw new InvalidConfigurationException(TRUST_STORE, trustStore,
          "a trust store only with scheme=https (this endpoint is " + scheme + ")");
    }
    if (trustStorePassword != null && trustStore == null) {
      throw InvalidConfigurationException.missing(TRUST_STORE,
          "the trust store file that trust_store_password opens (PKCS12 or JKS)");
    }
    this.sslContext = trustStore == null ? null : TrustStores.sslContext(trustStore, trustStorePassword);
    this.hasTrustStorePassword = trustStorePassword != null && !trustStorePassword.isEmpty();
    String template = config.stringValue(RequestTemplate.KEY, "");
    this.requestTemplate = template.isBlank() ? null : RequestTemplate.parse(template);
    this.responsePointer = ResponsePointer.parse(config.stringValue(ResponsePointer.KEY, ""));
    this.secrets = Secrets.of(secretValues(config), "basic".equalsIgnoreCase(authScheme) ? auth : null);
  }

  /** The values of every key that holds a secret: auth, trust_store_password, and any other the core calls secret. */
  private static List<String> secretValues(HandlerConfig config) {
    List<String> values = new ArrayList<>();
    config.toMap().forEach((key, value) -> {
      if (HandlerConfig.isSecretKey(key) && value != null) {
        if (value instanceof Object[] array) {
          for (Object element : array) {
            values.add(String.valueOf(element));
          }
        } else if (value instanceof Collection<?> collection) {
          collection.forEach(element -> values.add(String.valueOf(element)));
        } else {
          values.add(String.valueOf(value));
        }
      }
    });
    return values;
  }

  /**
   * True for {@code localhost} and literal loopback addresses (127.0.0.0/8, ::1). Names are not
   * resolved: what a name resolves to can change after the check (DNS rebinding).
   */
  static boolean isLoopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    Matcher ipv4 = IPV4.matcher(bare);
    if (ipv4.matches()) {
      return ipv4.group(1).equals("127");
    }
    if (bare.indexOf(':') < 0) {
      return false;
    }
    try {
      // an IPv6 literal: parsed, never looked up
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException | SecurityException notALiteral) {
      return false;
    }
  }

  /**
   * Reads and checks the network keys of a configuration.
   *
   * @throws InvalidConfigurationException naming the key, the value (secrets masked) and what is allowed
   */
  static NetworkSettings from(HandlerConfig config) {
    return new NetworkSettings(config);
  }

  private static URI uri(String scheme, String host, int port, String path) {
    String bare = host.strip();
    if (bare.isEmpty() || bare.chars().anyMatch(c -> c <= ' ' || "/@?#".indexOf(c) >= 0)) {
      throw new InvalidConfigurationException(HandlerConfig.HOST, host,
          "a host name or IP address only, without scheme, port, path or credentials");
    }
    if (!path.startsWith("/") || path.indexOf('#') >= 0) {
      throw new InvalidConfigurationException(PATH, path,
          "a path starting with '/', optionally with a query, percent-encoded, e.g. /v1/recognize?lang=en");
    }
    String literal = bare.indexOf(':') >= 0 && !bare.startsWith("[") ? "[" + bare + "]" : bare;
    URI uri;
    try {
      uri = new URI(scheme + "://" + literal + ":" + port + path);
    } catch (URISyntaxException e) {
      boolean pathAtFault = e.getIndex() >= scheme.length() + 4 + literal.length();
      throw pathAtFault
          ? new InvalidConfigurationException(PATH, path,
              "a path starting with '/', optionally with a query, percent-encoded, e.g. /v1/recognize?lang=en", e)
          : new InvalidConfigurationException(HandlerConfig.HOST, host, "a valid host name or IP address", e);
    }
    if (uri.getHost() == null) {
      throw new InvalidConfigurationException(HandlerConfig.HOST, host,
          "a valid host name (letters, digits, '-' and '.') or IP address");
    }
    return uri;
  }

  private static String headerName(String name) {
    if (!TOKEN.matcher(name).matches() || OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      throw new InvalidConfigurationException(AUTH_HEADER, name,
          "an HTTP header name (letters, digits, '-'), not one the handler sets itself " + OWN_HEADERS);
    }
    try {
      HttpRequest.newBuilder(PROBE).header(name, "probe");
    } catch (IllegalArgumentException restricted) {
      throw new InvalidConfigurationException(AUTH_HEADER, name,
          "a header the HTTP client may set (not Host, Connection, Content-Length, Expect or Upgrade)", restricted);
    }
    return name;
  }

  /** The endpoint, e.g. {@code https://faces.local:8443/recognize}. Never holds credentials. */
  URI uri() {
    return uri;
  }

  /** POST, PUT or PATCH. */
  String method() {
    return method;
  }

  /** {@code method uri}, as error messages name the endpoint. */
  String endpoint() {
    return method + " " + uri;
  }

  /** The header carrying {@code auth}, when an auth value is configured. */
  Optional<String> authHeader() {
    return auth == null ? Optional.empty() : Optional.of(authHeader);
  }

  /** The value of the auth header: {@code auth}, after {@code auth_scheme} when set. A secret. */
  String authHeaderValue() {
    return authScheme == null ? auth : authScheme + " " + auth;
  }

  /** {@code network_timeout}: each attempt's limit, connecting included. */
  Duration timeout() {
    return timeout;
  }

  /** {@code retries}: further attempts after a retryable failure. */
  int retries() {
    return retries;
  }

  /** How long to wait after the {@code failedAttempts}-th failed attempt: backoff &times; 2^(n-1), at most 60 s. */
  Duration retryDelay(int failedAttempts) {
    long nanos = retryBackoff.toNanos();
    for (int i = 1; i < failedAttempts && nanos < MAX_RETRY_WAIT.toNanos(); i++) {
      nanos *= 2;
    }
    return Duration.ofNanos(Math.min(nanos, MAX_RETRY_WAIT.toNanos()));
  }

  /** {@code max_response_bytes}. */
  int maxResponseBytes() {
    return maxResponseBytes;
  }

  /** The TLS context trusting only {@code trust_store}, or null for the JDK's default trust. */
  SSLContext sslContext() {
    return sslContext;
  }

  /** The text with every secret of this configuration, in every form, replaced by {@link HandlerConfig#MASK}. */
  String redact(String text) {
    return secrets.mask(text);
  }

  /** The secrets of this configuration: mask with it before cutting any text short. */
  Secrets secrets() {
    return secrets;
  }

  /** {@code request_template}, or null: the seed's payload is sent. */
  RequestTemplate requestTemplate() {
    return requestTemplate;
  }

  /** {@code response_pointer}, or null: the result is {@code {status, body}}. */
  ResponsePointer responsePointer() {
    return responsePointer;
  }

  /** True when both configurations send the same auth value (both none is not "the same secret"). */
  boolean sendsTheSameAuthAs(NetworkSettings other) {
    return auth != null && auth.equals(other.auth);
  }

  /** The network keys in force, defaults included, for stats and checks; secrets masked. */
  Map<String, Object> toDisplayMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("url", uri.toString());
    map.put(SCHEME, uri.getScheme());
    map.put(HandlerConfig.PORT, uri.getPort());
    map.put(PATH, uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    map.put(METHOD, method);
    map.put(HandlerConfig.AUTH, auth == null ? null : HandlerConfig.MASK);
    map.put(AUTH_HEADER, authHeader);
    map.put(AUTH_SCHEME, authScheme);
    map.put(HandlerConfig.NETWORK_TIMEOUT, timeout.toNanos() / 1e9);
    map.put(RETRIES, retries);
    map.put(RETRY_BACKOFF, retryBackoff.toNanos() / 1e9);
    map.put(TRUST_STORE, trustStore);
    map.put(TRUST_STORE_PASSWORD, hasTrustStorePassword ? HandlerConfig.MASK : null);
    map.put(MAX_RESPONSE_BYTES, maxResponseBytes);
    map.put(AUTH_OVER_HTTP, authOverHttp);
    map.put(RequestTemplate.KEY, requestTemplate == null ? null : redact(requestTemplate.source()));
    map.put(ResponsePointer.KEY, responsePointer == null ? null : responsePointer.toString());
    return map;
  }

  @Override
  public String toString() {
    return endpoint() + (auth == null ? " (no auth)" : " (auth in header " + authHeader + ")");
  }
}
