package dev.maverick.handler.itest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free loopback port, in the container, for the network handler's tests:
 * it records each request and answers {@code {"path": <request path>, "n": <request number>}}
 * with status 200, or what {@link #respond} says. {@link #hold()} keeps answers back until
 * {@link #release()}, so that a test can have a request in flight and items queued behind it.
 */
public final class JsonServer implements AutoCloseable {
  /** A request as received: method, path with query, headers (lower-case names) and body. */
  public record Request(String method, String path, Map<String, String> headers, String body) {
    /** A header's first value, by name in any case, or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "itest-json-server");
    thread.setDaemon(true);
    return thread;
  });
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile int status = 200;
  private volatile String fixedBody;

  private JsonServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server on a free loopback port. */
  public static JsonServer start() throws IOException {
    return new JsonServer();
  }

  /** The port it listens on, on 127.0.0.1. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** From now on, answer with this status and body instead of the default. */
  public void respond(int newStatus, String body) {
    this.status = newStatus;
    this.fixedBody = body;
  }

  /** Holds answers back (requests are still recorded) until {@link #release()}. */
  public void hold() {
    gate = new CountDownLatch(1);
  }

  /** Lets held answers go. */
  public void release() {
    gate.countDown();
  }

  /** How many requests arrived. */
  public int requestCount() {
    return count.get();
  }

  /** The next request received, waiting up to {@link Await#DEFAULT_TIMEOUT}. */
  public Request take() throws InterruptedException {
    Request next = requests.poll(Await.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (next == null) {
      throw new AssertionError("no request within " + Await.DEFAULT_TIMEOUT);
    }
    return next;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Map<String, String> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((name, values) ->
          headers.put(name.toLowerCase(Locale.ROOT), values.isEmpty() ? "" : values.get(0)));
      String path = exchange.getRequestURI().toString();
      int number = count.incrementAndGet();
      requests.add(new Request(exchange.getRequestMethod(), path, headers, body));
      CountDownLatch held = gate;
      try {
        held.await(Await.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String answer = fixedBody != null ? fixedBody : "{\"path\": \"" + path.replace("\"", "") + "\", \"n\": " + number + "}";
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    gate.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
