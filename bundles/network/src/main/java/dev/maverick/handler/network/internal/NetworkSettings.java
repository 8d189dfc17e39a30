package dev.maverick.handler.network.internal;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The network handler's own keys, read from a {@link HandlerConfig} and checked together: the
 * endpoint URL, method, credentials, timeouts, retries, TLS trust and the response limit.
 * Immutable; every configuration change makes a new one.
 *
 * <p>Secrets ({@code auth}, {@code trust_store_password}) are kept only to be sent; nothing this
 * class shows ({@link #toString()}, {@link #toDisplayMap()}, {@link #redact}) contains them.
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
  private final List<String> secrets;

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
    this.authScheme = config.stringValue(AUTH_SCHEME, null);
    if (authScheme != null && !TOKEN.matcher(authScheme).matches()) {
      throw new InvalidConfigurationException(AUTH_SCHEME, authScheme,
          "an HTTP authentication scheme: one word such as Bearer or Token");
    }
    this.authHeader = headerName(config.stringValue(AUTH_HEADER, authScheme != null ? AUTHORIZATION : DEFAULT_AUTH_HEADER));
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
    List<String> known = new ArrayList<>(2);
    if (auth != null) {
      known.add(auth);
    }
    if (trustStorePassword != null && !trustStorePassword.isEmpty()) {
      known.add(trustStorePassword);
    }
    this.secrets = List.copyOf(known);
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

  /** The text with every secret of this configuration replaced by {@link HandlerConfig#MASK}. */
  String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, HandlerConfig.MASK);
    }
    return result;
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
    map.put(TRUST_STORE_PASSWORD, secrets.size() > (auth == null ? 0 : 1) ? HandlerConfig.MASK : null);
    map.put(MAX_RESPONSE_BYTES, maxResponseBytes);
    return map;
  }

  @Override
  public String toString() {
    return endpoint() + (auth == null ? " (no auth)" : " (auth in header " + authHeader + ")");
  }
}
