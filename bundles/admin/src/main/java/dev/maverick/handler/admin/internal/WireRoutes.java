package dev.maverick.handler.admin.internal;

import static dev.maverick.handler.admin.internal.ApiRoutes.allow;
import static dev.maverick.handler.admin.internal.ApiRoutes.isRead;
import static dev.maverick.handler.admin.internal.ApiRoutes.read;
import static dev.maverick.handler.admin.internal.ApiRoutes.requireLength;
import static dev.maverick.handler.admin.internal.ApiRoutes.write;

import dev.maverick.handler.admin.internal.RequestGuard.Access;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code /wires} resources of the HTTP API: list, one wire, create, change, delete. They pass
 * the same door as every other resource (Host, Origin, token, body limits; HEAD never writes).
 * Without the wire bundle they answer 404 saying that wires are not installed.
 */
final class WireRoutes {
  /** What a request for wires gets while the wire bundle does not run. */
  static final String NOT_INSTALLED = "wires are not installed: the wire bundle (dev.maverick.handler.wire, Karaf "
      + "feature maverick-wire) does not run here";

  private final HandlerAdmin admin;
  private final Supplier<WireApi> wires;

  WireRoutes(HandlerAdmin admin, Supplier<WireApi> wires) {
    this.admin = admin;
    this.wires = wires;
  }

  /** Resolves {@code /wires...} by its path and method. */
  ApiRoutes.Route resolve(String method, List<String> path) {
    WireApi api = wires.get();
    if (api == null) {
      throw AdminException.notFound(NOT_INSTALLED);
    }
    if (path.size() == 1) {
      allow(method, "GET", "POST");
      if (isRead(method)) {
        return read(e -> json(e, api.wires()));
      }
      return new ApiRoutes.Route(Access.WRITE, ApiRoutes.Body.JSON, e -> {
        Map<String, Object> body = admin.json().parseObject(e.body());
        ConfigChanges.Outcome outcome = api.create(body);
        if (outcome.status() < 300) {
          e.response().setHeader("Location", "/wires/" + body.get("name"));
        }
        outcome(e, outcome);
      });
    }
    String name = path.get(1);
    if (path.size() == 2) {
      allow(method, "GET", "DELETE");
      if (isRead(method)) {
        return read(e -> json(e, api.wire(name)));
      }
      return write(e -> outcome(e, api.delete(name)));
    }
    requireLength(path, 3);
    if (!path.get(2).equals("config")) {
      throw ApiRoutes.notFound(path);
    }
    allow(method, "GET", "PUT");
    if (isRead(method)) {
      return read(e -> json(e, api.wire(name).get("config")));
    }
    return new ApiRoutes.Route(Access.WRITE, ApiRoutes.Body.JSON,
        e -> outcome(e, api.update(name, admin.json().parseObject(e.body()))));
  }

  private void json(Exchange exchange, Object body) throws IOException {
    exchange.json(200, admin.json().write(body));
  }

  private void outcome(Exchange exchange, ConfigChanges.Outcome outcome) throws IOException {
    exchange.json(outcome.status(), admin.json().write(outcome.body()));
  }
}
