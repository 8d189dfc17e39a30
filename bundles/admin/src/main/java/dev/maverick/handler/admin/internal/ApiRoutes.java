package dev.maverick.handler.admin.internal;

import dev.maverick.handler.admin.internal.RequestGuard.Access;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The resources of the HTTP API and the page: for each path and method, what the request may do
 * (its {@link Access}), whether it has a body and of what kind, and what answers it. HEAD is
 * resolved as GET and answered without a body or an effect: {@code HEAD .../result} says whether
 * a result is waiting (200) or not (204) and takes nothing.
 */
final class ApiRoutes {
  private static final List<String> UI_FILES = List.of("app.js", "chart.js", "wires.js", "app.css", "index.html");
  private static final String RESOURCES = "/handlers, /handlers/{name}, /handlers/{name}/feed, "
      + "/handlers/{name}/generate, /handlers/{name}/result, /handlers/{name}/config, /handlers/{name}/history, "
      + "/kinds, /wires, /wires/{name}, /wires/{name}/config, /metrics, /";
  private static final String PAGE_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
      + "script-src 'self'; connect-src 'self'; frame-ancestors 'self'";

  /** What a request's body must be. */
  enum Body {
    NONE,
    /** A JSON object. */
    JSON,
    /** A feed or generate item: JSON, or a binary body ({@link ItemRequest}). */
    ITEM
  }

  /** Answers a request whose body, if any, has been read. */
  interface Action {
    void run(Exchange exchange) throws IOException;
  }

  /** A resolved request: what it may do, what body it takes, and what answers it. */
  record Route(Access access, Body body, Action action) {}

  private final HandlerAdmin admin;
  private final StatsHistory history;
  private final Supplier<WireApi> wires;
  private final WireRoutes wireRoutes;

  /** @param wires the wires' part, or null while the wire bundle does not run */
  ApiRoutes(HandlerAdmin admin, StatsHistory history, Supplier<WireApi> wires) {
    this.admin = admin;
    this.history = history;
    this.wires = wires;
    this.wireRoutes = new WireRoutes(admin, wires);
  }

  /**
   * Resolves a request by its path and method.
   *
   * @throws AdminException 404 for an unknown path, 405 (with what is allowed) for a method the path does not take
   */
  Route resolve(Exchange exchange) {
    List<String> path = exchange.path();
    String method = exchange.method();
    if (path.isEmpty() || path.equals(List.of("index.html"))) {
      allow(method, "GET");
      return new Route(Access.PAGE, Body.NONE, this::page);
    }
    switch (path.get(0)) {
      case "ui" -> {
        allow(method, "GET");
        if (path.size() != 2 || !UI_FILES.contains(path.get(1))) {
          throw notFound(path);
        }
        return new Route(Access.PAGE, Body.NONE, e -> resource(e, path.get(1)));
      }
      case "metrics" -> {
        requireLength(path, 1);
        allow(method, "GET");
        return new Route(Access.METRICS, Body.NONE, this::metrics);
      }
      case "kinds" -> {
        allow(method, "GET");
        if (path.size() == 1) {
          return read(e -> json(e, admin.registry().kinds().stream().map(admin.views()::view).toList()));
        }
        requireLength(path, 2);
        return read(e -> json(e, admin.views().view(kind(path.get(1)))));
      }
      case "handlers" -> {
        return handlers(method, path);
      }
      case "wires" -> {
        return wireRoutes.resolve(method, path);
      }
      default -> throw notFound(path);
    }
  }

  private Route handlers(String method, List<String> path) {
    if (path.size() == 1) {
      allow(method, "GET", "POST");
      if (isRead(method)) {
        return read(e -> json(e, admin.registry().handlers().stream().map(admin.views()::view).toList()));
      }
      return new Route(Access.WRITE, Body.JSON, this::create);
    }
    String name = path.get(1);
    if (path.size() == 2) {
      allow(method, "GET", "DELETE");
      if (isRead(method)) {
        return read(e -> json(e, admin.views().view(admin.registry().require(name))));
      }
      return write(e -> outcome(e, admin.configs().delete(name)));
    }
    requireLength(path, 3);
    return switch (path.get(2)) {
      case "feed" -> {
        allow(method, "POST");
        yield new Route(Access.WRITE, Body.ITEM, e -> {
          ItemRequest item = item(e);
          ItemCalls.FeedOutcome outcome = admin.items().feed(name, item.item(), item.extra());
          json(e, outcome.accepted() ? Map.of("accepted", true) : Map.of("accepted", false, "reason", outcome.reason()));
        });
      }
      case "generate" -> {
        allow(method, "POST");
        yield new Route(Access.WRITE, Body.ITEM, e -> {
          ItemRequest item = item(e);
          json(e, HandlerViews.mapOf("result", admin.items().generate(name, item.item(), item.extra())));
        });
      }
      case "result" -> {
        allow(method, "GET");
        // GET takes a result: a write; HEAD only says whether one is waiting
        yield method.equals("HEAD") ? read(e -> e.status(admin.items().hasResult(name) ? 200 : 204))
            : write(e -> result(e, name));
      }
      case "config" -> {
        allow(method, "GET", "PUT");
        if (isRead(method)) {
          yield read(e -> json(e, HandlerViews.displayConfig(admin.registry().require(name).handler())));
        }
        yield new Route(Access.WRITE, Body.JSON, e -> outcome(e, admin.configs().update(name,
            admin.json().parseObject(e.body()))));
      }
      case "history" -> {
        allow(method, "GET");
        yield read(e -> {
          HandlerEntry entry = admin.registry().require(name);
          Duration window = Duration.ofSeconds(Math.min(StatsHistory.KEEP_SECONDS,
              (long) seconds(e.request().getParameter("seconds"), 300, "seconds")));
          json(e, Map.of("columns", StatsHistory.COLUMNS, "samples",
              history.samples(entry, window).stream().map(StatsHistory.Sample::asRow).toList()));
        });
      }
      default -> throw notFound(path);
    };
  }

