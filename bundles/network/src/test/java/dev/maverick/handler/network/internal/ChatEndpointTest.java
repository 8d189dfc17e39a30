package dev.maverick.handler.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.NetworkCallException;
import dev.maverick.handler.ds.testing.Eventually;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A network handler configured for an OpenAI-compatible {@code /v1/chat/completions} endpoint, the
 * README's example, against a real loopback server that behaves like one: it refuses a request
 * whose body is not a chat request (400, as such servers do) and answers with a {@code choices}
 * array. On {@code generate} and on the workers (one and four).
 */
class ChatEndpointTest {
  static final String TEMPLATE = "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"{{item}}\"}]}";
  static final String POINTER = "/choices/0/message/content";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestServer server;
  private final Handlers handlers = new Handlers();
  private final AtomicInteger malformed = new AtomicInteger();

  @BeforeEach
  void startServer() throws IOException {
    server = TestServer.http().respond(this::chat);
  }

  @AfterEach
  void stop() {
    server.close();
    handlers.close();
  }

  /** What an OpenAI-compatible server does with a chat request: the reply is the user's text, reversed. */
  private void chat(com.sun.net.httpserver.HttpExchange exchange, int number) throws IOException {
    JsonNode request;
    try {
      request = JSON.readTree(server.body(exchange));
    } catch (IOException notJson) {
      request = null;
    }
    String content = userContent(request);
    if (content == null) {
      malformed.incrementAndGet();
      TestServer.send(exchange, 400, "{\"error\": {\"message\": \"'messages' is a required property\", "
          + "\"type\": \"invalid_request_error\"}}", false);
      return;
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("id", "chatcmpl-" + number).put("object", "chat.completion").put("model", "local");
    ObjectNode choice = answer.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", new StringBuilder(content).reverse().toString());
    answer.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", 5).put("total_tokens", 10);
    TestServer.send(exchange, 200, JSON.writeValueAsString(answer), false);
  }

  /** The content of a well-formed chat request's single user message, or null when the body is no such request. */
  private static String userContent(JsonNode request) {
    if (request == null || !request.path("model").isTextual() || request.size() != 2) {
      return null;
    }
    JsonNode messages = request.path("messages");
    if (!messages.isArray() || messages.size() != 1) {
      return null;
    }
    JsonNode message = messages.get(0);
    if (message.size() != 2 || !"user".equals(message.path("role").asText(null)) || !message.path("content").isTextual()) {
      return null;
    }
    return message.get("content").asText();
  }

  private NetworkHandler llm(Map<String, Object> more) {
    Map<String, Object> properties = new java.util.HashMap<>(Map.of("path", "/v1/chat/completions",
        "request_template", TEMPLATE, "response_pointer", POINTER));
    properties.putAll(more);
    return handlers.create(server.port(), properties);
  }

  @Test
  void generateSendsAChatRequestAndReturnsTheRepliesText() throws Exception {
    NetworkHandler handler = llm(Map.of("auth", "sk-local", "auth_scheme", "Bearer"));

    Object reply = handler.generate("What is the capital of France?");

    assertThat(reply).isEqualTo("?ecnarF fo latipac eht si tahW");
    TestServer.Recorded request = server.take();
    assertThat(request.pathAndQuery()).isEqualTo("/v1/chat/completions");
    assertThat(request.header("Authorization")).isEqualTo("Bearer sk-local");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree(
        "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}"));
    assertThat(request.text()).as("exactly the template's shape, in its order")
        .isEqualTo("{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}");
    assertThat(handler.stats().details()).containsEntry("request_template", TEMPLATE).containsEntry("response_pointer", POINTER);
    assertThat(malformed).hasValue(0);
    Eventually.balanced(handler);
  }

