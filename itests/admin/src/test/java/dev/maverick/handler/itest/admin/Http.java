package dev.maverick.handler.itest.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.osgi.framework.BundleContext;

/** A small HTTP client for the admin API on loopback, in the container. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  Http(BundleContext context) {
    this.base = "http://127.0.0.1:" + context.getProperty(AdminTestOptions.HTTP_PORT);
  }

  String base() {
    return base;
  }

  /** An answer: status, headers and body, with the body as JSON when it is. */
  record Answer(int status, HttpResponse<String> response) {
    String body() {
      return response.body();
    }

    JsonNode json() {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + response.body(), e);
      }
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + response.body();
    }
  }

  Answer get(String path) {
    return send("GET", path, null, Map.of());
  }

  Answer post(String path, Object body) {
    return send("POST", path, body, Map.of());
  }

  Answer put(String path, Object body) {
    return send("PUT", path, body, Map.of());
  }

  Answer delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  /**
   * Sends a request. A body that is a String is sent as it is; anything else is written as JSON.
   * Headers may override the JSON content type.
   */
  Answer send(String method, String path, Object body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    String text = null;
    if (body != null) {
      try {
        text = body instanceof String raw ? raw : JSON.writeValueAsString(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::setHeader);
    request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(text));
    return exchange(request.build());
  }

  /** Sends a binary body with its content type. */
  Answer sendBytes(String method, String path, String contentType, byte[] body) {
    return exchange(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  private Answer exchange(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Waits until the API answers (Jetty and the admin's servlet are up). */
  Http awaitUp() {
    dev.maverick.handler.itest.Await.until("the admin API answers at " + base, () -> {
      try {
        return get("/handlers").status() == 200;
      } catch (UncheckedIOException notYet) {
        return false;
      }
    });
    return this;
  }
}
