package dev.maverick.handler.admin.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP JSON API and the web page, on the OSGi Servlet Whiteboard. It is active only while an
 * HTTP runtime is present.
 *
 * <p>Writes (every method but GET, HEAD and OPTIONS) need {@code Authorization: Bearer <admin_token>}
 * whenever {@code admin_token} is configured; while the server listens beyond loopback they are
 * refused altogether until a token is configured. Bodies with a write must be
 * {@code application/json} (a browser cannot send that cross-site without a CORS preflight, which
 * this servlet never grants) and no larger than {@code max_body_bytes}.
 */
// whiteboard properties written out: the property-type annotations would make an HTTP runtime a
// resolve-time requirement, and the bundle must run (shell, JMX, checks) without one
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.name=maverick-handler-admin",
    "osgi.http.whiteboard.servlet.pattern=/", "osgi.http.whiteboard.servlet.pattern=/handlers",
    "osgi.http.whiteboard.servlet.pattern=/handlers/*", "osgi.http.whiteboard.servlet.pattern=/kinds",
    "osgi.http.whiteboard.servlet.pattern=/kinds/*", "osgi.http.whiteboard.servlet.pattern=/metrics",
    "osgi.http.whiteboard.servlet.pattern=/ui/*"})
public final class AdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AdminServlet.class);
  private static final String JSON = "application/json; charset=utf-8";
  private static final List<String> UI_FILES = List.of("app.js", "app.css", "index.html");
  private static final String RESOURCES = "/handlers, /handlers/{name}, /handlers/{name}/feed, "
      + "/handlers/{name}/generate, /handlers/{name}/result, /handlers/{name}/config, /handlers/{name}/history, "
      + "/kinds, /metrics, /";

  private final transient HandlerAdmin admin;
  private final transient StatsHistory history;
  private final String bindHost;
  private final transient Map<ServiceReference<?>, List<String>> endpoints = new ConcurrentHashMap<>();
  /** The exposure last warned about, so that the warning is logged once per change. */
  private final transient AtomicReference<String> warned = new AtomicReference<>("");

  @Activate
  public AdminServlet(BundleContext context, @Reference HandlerAdmin admin, @Reference StatsHistory history) {
    this.admin = admin;
    this.history = history;
    this.bindHost = context.getProperty(Exposure.FELIX_HOST_PROPERTY);
  }

  @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC)
  void bindRuntime(ServiceReference<HttpServiceRuntime> runtime) {
    endpoints.put(runtime, endpointsOf(runtime));
    warnIfExposedWithoutToken();
  }

  void updatedRuntime(ServiceReference<HttpServiceRuntime> runtime) {
    bindRuntime(runtime);
  }

  void unbindRuntime(ServiceReference<HttpServiceRuntime> runtime) {
    endpoints.remove(runtime);
  }

  private static List<String> endpointsOf(ServiceReference<?> runtime) {
    Object value = runtime.getProperty(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT);
    if (value instanceof String text) {
      return List.of(text);
    }
    if (value instanceof String[] array) {
      return List.of(array);
    }
    if (value instanceof Collection<?> collection) {
      return collection.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  /** Where the server listens beyond loopback, by the runtimes' endpoints and Felix Jetty's bind host. */
  List<String> exposure() {
    List<String> all = new ArrayList<>();
    endpoints.values().forEach(all::addAll);
    return Exposure.beyondLoopback(all, bindHost);
  }

  private void warnIfExposedWithoutToken() {
    List<String> exposed = exposure();
    String key = exposed.toString();
    if (!exposed.isEmpty() && admin.settings().adminToken().isEmpty()) {
      if (!key.equals(warned.getAndSet(key))) {
        LOG.error("The HTTP server listens beyond loopback ({}) and no admin_token is configured: the handler admin "
            + "refuses every HTTP write (POST, PUT, DELETE). Set admin_token in configuration {}, or bind the server "
            + "to loopback ({}=127.0.0.1).", String.join(", ", exposed), AdminConfig.PID, Exposure.FELIX_HOST_PROPERTY);
      }
    } else {
      warned.set("");
    }
  }

  // ---- dispatch ----------------------------------------------------------------------------------

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    try {
      List<String> path = segments(request);
      dispatch(request, response, path);
    } catch (AdminException e) {
      if (e.status() >= 500) {
        LOG.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage(), e);
      }
      if (e.status() == AdminException.METHOD_NOT_ALLOWED) {
        response.setHeader("Allow", e.body().getOrDefault("allow", "").toString());
      }
      if (e.status() == AdminException.UNAUTHORIZED) {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"maverick-handlers\"");
      }
      Map<String, Object> body = new java.util.LinkedHashMap<>(e.body());
      body.remove("allow");
      writeJson(response, e.status(), body);
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
      writeJson(response, AdminException.INTERNAL_ERROR, Map.of("error", "internal error: " + e));
    }
  }

  private void dispatch(HttpServletRequest request, HttpServletResponse response, List<String> path)
      throws IOException {
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    if (path.isEmpty() || path.equals(List.of("index.html"))) {
      allow(method, "GET");
      page(response);
      return;
    }
    String first = path.get(0);
    switch (first) {
      case "ui" -> {
        allow(method, "GET");
        uiFile(response, path);
      }
      case "metrics" -> {
        requireLength(path, 1);
        allow(method, "GET");
        metrics(response);
      }
      case "kinds" -> kinds(method, response, path);
      case "handlers" -> handlers(method, request, response, path);
      default -> throw notFound(path);
    }
  }

  private void handlers(String method, HttpServletRequest request, HttpServletResponse response, List<String> path)
      throws IOException {
    if (path.size() == 1) {
      allow(method, "GET", "POST");
      if (method.equals("GET")) {
        writeJson(response, 200, admin.handlers().stream().map(admin::view).toList());
      } else {
        Map<String, Object> body = jsonObjectBody(request);
        Object config = body.getOrDefault("config", Map.of());
        if (!(config instanceof Map<?, ?>)) {
          throw AdminException.badRequest("'config' must be a JSON object of keys, got " + Json.describe(config));
        }
        HandlerAdmin.Outcome outcome = admin.create(text(body, "kind"), text(body, "name"), castMap(config));
        response.setHeader("Location", "/handlers/" + body.get("name"));
        writeJson(response, outcome.status(), outcome.body());
      }
      return;
    }
    String name = path.get(1);
    if (path.size() == 2) {
      allow(method, "GET", "DELETE");
      if (method.equals("GET")) {
        writeJson(response, 200, admin.view(admin.require(name)));
      } else {
        authorize(request);
        HandlerAdmin.Outcome outcome = admin.delete(name);
        writeJson(response, outcome.status(), outcome.body());
      }
      return;
    }
    requireLength(path, 3);
    switch (path.get(2)) {
      case "feed" -> {
        allow(method, "POST");
        Map<String, Object> body = jsonObjectBody(request);
        HandlerAdmin.FeedOutcome outcome = admin.feed(name, item(body), extra(body));
        writeJson(response, 200, outcome.accepted() ? Map.of("accepted", true)
            : Map.of("accepted", false, "reason", outcome.reason()));
      }
      case "generate" -> {
        allow(method, "POST");
        Map<String, Object> body = jsonObjectBody(request);
        writeJson(response, 200, HandlerAdmin.mapOf("result", admin.generate(name, item(body), extra(body))));
      }
      case "result" -> {
        allow(method, "GET");
        Optional<Object> result = admin.result(name, timeout(request.getParameter("timeout")));
        if (result.isPresent()) {
          writeJson(response, 200, HandlerAdmin.mapOf("result", result.get()));
        } else {
          response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        }
      }
      case "config" -> {
        allow(method, "GET", "PUT");
        if (method.equals("GET")) {
          writeJson(response, 200, HandlerAdmin.displayConfig(admin.require(name).handler()));
        } else {
          HandlerAdmin.Outcome outcome = admin.updateConfig(name, jsonObjectBody(request));
          writeJson(response, outcome.status(), outcome.body());
        }
      }
      case "history" -> {
        allow(method, "GET");
        HandlerEntry entry = admin.require(name);
        Duration window = Duration.ofSeconds(Math.min(StatsHistory.KEEP_SECONDS,
            (long) seconds(request.getParameter("seconds"), 300, "seconds")));
        writeJson(response, 200, Map.of("columns", StatsHistory.COLUMNS, "samples",
            history.samples(entry, window).stream().map(StatsHistory.Sample::asRow).toList()));
      }
      default -> throw notFound(path);
    }
  }

  private void kinds(String method, HttpServletResponse response, List<String> path) throws IOException {
    allow(method, "GET");
    if (path.size() == 1) {
      writeJson(response, 200, admin.kinds().stream().map(admin::view).toList());
      return;
    }
    requireLength(path, 2);
    KindEntry kind = admin.findKind(path.get(1)).orElseThrow(() -> AdminException.notFound("no kind '" + path.get(1)
        + "'; kinds: " + String.join(", ", admin.kinds().stream().map(KindEntry::name).toList())));
    writeJson(response, 200, admin.view(kind));
  }

  private void metrics(HttpServletResponse response) throws IOException {
    List<PrometheusMetrics.Snapshot> snapshots = admin.handlers().stream()
        .map(entry -> new PrometheusMetrics.Snapshot(entry.name(), entry.kind(), entry.handler().stats())).toList();
    byte[] text = PrometheusMetrics.format(snapshots).getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.setContentType(PrometheusMetrics.CONTENT_TYPE);
    response.setContentLength(text.length);
    response.getOutputStream().write(text);
  }

  // ---- the page --------------------------------------------------------------------------------

  private void page(HttpServletResponse response) throws IOException {
    response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
        + "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'self'");
    writeResource(response, "index.html");
  }

  private void uiFile(HttpServletResponse response, List<String> path) throws IOException {
    if (path.size() != 2 || !UI_FILES.contains(path.get(1))) {
      throw notFound(path);
    }
    writeResource(response, path.get(1));
  }

  /** Serves one of the page's files from the bundle. */
  static void writeResource(HttpServletResponse response, String file) throws IOException {
    try (InputStream in = AdminServlet.class.getResourceAsStream("/ui/" + file)) {
      if (in == null) {
        throw AdminException.notFound("the bundle lacks ui/" + file);
      }
      byte[] bytes = in.readAllBytes();
      response.setStatus(200);
      response.setContentType(file.endsWith(".js") ? "text/javascript; charset=utf-8"
          : file.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8");
      response.setContentLength(bytes.length);
      response.getOutputStream().write(bytes);
    }
  }

  // ---- requests ----------------------------------------------------------------------------------

  /** The path below the servlet context, split and decoded; empty for "/". */
  private static List<String> segments(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    String path = context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    List<String> segments = new ArrayList<>();
    for (String raw : path.split("/")) {
      if (!raw.isEmpty()) {
        segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  private static void allow(String method, String... allowed) {
    if (method.equals("HEAD") && Arrays.asList(allowed).contains("GET")) {
      return;
    }
    if (!Arrays.asList(allowed).contains(method)) {
      String allow = String.join(", ", allowed);
      throw new AdminException(AdminException.METHOD_NOT_ALLOWED, "method " + method + " is not allowed here; allowed: "
          + allow, Map.of("allow", allow), null);
    }
  }

  private static void requireLength(List<String> path, int length) {
    if (path.size() != length) {
      throw notFound(path);
    }
  }

  private static AdminException notFound(List<String> path) {
    return AdminException.notFound("no resource /" + String.join("/", path) + "; resources: " + RESOURCES);
  }

  /** Checks the token rule for a write; throws 401 or 403. */
  void authorize(HttpServletRequest request) {
    Optional<String> token = admin.settings().adminToken();
    if (token.isEmpty()) {
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
      return;
    }
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AdminException(AdminException.UNAUTHORIZED,
          "this write needs the header 'Authorization: Bearer <admin_token>'");
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token.get().getBytes(StandardCharsets.UTF_8))) {
      throw new AdminException(AdminException.UNAUTHORIZED, "wrong admin token");
    }
  }

  /** Authorizes the write, checks its content type and size, and parses its body as a JSON object. */
  private Map<String, Object> jsonObjectBody(HttpServletRequest request) throws IOException {
    authorize(request);
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new AdminException(AdminException.UNSUPPORTED_MEDIA_TYPE, "the body must be JSON with "
          + "'Content-Type: application/json'; got " + (type == null ? "no content type" : "'" + type + "'"));
    }
    return Json.parseObject(body(request, admin.settings().maxBodyBytes()));
  }

  private static byte[] body(HttpServletRequest request, int limit) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(declared, limit);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = request.getInputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        if (out.size() + read > limit) {
          throw tooLarge(-1, limit);
        }
        out.write(buffer, 0, read);
      }
    }
    return out.toByteArray();
  }

  private static AdminException tooLarge(long declared, int limit) {
    return new AdminException(AdminException.PAYLOAD_TOO_LARGE, "request body "
        + (declared >= 0 ? "of " + declared + " bytes " : "") + "is over the limit of " + limit
        + " bytes (max_body_bytes in configuration " + AdminConfig.PID + ")");
  }

  private static Object item(Map<String, Object> body) {
    if (!body.containsKey("item")) {
      throw AdminException.badRequest("missing 'item'; expected {\"item\": <any JSON value>, \"extra\": {...}}");
    }
    return body.get("item");
  }

  private static Map<String, Object> extra(Map<String, Object> body) {
    Object extra = body.get("extra");
    if (extra == null) {
      return Map.of();
    }
    if (!(extra instanceof Map<?, ?>)) {
      throw AdminException.badRequest("'extra' must be a JSON object, got " + Json.describe(extra));
    }
    return castMap(extra);
  }

  private static String text(Map<String, Object> body, String key) {
    Object value = body.get(key);
    if (value != null && !(value instanceof String)) {
      throw AdminException.badRequest("'" + key + "' must be a string, got " + Json.describe(value));
    }
    return (String) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object map) {
    return (Map<String, Object>) map;
  }

  private static Duration timeout(String parameter) {
    double seconds = seconds(parameter, 0, "timeout");
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  private static double seconds(String parameter, double defaultValue, String name) {
    if (parameter == null || parameter.isBlank()) {
      return defaultValue;
    }
    try {
      double seconds = Double.parseDouble(parameter.trim());
      if (seconds >= 0 && seconds <= 86_400) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw AdminException.badRequest("invalid " + name + " '" + parameter + "'; allowed: a number of seconds >= 0");
  }

  static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
    byte[] bytes = Json.write(body);
    response.setStatus(status);
    response.setContentType(JSON);
    response.setContentLength(bytes.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(bytes);
    }
  }
}