  @ParameterizedTest(name = "worker_threads={0}")
  @ValueSource(ints = {1, 4})
  void fedItemsComeOutAsTheRepliesTextsEveryItemCounted(int workers) throws Exception {
    NetworkHandler handler = llm(Map.of("worker_threads", workers, "max_queue_size", 0, "result_queue_size", 0));
    int items = 40;
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < items; i++) {
      String text = "turn " + i + " says \"}{{extra.x}}";
      expected.add(new StringBuilder(text).reverse().toString());
      assertThat(handler.feed(text, Map.of("x", "must not be sent"))).isTrue();
    }
    List<Object> replies = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      replies.add(handler.getResult(WAIT).orElseThrow());
    }
    assertThat(new HashSet<>(replies)).isEqualTo(expected);
    HandlerStats stats = Eventually.balanced(handler);
    assertThat(stats.processedCount()).isEqualTo(items);
    assertThat(stats.errorCount()).isZero();
    assertThat(server.requestCount()).isEqualTo(items);
    assertThat(malformed).hasValue(0);
    for (int i = 0; i < items; i++) {
      assertThat(server.take().text()).doesNotContain("must not be sent");
    }
  }

  @Test
  void aPlaceholderThatNamesNothingIsAnItemErrorOnBothPathsAndNoRequestIsMade() throws Exception {
    NetworkHandler handler = llm(Map.of("request_template",
        "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"{{item.text}}\"}]}"));

    assertThatThrownBy(() -> handler.generate("a string has no text"))
        .isInstanceOf(InvalidItemException.class)
        .hasMessage("handler 'net': request_template: {{item.text}} names nothing: item is a string, not a map or a "
            + "list, so it has no 'text'; a placeholder must name a value the item or its extras have");
    assertThat(handler.feed(Map.of("txt", "a typo"))).isTrue();
    Eventually.until("the fed item failed", () -> handler.stats().errorCount() == 2);
    assertThat(handler.generate(Map.of("text", "fine"))).isEqualTo("enif");

    HandlerStats stats = Eventually.balanced(handler);
    assertThat(stats.itemErrorCount()).as("one on each path").isEqualTo(2);
    assertThat(stats.networkErrorCount()).as("no request was made for them").isZero();
    assertThat(stats.processedCount()).isEqualTo(1);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aResponseWithoutThePointedValueFailsTheCallNamingThePointerOnBothPaths() throws Exception {
    server.respond(TestServer.json(200, "{\"id\": \"x\", \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"hi\"}}]}"));
    NetworkHandler handler = llm(Map.of());

    NetworkCallException failure = catchNetworkFailure(() -> handler.generate("hello"));
    assertThat(failure.status()).isEqualTo(200);
    assertThat(failure.getMessage()).isEqualTo("handler 'net': POST http://127.0.0.1:" + server.port()
        + "/v1/chat/completions failed: HTTP 200 but response_pointer /choices/0/message/content matched nothing: "
        + "/choices/0 is an object with the keys [index, delta], with no key \"message\"");
    assertThat(handler.feed("fed")).isTrue();
    Eventually.until("the fed item failed", () -> handler.stats().errorCount() == 2);

    HandlerStats stats = Eventually.balanced(handler);
    assertThat(stats.itemErrorCount()).isEqualTo(2);
    assertThat(stats.networkErrorCount()).as("counted once each, as a malformed body is").isEqualTo(2);
    assertThat(stats.details()).containsEntry("last_status", 200);
    assertThat((String) stats.details().get("last_error")).contains("matched nothing");
  }

  @Test
  void aJsonNullAtThePointerIsNoResultCountedAsProcessed() throws Exception {
    server.respond(TestServer.json(200, "{\"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": null}}]}"));
    NetworkHandler handler = llm(Map.of());
    assertThat(handler.generate("tool call")).isNull();
    assertThat(handler.feed("fed")).isTrue();
    Eventually.until("the fed item processed", () -> handler.stats().processedCount() == 2);
    assertThat(handler.getResult(Duration.ofMillis(50))).isEmpty();
    assertThat(Eventually.balanced(handler).errorCount()).isZero();
  }

  @Test
  void withoutATemplateTheSeedsPayloadIsSentAndTheResultIsStatusAndBody() throws Exception {
    server.respond(TestServer.json(200, "{\"choices\": []}"));
    NetworkHandler handler = handlers.create(server.port(), Map.of());
    assertThat(Handlers.seedResult(handler.generate("x"))).containsEntry("status", 200)
        .containsEntry("body", Map.of("choices", List.of()));
    assertThat(JSON.readTree(server.take().body()).fieldNames()).toIterable()
        .containsExactly("client_id", "item", "extra", "timestamp");
  }

  @Test
  void aTemplateAndAPointerSetByAReconfigurationApplyFromTheNextCall() throws Exception {
    NetworkHandler handler = handlers.create(server.port(), Map.of("path", "/v1/chat/completions"));
    assertThatThrownBy(() -> handler.generate("seed payload")).isInstanceOf(NetworkCallException.class)
        .hasMessageContaining("HTTP 400: {\"error\": {\"message\": \"'messages' is a required property\"");
    assertThat(malformed).as("the seed's payload is no chat request").hasValue(1);
    handler.reconfigure(handlers.kind().validate(Map.of("name", "net", "host", "127.0.0.1", "port", server.port(),
        "path", "/v1/chat/completions", "request_template", TEMPLATE, "response_pointer", POINTER)));
    assertThat(handler.generate("abc")).isEqualTo("cba");
    handler.reconfigure(handlers.kind().validate(Map.of("name", "net", "host", "127.0.0.1", "port", server.port(),
        "path", "/v1/chat/completions", "request_template", TEMPLATE)));
    assertThat(Handlers.seedResult(handler.generate("abc")).get("body")).asString().contains("chat.completion");
  }

  private static NetworkCallException catchNetworkFailure(Runnable call) {
    try {
      call.run();
    } catch (NetworkCallException e) {
      return e;
    }
    throw new AssertionError("expected a NetworkCallException");
  }
}
