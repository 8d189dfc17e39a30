package dev.maverick.handler.network.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP(S) server on a free loopback port (the JDK's {@code com.sun.net.httpserver}) that
 * records every request and answers as the test scripts it.
 */
final class TestServer implements AutoCloseable {
  /** A request as the server received it. */
  record Recorded(String method, String pathAndQuery, Headers headers, byte[] body) {
    String header(String name) {
      return headers.getFirst(name);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Answers the {@code number}-th request (from 1). */
  @FunctionalInterface
  interface Responder {
    void respond(HttpExchange exchange, int number) throws IOException;
  }

  private static final Duration WAIT = Duration.ofSeconds(30);

  static {
    // The JDK server writes a response's headers and body separately; without TCP_NODELAY, Nagle
    // holds the body until the client's delayed ACK, and every request takes 40 ms. Read once,
    // when the first server of the JVM is made.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }
  /** The exchange attribute holding the request body, already read, for a responder that answers by it. */

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "test-server");
    thread.setDaemon(true);
    return thread;
  });
  private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
  /**
   * Each exchange's request body, read before the responder runs. Not an exchange attribute: the
   * JDK server keeps those in the context, shared by every exchange running at the same time.
   */
  private final Map<HttpExchange, byte[]> bodies = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile Responder responder = json(200, "{}");

  private TestServer(HttpServer server) {
    this.server = server;
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  static TestServer http() throws IOException {
    return new TestServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  static TestServer https(SSLContext context) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    return new TestServer(server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  TestServer respond(Responder next) {
    this.responder = next;
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          exchange.getRequestHeaders(), body));
      bodies.put(exchange, body);
      try {
        responder.respond(exchange, count.incrementAndGet());
      } finally {
        bodies.remove(exchange);
      }
    }
  }

  /** The body of the request a responder is answering. */
  byte[] body(HttpExchange exchange) {
    return bodies.get(exchange);
  }

  /** The next request received, waiting for it. */
  Recorded take() throws InterruptedException {
    Recorded next = requests.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (next == null) {
      throw new AssertionError("no request within " + WAIT);
    }
    return next;
  }

  /** How many requests arrived so far. */
  int requestCount() {
    return count.get();
  }

  /** Lets every {@link #blockUntilReleased} answer go on. */
  void release() {
    release.countDown();
  }

  /** Holds the response until {@link #release()} (or close), then answers with {@code then}. */
  Responder blockUntilReleased(Responder then) {
    return (exchange, number) -> {
      try {
        release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      then.respond(exchange, number);
    };
  }

  /**
   * Sends the status line, the headers and the first half of {@code body} at once, then holds the
   * rest until {@link #release()} (or close): a server that stalls in the middle of a body.
   */
  Responder stallMidBody(int status, String body) {
    return (exchange, number) -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        try {
          release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
      }
    };
  }

  /** A fixed status and body, with a Content-Length. */
  static Responder json(int status, String body) {
    return (exchange, number) -> send(exchange, status, body, false);
  }

  /** A fixed status and body, chunked (no Content-Length). */
  static Responder chunked(int status, String body) {
    return (exchange, number) -> send(exchange, status, body, true);
  }

  /** Answers request n with the n-th responder, and the last one from then on. */
  static Responder sequence(Responder... answers) {
    List<Responder> list = List.of(answers);
    return (exchange, number) -> list.get(Math.min(number, list.size()) - 1).respond(exchange, number);
  }

  static void send(HttpExchange exchange, int status, String body, boolean chunked) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
