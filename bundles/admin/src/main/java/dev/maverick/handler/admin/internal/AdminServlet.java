package dev.maverick.handler.admin.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP JSON API and the web page, on the OSGi Servlet Whiteboard; active only while an HTTP
 * runtime is present. Each request is checked by the {@link RequestGuard} (Host, Origin, token),
 * resolved by the {@link ApiRoutes}, its body (if any) read without holding a thread by the
 * {@link BodyReader}, and answered; every refusal is JSON {@code {"error": ...}} with its status.
 */
// whiteboard properties written out: the property-type annotations would make an HTTP runtime a
// resolve-time requirement, and the bundle must run (shell, JMX, checks) without one
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.name=maverick-handler-admin",
    "osgi.http.whiteboard.servlet.asyncSupported=true",
    "osgi.http.whiteboard.servlet.pattern=/", "osgi.http.whiteboard.servlet.pattern=/handlers",
    "osgi.http.whiteboard.servlet.pattern=/handlers/*", "osgi.http.whiteboard.servlet.pattern=/kinds",
    "osgi.http.whiteboard.servlet.pattern=/kinds/*", "osgi.http.whiteboard.servlet.pattern=/metrics",
    "osgi.http.whiteboard.servlet.pattern=/ui/*"})
public final class AdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AdminServlet.class);

  private final transient HandlerAdmin admin;
  private final transient RequestGuard guard;
  private final transient ApiRoutes routes;
  /** Ends request bodies that take longer than body_timeout. */
  private final transient ScheduledExecutorService bodyTimer;

  @Activate
  public AdminServlet(BundleContext context, @Reference HandlerAdmin admin, @Reference StatsHistory history) {
    this.admin = admin;
    this.guard = new RequestGuard(admin::settings, context.getProperty(Exposure.FELIX_HOST_PROPERTY));
    this.routes = new ApiRoutes(admin, history);
    this.bodyTimer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "maverick-admin-body-timer");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Deactivate
  void deactivate() {
    bodyTimer.shutdownNow();
  }

  @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC)
  void bindRuntime(ServiceReference<HttpServiceRuntime> runtime) {
    guard.runtime(runtime, endpointsOf(runtime));
  }

  void updatedRuntime(ServiceReference<HttpServiceRuntime> runtime) {
    bindRuntime(runtime);
  }

  void unbindRuntime(ServiceReference<HttpServiceRuntime> runtime) {
    guard.runtimeGone(runtime);
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

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    Exchange exchange = new Exchange(request, response);
    try {
      guard.checkHost(request);
      ApiRoutes.Route route = routes.resolve(exchange);
      guard.admit(request, route.access());
      if (route.body() == ApiRoutes.Body.NONE) {
        answer(exchange, route);
        return;
      }
      requireBodyType(request, route.body());
      BodyReader.read(request, admin.settings().maxBodyBytes(), admin.settings().bodyTimeout(), bodyTimer,
          new BodyReader.Outcome() {
            @Override
            public void body(byte[] body) {
              exchange.body(body);
              answer(exchange, route);
            }

            @Override
            public void refused(AdminException refusal) {
              error(exchange, refusal);
            }
          });
    } catch (AdminException e) {
      error(exchange, e);
    } catch (IOException | RuntimeException e) {
      failed(exchange, e);
    }
  }

  /** Runs the route's action; every failure is answered, none escapes to the container. */
  private void answer(Exchange exchange, ApiRoutes.Route route) {
    try {
      route.action().run(exchange);
    } catch (AdminException e) {
      error(exchange, e);
    } catch (IOException | RuntimeException e) {
      failed(exchange, e);
    }
  }

  private static void requireBodyType(HttpServletRequest request, ApiRoutes.Body body) {
    String type = ItemRequest.mediaType(request.getContentType());
    if (body == ApiRoutes.Body.JSON && !type.equals(ItemRequest.JSON)) {
      throw new AdminException(AdminException.UNSUPPORTED_MEDIA_TYPE, "the body must be JSON with "
          + "'Content-Type: application/json'; got " + (type.isEmpty() ? "no content type" : "'" + type + "'"));
    }
    if (body == ApiRoutes.Body.ITEM && !ItemRequest.isItemType(type)) {
      throw new AdminException(AdminException.UNSUPPORTED_MEDIA_TYPE, "the body must be " + ItemRequest.ITEM_TYPES
          + "; got " + (type.isEmpty() ? "no content type" : "'" + type + "'"));
    }
  }

  private void error(Exchange exchange, AdminException e) {
    HttpServletRequest request = exchange.request();
    if (e.isHandlerFailure()) {
      LOG.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    } else if (e.status() >= 500) {
      LOG.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage(), e);
    }
    HttpServletResponse response = exchange.response();
    if (response.isCommitted()) {
      return;
    }
    if (e.status() == AdminException.METHOD_NOT_ALLOWED) {
      response.setHeader("Allow", e.body().getOrDefault("allow", "").toString());
    }
    if (e.status() == AdminException.REQUEST_TIMEOUT || e.status() == AdminException.PAYLOAD_TOO_LARGE) {
      // the rest of the body is not read: the connection cannot carry another request
      response.setHeader("Connection", "close");
    }
    if (e.status() == AdminException.UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"maverick-handlers\"");
    }
    Map<String, Object> body = new LinkedHashMap<>(e.body());
    body.remove("allow");
    try {
      exchange.json(e.status(), admin.json().write(body));
    } catch (IOException gone) {
      LOG.debug("{} {}: the client went away before its answer ({})", request.getMethod(), request.getRequestURI(),
          gone.toString());
    }
  }

  private void failed(Exchange exchange, Exception e) {
    HttpServletRequest request = exchange.request();
    if (e instanceof IOException) {
      // the client went away, mid-body or before its answer: nothing to answer, nothing to trace
      LOG.debug("{} {}: request aborted ({})", request.getMethod(), request.getRequestURI(), e.toString());
      return;
    }
    error(exchange, new AdminException(AdminException.INTERNAL_ERROR, "internal error: " + e, Map.of(), e));
  }
}