  // ---- actions ---------------------------------------------------------------------------------

  private void create(Exchange exchange) throws IOException {
    Map<String, Object> body = admin.json().parseObject(exchange.body());
    Object config = body.getOrDefault("config", Map.of());
    if (!(config instanceof Map<?, ?>)) {
      throw AdminException.badRequest("'config' must be a JSON object of keys, got " + JsonCodec.describe(config));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> keys = (Map<String, Object>) config;
    ConfigChanges.Outcome outcome = admin.configs().create(text(body, "kind"), text(body, "name"), keys);
    exchange.response().setHeader("Location", "/handlers/" + body.get("name"));
    outcome(exchange, outcome);
  }

  private void result(Exchange exchange, String name) throws IOException {
    Optional<Object> result = admin.items().result(name, timeout(exchange.request().getParameter("timeout")));
    if (result.isPresent()) {
      json(exchange, HandlerViews.mapOf("result", result.get()));
    } else {
      exchange.status(204);
    }
  }

  private ItemRequest item(Exchange exchange) {
    return ItemRequest.of(ItemRequest.mediaType(exchange.request().getContentType()), exchange.body(),
        exchange.request().getQueryString(), admin.json());
  }

  private void metrics(Exchange exchange) throws IOException {
    List<PrometheusMetrics.Snapshot> snapshots = admin.registry().handlers().stream()
        .map(entry -> new PrometheusMetrics.Snapshot(entry.name(), entry.kind(), entry.handler().stats())).toList();
    WireApi wireApi = wires.get();
    String text = PrometheusMetrics.format(snapshots) + (wireApi == null ? "" : wireApi.metrics());
    exchange.bytes(200, PrometheusMetrics.CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8));
  }

  private void page(Exchange exchange) throws IOException {
    exchange.response().setHeader("Content-Security-Policy", PAGE_POLICY);
    resource(exchange, "index.html");
  }

  /** Serves one of the page's files from the bundle. */
  static void resource(Exchange exchange, String file) throws IOException {
    try (InputStream in = ApiRoutes.class.getResourceAsStream("/ui/" + file)) {
      if (in == null) {
        throw AdminException.notFound("the bundle lacks ui/" + file);
      }
      exchange.bytes(200, file.endsWith(".js") ? "text/javascript; charset=utf-8"
          : file.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8", in.readAllBytes());
    }
  }

  private void json(Exchange exchange, Object body) throws IOException {
    exchange.json(200, admin.json().write(body));
  }

  private void outcome(Exchange exchange, ConfigChanges.Outcome outcome) throws IOException {
    exchange.json(outcome.status(), admin.json().write(outcome.body()));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private KindEntry kind(String name) {
    return admin.registry().findKind(name).orElseThrow(() -> AdminException.notFound("no kind '" + name + "'; kinds: "
        + admin.registry().kindNames()));
  }

  static Route read(Action action) {
    return new Route(Access.READ, Body.NONE, action);
  }

  static Route write(Action action) {
    return new Route(Access.WRITE, Body.NONE, action);
  }

  static boolean isRead(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  /** HEAD goes wherever GET does; any other method must be listed. */
  static void allow(String method, String... allowed) {
    List<String> methods = Arrays.asList(allowed);
    if (methods.contains(method) || method.equals("HEAD") && methods.contains("GET")) {
      return;
    }
    String allow = String.join(", ", allowed);
    throw new AdminException(AdminException.METHOD_NOT_ALLOWED, "method " + method + " is not allowed here; allowed: "
        + allow, Map.of("allow", allow), null);
  }

  static void requireLength(List<String> path, int length) {
    if (path.size() != length) {
      throw notFound(path);
    }
  }

  static AdminException notFound(List<String> path) {
    return AdminException.notFound("no resource /" + String.join("/", path) + "; resources: " + RESOURCES);
  }

  private static String text(Map<String, Object> body, String key) {
    Object value = body.get(key);
    if (value != null && !(value instanceof String)) {
      throw AdminException.badRequest("'" + key + "' must be a string, got " + JsonCodec.describe(value));
    }
    return (String) value;
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
}
