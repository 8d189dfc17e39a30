// A stand-in for an OpenAI-compatible chat server, for the README's voice loop (not a product, not run in CI).
//
//   java scripts/LlmStandIn.java [port=8000]
//
// Answers POST /v1/chat/completions with the shape such servers send,
//   {"id": "...", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant",
//    "content": "You said: <the last user message>"}, "finish_reason": "stop"}]}
// so that a network handler with response_pointer = /choices/0/message/content gets "You said: ...".
// It listens on 127.0.0.1 only, reads at most 64 KiB of a request, and logs each exchange. Ctrl-C stops it.
//
// It has no JSON library (a single-file program runs without a class path): it reads the request
// with a small scanner of JSON string literals, enough for this stand-in, and never evaluates them.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class LlmStandIn {
  private static final int MAX_REQUEST = 64 * 1024;
  private static final AtomicLong EXCHANGES = new AtomicLong();

  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext("/v1/chat/completions", LlmStandIn::answer);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    System.out.println("LLM stand-in on http://127.0.0.1:" + port + "/v1/chat/completions (Ctrl-C stops it)");
  }

  private static void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "{\"error\":{\"message\":\"POST only\"}}");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_REQUEST + 1);
      }
      if (body.length > MAX_REQUEST) {
        send(exchange, 413, "{\"error\":{\"message\":\"request larger than 64 KiB\"}}");
        return;
      }
      String request = new String(body, StandardCharsets.UTF_8);
      String question = lastUserContent(request);
      if (question == null) {
        send(exchange, 400, "{\"error\":{\"message\":\"no messages[].content of role user\"}}");
        return;
      }
      String reply = "You said: " + question;
      long id = EXCHANGES.incrementAndGet();
      System.out.println("#" + id + " " + question + " -> " + reply);
      send(exchange, 200, "{\"id\":\"standin-" + id + "\",\"object\":\"chat.completion\",\"model\":\"stand-in\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quote(reply) + "},"
          + "\"finish_reason\":\"stop\"}]}");
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * The text of the last {@code "content"} that follows a {@code "role": "user"} in the request,
   * or null. Reads string literals as JSON writes them; anything it does not understand is null.
   */
  static String lastUserContent(String json) {
    String found = null;
    boolean userSeen = false;
    String previousKey = null;
    int i = 0;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (c != '"') {
        i++;
        continue;
      }
      StringBuilder text = new StringBuilder();
      int end = readString(json, i, text);
      if (end < 0) {
        return null;
      }
      int next = end;
      while (next < json.length() && Character.isWhitespace(json.charAt(next))) {
        next++;
      }
      boolean isKey = next < json.length() && json.charAt(next) == ':';
      if (!isKey && "role".equals(previousKey)) {
        userSeen = "user".equals(text.toString());
      } else if (!isKey && "content".equals(previousKey) && userSeen) {
        found = text.toString();
      }
      previousKey = isKey ? text.toString() : null;
      i = end;
    }
    return found;
  }

  /** Reads the string literal starting at {@code start} into {@code into}; the index after it, or -1. */
  private static int readString(String json, int start, StringBuilder into) {
    int i = start + 1;
    while (i < json.length()) {
      char c = json.charAt(i++);
      if (c == '"') {
        return i;
      }
      if (c != '\\') {
        into.append(c);
        continue;
      }
      if (i >= json.length()) {
        return -1;
      }
      char escaped = json.charAt(i++);
      switch (escaped) {
        case 'n' -> into.append('\n');
        case 't' -> into.append('\t');
        case 'r' -> into.append('\r');
        case 'b' -> into.append('\b');
        case 'f' -> into.append('\f');
        case 'u' -> {
          if (i + 4 > json.length()) {
            return -1;
          }
          try {
            into.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
          } catch (NumberFormatException e) {
            return -1;
          }
          i += 4;
        }
        default -> into.append(escaped);
      }
    }
    return -1;
  }

  /** A string as a JSON string literal. */
  static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
