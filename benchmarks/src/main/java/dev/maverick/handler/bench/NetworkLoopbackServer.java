package dev.maverick.handler.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 8's server: the JDK's {@code com.sun.net.httpserver} on 127.0.0.1 (a free port, two
 * threads, TCP_NODELAY), reading every request body whole and answering 200 with {@value #ANSWER},
 * or a chat completion whose reply is {@value NetworkHarness#REPLY} on {@value #CHAT_PATH}. It
 * counts what it served, so the harness can check that every request arrived once.
 */
final class NetworkLoopbackServer implements AutoCloseable {
  static final String PATH = "/v1/bench";
  static final String CHAT_PATH = "/v1/chat/completions";
  static final String ANSWER = "{\"ok\":true,\"service\":\"bench\"}";
  static final String CHAT_ANSWER = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"model\":\"local\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + NetworkHarness.REPLY + "\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":7,\"total_tokens\":16}}";
  private static final int SERVER_THREADS = 2;
  private static final byte[] BODY = ANSWER.getBytes(StandardCharsets.UTF_8);
  private static final byte[] CHAT_BODY = CHAT_ANSWER.getBytes(StandardCharsets.UTF_8);
  private final HttpServer server;
  private final ExecutorService threads;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  private NetworkLoopbackServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  static NetworkLoopbackServer start() throws IOException {
    // The JDK server writes the response's headers and body separately; without TCP_NODELAY,
    // Nagle holds the body until the client's delayed ACK (40 ms), and every request takes 40 ms.
    // Read once, when the server's first instance is made: set it before.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    ExecutorService threads = Executors.newFixedThreadPool(SERVER_THREADS, task -> {
      Thread thread = new Thread(task, "bench-http-server");
      thread.setDaemon(true);
      return thread;
    });
    NetworkLoopbackServer loopback = new NetworkLoopbackServer(server, threads);
    server.createContext(PATH, exchange -> loopback.answer(exchange, BODY));
    server.createContext(CHAT_PATH, exchange -> loopback.answer(exchange, CHAT_BODY));
    server.setExecutor(threads);
    server.start();
    return loopback;
  }

  private void answer(HttpExchange exchange, byte[] answer) throws IOException {
    try (exchange) {
      byte[] request;
      try (InputStream in = exchange.getRequestBody()) {
        request = in.readAllBytes();
      }
      // a cheap sanity check: a POST of one JSON object
      if (!exchange.getRequestMethod().equals("POST") || request.length < 2 || request[0] != '{'
          || request[request.length - 1] != '}') {
        refused.incrementAndGet();
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      served.incrementAndGet(); // before answering: a client that has its answer sees the count
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port() + PATH);
  }

  URI chatUri() {
    return URI.create("http://127.0.0.1:" + port() + CHAT_PATH);
  }

  long served() {
    return served.get();
  }

  /** Waits (10 s at most) until the server has answered {@code count} requests in all; exactly that many. */
  void awaitServed(long count) throws InterruptedException {
    long deadline = System.nanoTime() + Feeder.STALL_NANOS;
    while (served.get() < count && System.nanoTime() - deadline < 0) {
      TimeUnit.MILLISECONDS.sleep(1);
    }
    Pipeline.check(served.get() == count && refused.get() == 0, "the server answered " + served.get()
        + " requests (and refused " + refused.get() + ") where " + count + " were sent");
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
