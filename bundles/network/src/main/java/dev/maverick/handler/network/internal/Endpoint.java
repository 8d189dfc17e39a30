package dev.maverick.handler.network.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLException;

/**
 * One configured endpoint and the JDK HTTP client that calls it. {@link #send} makes exactly one
 * attempt and either returns the parsed response or throws a {@link Failure} that says what went
 * wrong and whether trying again could help; retrying is the handler's business.
 *
 * <p>HTTP/1.1 with keep-alive, no proxy, redirects never followed (a redirect would carry the
 * auth header to wherever it points). {@code network_timeout} bounds each attempt as a whole:
 * connecting, sending, the status line and the whole body.
 */
final class Endpoint {
  /**
   * A 2xx response: its status and the handler's result, {@code {"status": 200, "body": <parsed
   * JSON>}} (read-only), or what {@code response_pointer} picks out of the body.
   */
  record Response(int status, Object result) {}

  /** How much of an error body, a Location header or a parser's message a failure shows. */
  static final int EXCERPT_CHARS = 200;

  /** One failed attempt: the reason in words, the status if a response came, and whether to retry. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final boolean retryable;

    Failure(String reason, int status, boolean retryable, Throwable cause) {
      super(reason, cause);
      this.status = status;
      this.retryable = retryable;
    }

    /** The HTTP status, or -1 when no response arrived. */
    int status() {
      return status;
    }

    /** True for connection failures and 5xx, the failures another attempt may cure. */
    boolean retryable() {
      return retryable;
    }
  }

  private final NetworkSettings settings;
  private final HttpClient client;
  private final JsonCodec json;
  private final ScheduledExecutorService timers;

  Endpoint(NetworkSettings settings, Executor executor, ScheduledExecutorService timers, JsonCodec json) {
    this.settings = settings;
    this.timers = timers;
    this.json = json;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.timeout())
        .executor(executor);
    if (settings.sslContext() != null) {
      builder.sslContext(settings.sslContext());
    }
    this.client = builder.build();
  }

  NetworkSettings settings() {
    return settings;
  }

  /**
   * Sends one request with {@code body} as JSON and reads the response.
   *
   * @throws Failure for every kind of failure, with a message that names no secret
   */
  Response send(byte[] body, String clientId) throws Failure {
    HttpRequest.Builder request = HttpRequest.newBuilder(settings.uri())
        .timeout(settings.timeout())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("X-Client-Id", clientId)
        .method(settings.method(), HttpRequest.BodyPublishers.ofByteArray(body));
    settings.authHeader().ifPresent(name -> request.header(name, settings.authHeaderValue()));
    HttpResponse<byte[]> response;
    Deadline deadline = Deadline.start(timers, settings.timeout());
    try {
      response = client.send(request.build(), LimitedBody.handler(settings.maxResponseBytes()));
    } catch (InterruptedException e) {
      if (deadline.finish()) {
        throw new Failure("no complete response within network_timeout=" + seconds(), -1, false, null);
      }
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while waiting for the response", -1, false, e);
    } catch (IOException | RuntimeException e) {
      deadline.finish();
      throw classify(e);
    }
    // a response that came in time is a response, even if the deadline fired as it returned
    deadline.finish();
    return read(response);
  }

  private Response read(HttpResponse<byte[]> response) throws Failure {
    int status = response.statusCode();
    Secrets secrets = settings.secrets();
    if (status >= 300 || status < 200) {
      byte[] body = response.body();
      // the body was read up to a limit: a secret may straddle where it was cut
      boolean cut = body.length >= Math.min(settings.maxResponseBytes(), LimitedBody.ERROR_EXCERPT_BYTES);
      String excerpt = secrets.excerpt(new String(body, StandardCharsets.UTF_8), cut, EXCERPT_CHARS);
      String reason = "HTTP " + status;
      if (status >= 300 && status < 400) {
        reason += " (redirects are not followed; Location: "
            + secrets.excerpt(response.headers().firstValue("Location").orElse("none"), false, EXCERPT_CHARS) + ")";
      }
      throw new Failure(excerpt.isEmpty() ? reason : reason + ": " + excerpt, status, status >= 500, null);
    }
    Object body;
    try {
      body = json.decode(response.body());
    } catch (JsonProcessingException e) {
      // no cause attached: Jackson's exception may carry the body, and so a secret it echoes
      throw new Failure("HTTP " + status + " with a body that is not JSON: "
          + json.describeNotJson(response.body(), e, secrets), status, false, null);
    } catch (IOException e) {
      throw new Failure("HTTP " + status + " with a body that could not be read: " + e.getMessage(), status, false, null);
    }
    ResponsePointer pointer = settings.responsePointer();
    if (pointer == null) {
      return new Response(status, seedResult(status, body));
    }
    try {
      return new Response(status, pointer.select(body, secrets));
    } catch (ResponsePointer.Miss miss) {
      throw new Failure("HTTP " + status + " but " + miss.getMessage(), status, false, null);
    }
  }

  /** {@code {"status": 200, "body": <parsed JSON>}}, read-only. */
  private static Map<String, Object> seedResult(int status, Object body) {
    Map<String, Object> result = new LinkedHashMap<>(4);
    result.put("status", status);
    result.put("body", body);
    return Collections.unmodifiableMap(result);
  }

  private Failure classify(Throwable error) {
    Throwable cause = error;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof LimitedBody.TooLarge) {
        return new Failure(t.getMessage(), -1, false, null);
      }
      if (t instanceof HttpConnectTimeoutException) {
        return new Failure("could not connect within network_timeout=" + seconds(), -1, true, t);
      }
      if (t instanceof HttpTimeoutException) {
        return new Failure("no response within network_timeout=" + seconds(), -1, false, t);
      }
      if (t instanceof SSLException) {
        return new Failure("TLS failed: " + t.getMessage(), -1, false, t);
      }
      if (t instanceof ConnectException) {
        return new Failure("connection refused or unreachable" + detail(t), -1, true, t);
      }
      if (t instanceof IOException) {
        cause = t;
      }
    }
    if (cause instanceof IOException) {
      // reset, closed before the response, broken pipe: the connection failed
      return new Failure("connection failed" + detail(cause), -1, true, cause);
    }
    return new Failure("request failed: " + error, -1, false, error);
  }

  private String seconds() {
    return settings.timeout().toNanos() / 1e9 + "s";
  }

  private static String detail(Throwable t) {
    return t.getMessage() == null ? " (" + t.getClass().getSimpleName() + ")" : ": " + t.getMessage();
  }

  /**
   * Lets the client go. On Java 21 and later {@code HttpClient} is {@code AutoCloseable} and
   * closing stops its selector thread at once; on 17 that thread ends when the client is
   * collected.
   */
  void close() {
    Object closeable = client;
    if (closeable instanceof AutoCloseable resource) {
      try {
        resource.close();
      } catch (Exception e) {
        // nothing left to do for a client being let go
      }
    }
  }
}
