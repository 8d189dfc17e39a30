package dev.maverick.handler.network.internal;

import static dev.maverick.handler.network.internal.TestServer.chunked;
import static dev.maverick.handler.network.internal.TestServer.json;
import static dev.maverick.handler.network.internal.TestServer.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static dev.maverick.handler.network.internal.Handlers.seedResult;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.NetworkCallException;
import dev.maverick.handler.ds.testing.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkHandlerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestServer server;
  private final Handlers handlers = new Handlers();

  @BeforeEach
  void startServer() throws IOException {
    server = TestServer.http();
  }

  @AfterEach
  void stop() {
    server.close();
    handlers.close();
  }

  private NetworkHandler handler(Map<String, ?> more) {
    return handlers.create(server.port(), more);
  }

  private static void assertBalanced(NetworkHandler handler) {
    Eventually.balanced(handler);
  }

  private static Map<String, Object> details(NetworkHandler handler) {
    return handler.stats().details();
  }

  // ---- success ---------------------------------------------------------------------------------

  @Test
  void postsTheSeedsPayloadAsJsonAndReturnsTheStatusAndTheParsedBody() throws Exception {
    server.respond(json(200, "{\"faces\": [{\"name\": \"ada\", \"score\": 0.97}]}"));
    NetworkHandler handler = handler(Map.of("path", "/recognize", "auth", "key-123", "client_id_prefix", "kiosk"));

    Map<String, Object> result = seedResult(handler.generate("frame-1", Map.of("camera", 2)));

    assertThat(result).containsOnlyKeys("status", "body").containsEntry("status", 200);
    assertThat(result.get("body")).isEqualTo(Map.of("faces", List.of(Map.of("name", "ada", "score", 0.97))));
    TestServer.Recorded request = server.take();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.pathAndQuery()).isEqualTo("/recognize");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Accept")).isEqualTo("application/json");
    assertThat(request.header("x-api-key")).isEqualTo("key-123");
    assertThat(request.header("X-Client-Id")).isEqualTo(handler.clientId()).startsWith("kiosk-");
    Map<String, Object> payload = JSON.readValue(request.body(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    assertThat(payload.keySet()).containsExactly("client_id", "item", "extra", "timestamp");
    assertThat(payload.get("client_id")).isEqualTo(handler.clientId());
    assertThat(payload.get("item")).isEqualTo("frame-1");
    assertThat(payload.get("extra")).isEqualTo(Map.of("camera", 2));
    assertThat(((Number) payload.get("timestamp")).doubleValue()).isPositive();

    HandlerStats stats = handler.stats();
    assertThat(stats.processedCount()).isEqualTo(1);
    assertThat(stats.networkErrorCount()).isZero();
    assertThat(stats.lastNetworkCallAt()).isPresent();
    assertThat(details(handler)).containsEntry("attempt_count", 1L).containsEntry("last_status", 200)
        .containsEntry("url", "http://127.0.0.1:" + server.port() + "/recognize");
    assertBalanced(handler);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1, 2, 3]", "\"just text\"", "42", "4.5", "true", "null", "  "})
  void anyJsonValueIsTheBody(String body) throws Exception {
    server.respond(json(200, body));
    Object expected = body.isBlank() ? null : JSON.readValue(body, Object.class);
    assertThat(seedResult(handler(Map.of()).generate("x")).get("body")).isEqualTo(expected);
  }

  @Test
  void aNoContentResponseHasANullBody() {
    server.respond(json(204, ""));
    Map<String, Object> result = seedResult(handler(Map.of()).generate("x"));
    assertThat(result).containsEntry("status", 204).containsEntry("body", null);
  }

  @Test
  void methodPathQueryAndABearerTokenInAuthorization() throws Exception {
    NetworkHandler handler = handler(Map.of("method", "put", "path", "/v1/speak?voice=en%20us", "auth", "tok",
        "auth_scheme", "Bearer"));
    handler.generate(Map.of("text", "hello"));
    TestServer.Recorded request = server.take();
    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.pathAndQuery()).isEqualTo("/v1/speak?voice=en%20us");
    assertThat(request.header("Authorization")).isEqualTo("Bearer tok");
    assertThat(request.header("x-api-key")).isNull();
    assertThat(JSON.readValue(request.body(), Map.class).get("item")).isEqualTo(Map.of("text", "hello"));
  }

  @Test
  void theAuthHeaderCanBeNamedAndWithoutAuthNoneIsSent() throws Exception {
    handler(Map.of("auth", "k", "auth_header", "X-Token")).generate(1);
    assertThat(server.take().header("X-Token")).isEqualTo("k");
    handler(Map.of()).generate(2);
    TestServer.Recorded anonymous = server.take();
    assertThat(anonymous.header("x-api-key")).isNull();
    assertThat(anonymous.header("Authorization")).isNull();
  }

  @Test
  void workerThreadsCallConcurrentlyAndEveryItemGetsItsResult() {
    server.respond((exchange, number) -> TestServer.send(exchange, 200, "{\"n\": " + number + "}", false));
    NetworkHandler handler = handler(Map.of("worker_threads", 4));
    int items = 40;
    for (int i = 0; i < items; i++) {
      assertThat(handler.feed(i)).isTrue();
    }
    Set<Object> answers = new HashSet<>();
    for (int i = 0; i < items; i++) {
      Map<String, Object> result = seedResult(handler.getResult(WAIT).orElseThrow());
      assertThat(result.get("status")).isEqualTo(200);
      answers.add(((Map<?, ?>) result.get("body")).get("n"));
    }
    assertThat(answers).hasSize(items);
    assertThat(server.requestCount()).isEqualTo(items);
    assertThat(handler.stats().processedCount()).isEqualTo(items);
    assertBalanced(handler);
  }

  // ---- failures --------------------------------------------------------------------------------

  private NetworkCallException failure(NetworkHandler handler) {
    return catchThrowableOfType(() -> handler.generate("item"), NetworkCallException.class);
  }

  private static void assertCountedOnce(NetworkHandler handler, long failedAttempts) {
    HandlerStats stats = Eventually.balanced(handler);
    assertThat(stats.networkErrorCount()).isEqualTo(1);
    assertThat(stats.itemErrorCount()).isEqualTo(1);
    assertThat(stats.processedCount()).isZero();
    assertThat(stats.details()).containsEntry("failed_attempt_count", failedAttempts)
        .containsEntry("retry_count", failedAttempts - 1);
  }

  @Test
  void aRefusedConnectionIsRetriedWithBackoffAndCountedOnce() throws IOException {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    NetworkHandler handler = handlers.create(closedPort, Map.of("retries", 2, "retry_backoff", 0.01));
    NetworkCallException error = failure(handler);
    assertThat(error).hasMessageContaining("handler 'net': POST http://127.0.0.1:" + closedPort + "/ failed")
        .hasMessageContaining("connection refused").hasMessageContaining("after 3 attempts");
    assertThat(error.status()).isEqualTo(-1);
    assertThat(error.getCause()).isInstanceOf(java.net.ConnectException.class);
    assertCountedOnce(handler, 3);
  }

  @Test
  void aResponseTimeoutFailsAndIsNotRetried() {
    server.respond(server.blockUntilReleased(json(200, "{}")));
    // long enough for a busy machine to connect and send in time: only the answer is late
    NetworkHandler handler = handler(Map.of("network_timeout", 2, "retries", 2, "retry_backoff", 0));
    NetworkCallException error = failure(handler);
    assertThat(error).hasMessageContaining("POST http://127.0.0.1:" + server.port() + "/ failed")
        .hasMessageContaining("within network_timeout=2.0s").hasMessageNotContaining("attempts");
    assertThat(server.requestCount()).isEqualTo(1);
    assertCountedOnce(handler, 1);
  }

  @Test
  void aBodyThatStallsHalfWayFailsWithinTheTimeoutAndLeavesTheWorkerUninterrupted() {
    server.respond(server.stallMidBody(200, "{\"faces\": [" + "1, ".repeat(2000) + "2]}"));
    // long enough for a busy machine to receive the headers in time: only the body is late
    NetworkHandler handler = handler(Map.of("network_timeout", 2, "retries", 2, "retry_backoff", 0));
    NetworkCallException error = failure(handler);
    assertThat(error).hasMessageContaining("no complete response within network_timeout=2.0s")
        .hasMessageNotContaining("attempts");
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(Thread.currentThread().isInterrupted()).as("the deadline's interrupt is not left behind").isFalse();
    assertCountedOnce(handler, 1);
  }

  @Test
  void callsThatFinishInTimeLeaveNoInterruptBehind() {
    NetworkHandler handler = handler(Map.of("network_timeout", 5));
    for (int i = 0; i < 200; i++) {
      assertThat(seedResult(handler.generate("ping-" + i))).containsEntry("status", 200);
      assertThat(Thread.currentThread().isInterrupted()).as("after call %d", i).isFalse();
    }
  }

  @Test
  void aClientErrorIsNeverRetriedAndItsStatusAndExcerptAreInTheException() {
    server.respond(json(404, "{\"detail\": \"no such model\"}"));
    NetworkHandler handler = handler(Map.of("retries", 3, "retry_backoff", 0));
    NetworkCallException error = failure(handler);
    assertThat(error).hasMessageContaining("HTTP 404: {\"detail\": \"no such model\"}");
    assertThat(error.status()).isEqualTo(404);
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(details(handler)).containsEntry("last_status", 404);
    assertCountedOnce(handler, 1);
  }

  @Test
  void aServerErrorIsRetriedAndFailsAfterTheLastAttempt() {
    server.respond(json(503, "overloaded"));
    NetworkHandler handler = handler(Map.of("retries", 2, "retry_backoff", 0.01));
    NetworkCallException error = failure(handler);
    assertThat(error).hasMessageContaining("HTTP 503: overloaded").hasMessageContaining("after 3 attempts");
    assertThat(error.status()).isEqualTo(503);
    assertThat(server.requestCount()).isEqualTo(3);
    assertCountedOnce(handler, 3);
  }

  @Test
  void aServerErrorThatPassesIsNotAFailedCall() {
    server.respond(sequence(json(500, ""), json(502, ""), json(200, "{\"ok\": true}")));
    NetworkHandler handler = handler(Map.of("retries", 2, "retry_backoff", 0.01));
    assertThat(seedResult(handler.generate("x"))).containsEntry("body", Map.of("ok", true));
    HandlerStats stats = handler.stats();
    assertThat(stats.networkErrorCount()).isZero();
    assertThat(stats.details()).containsEntry("attempt_count", 3L).containsEntry("failed_attempt_count", 2L)
        .containsEntry("retry_count", 2L);
    assertBalanced(handler);
  }

  @Test
  void aResetConnectionIsAConnectionFailureAndIsRetried() throws IOException {
    try (ResetServer reset = new ResetServer()) {
      NetworkHandler handler = handlers.create(reset.port(), Map.of("retries", 1, "retry_backoff", 0.01));
      NetworkCallException error = failure(handler);
      assertThat(error).hasMessageContaining("POST http://127.0.0.1:" + reset.port() + "/ failed: connection failed")
          .hasMessageContaining("after 2 attempts");
      assertThat(error.getCause()).isInstanceOf(IOException.class);
      assertThat(reset.connections()).isEqualTo(2);
      assertCountedOnce(handler, 2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"faces\": [", "{\"a\": 1} trailing", "<html>oops</html>"})
  void aBodyThatIsNotJsonFailsWithoutRetry(String body) {
    server.respond(json(200, body));
    NetworkHandler handler = handler(Map.of("retries", 2));
    NetworkCallException error = failure(handler);
    assertThat(error).hasMessageContaining("HTTP 200 with a body that is not JSON").hasMessageContaining("line 1");
    assertThat(error.status()).isEqualTo(200);
    assertThat(server.requestCount()).isEqualTo(1);
    assertCountedOnce(handler, 1);
  }

  @Test
  void aBodyOverMaxResponseBytesFailsWhetherItsLengthIsDeclaredOrNot() {
    String big = "\"" + "x".repeat(100) + "\"";
    server.respond(json(200, big));
    NetworkHandler handler = handler(Map.of("max_response_bytes", 10, "retries", 2));
    assertThat(failure(handler)).hasMessageContaining("response body of 102 bytes (Content-Length) is larger than "
        + "max_response_bytes=10");
    server.respond(chunked(200, big));
    assertThat(failure(handler)).hasMessageContaining("larger than max_response_bytes=10 (more than 10 bytes received)");
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(handler.stats().networkErrorCount()).isEqualTo(2);

    server.respond(chunked(200, "\"12345678\""));
    assertThat(seedResult(handler.generate("fits exactly"))).containsEntry("body", "12345678");
    assertBalanced(handler);
  }

  @Test
  void aRedirectIsNotFollowed() {
    server.respond((exchange, number) -> {
      exchange.getResponseHeaders().set("Location", "http://elsewhere.invalid/steal");
      exchange.sendResponseHeaders(302, -1);
    });
    NetworkCallException error = failure(handler(Map.of("auth", "secret-key")));
    assertThat(error).hasMessageContaining("HTTP 302 (redirects are not followed; Location: http://elsewhere.invalid/steal)");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void onTheThreadedPathAFailedCallIsAnItemErrorAndANetworkError() {
    server.respond(sequence(json(500, "boom"), json(200, "{\"ok\": 1}")));
    NetworkHandler handler = handler(Map.of());
    assertThat(handler.feed("fails")).isTrue();
    assertThat(handler.feed("works")).isTrue();
    assertThat(handler.getResult(WAIT)).hasValueSatisfying(result -> assertThat(seedResult(result)).containsEntry("status", 200));
    HandlerStats stats = Eventually.balanced(handler);
    assertThat(stats.errorCount()).isEqualTo(1);
    assertThat(stats.networkErrorCount()).isEqualTo(1);
    assertThat(stats.processedCount()).isEqualTo(1);
    assertThat(stats.details().get("last_error")).asString().contains("HTTP 500: boom");
  }

  @Test
  void anItemThatCannotBeWrittenAsJsonIsAnItemErrorNotANetworkError() {
    NetworkHandler handler = handler(Map.of());
    assertThatThrownBy(() -> handler.generate(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("handler 'net': the request payload cannot be written as JSON");
    HandlerStats stats = handler.stats();
    assertThat(stats.itemErrorCount()).isEqualTo(1);
    assertThat(stats.networkErrorCount()).isZero();
    assertThat(server.requestCount()).isZero();
    assertBalanced(handler);
  }

  // ---- reconfiguration -------------------------------------------------------------------------

  @Test
  void reconfiguringKeepsQueuedItemsAndTheNextCallsUseTheNewEndpoint() throws Exception {
    server.respond(server.blockUntilReleased(json(200, "{}")));
    NetworkHandler handler = handler(Map.of("path", "/a", "auth", "old"));
    for (int i = 0; i < 3; i++) {
      assertThat(handler.feed(i)).isTrue();
    }
    TestServer.Recorded first = server.take();
    assertThat(handler.stats().inputQueueSize()).isEqualTo(2);

    handler.reconfigure(handlers.kind().validate(Map.of("name", "net", "host", "127.0.0.1", "port", server.port(),
        "path", "/b", "auth", "new", "auth_header", "X-Key", "max_queue_size", 1, "result_queue_size", 8)));
    server.release();

    List<Object> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statuses.add(seedResult(handler.getResult(WAIT).orElseThrow()).get("status"));
    }
    assertThat(statuses).containsExactly(200, 200, 200);
    assertThat(first.pathAndQuery()).isEqualTo("/a");
    assertThat(first.header("x-api-key")).isEqualTo("old");
    for (int i = 0; i < 2; i++) {
      TestServer.Recorded later = server.take();
      assertThat(later.pathAndQuery()).isEqualTo("/b");
      assertThat(later.header("X-Key")).isEqualTo("new");
      assertThat(later.header("x-api-key")).isNull();
    }
    assertThat(handler.stats().processedCount()).isEqualTo(3);
    assertBalanced(handler);
  }

  @Test
  void theHttpThreadsAreNamedAfterTheHandlerAndEndWithIt() {
    NetworkHandler handler = handler(Map.of());
    handler.generate("x");
    assertThat(Thread.getAllStackTraces().keySet()).anyMatch(thread -> thread.getName().startsWith("net-http-"));
    handler.close();
    Eventually.until("no net-http thread left", () -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(thread -> thread.getName().startsWith("net-http-") && thread.isAlive()));
    assertThat(handler.liveThreads()).isEmpty();
  }
}
