package dev.maverick.handler.network.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP server that misbehaves at random, on raw sockets so that it can do what a real
 * server does wrong: refuse connections (it closes its listening socket for a moment), time out,
 * answer 5xx and 4xx, reset the connection, answer slowly, and send malformed JSON.
 */
final class ChaosServer implements AutoCloseable {
  /** What the server does with one connection, or one moment of refusing. */
  enum Fault { OK, SLOW_OK, TIMEOUT, SERVER_ERROR, CLIENT_ERROR, RESET, MALFORMED_JSON, REFUSED }

  private static final Fault[] ANSWERS = {Fault.OK, Fault.OK, Fault.SLOW_OK, Fault.TIMEOUT, Fault.SERVER_ERROR,
      Fault.CLIENT_ERROR, Fault.RESET, Fault.MALFORMED_JSON};

  private final int port;
  private final long timeoutMillis;
  private final SplittableRandom random;
  private final ExecutorService connections = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "chaos-connection");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<Fault, AtomicLong> counts = new EnumMap<>(Fault.class);
  private final Thread acceptor;
  private volatile ServerSocket socket;
  private volatile boolean running = true;

  /**
   * @param timeoutMillis the client's timeout: TIMEOUT answers after twice that, SLOW_OK after half
   * @param seed the random sequence, printed by the test so that a failure can be replayed
   */
  ChaosServer(long timeoutMillis, long seed) throws IOException {
    this.timeoutMillis = timeoutMillis;
    this.random = new SplittableRandom(seed);
    for (Fault fault : Fault.values()) {
      counts.put(fault, new AtomicLong());
    }
    socket = listen(0);
    port = socket.getLocalPort();
    acceptor = new Thread(this::acceptLoop, "chaos-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return port;
  }

  Map<Fault, Long> counts() {
    Map<Fault, Long> snapshot = new EnumMap<>(Fault.class);
    counts.forEach((fault, count) -> snapshot.put(fault, count.get()));
    return snapshot;
  }

  private ServerSocket listen(int onPort) throws IOException {
    ServerSocket listening = new ServerSocket();
    listening.setReuseAddress(true);
    listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
    return listening;
  }

  private void acceptLoop() {
    while (running) {
      try {
        if (nextInt(10) == 0) {
          refuseForAMoment();
          continue;
        }
        Socket client = socket.accept();
        Fault fault = ANSWERS[nextInt(ANSWERS.length)];
        counts.get(fault).incrementAndGet();
        connections.execute(() -> answer(client, fault));
      } catch (IOException e) {
        // closed by close(), or while refusing
      }
    }
  }

  private synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private void refuseForAMoment() throws IOException {
    counts.get(Fault.REFUSED).incrementAndGet();
    socket.close();
    try {
      TimeUnit.MILLISECONDS.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (running) {
      socket = listen(port);
    }
  }

  private void answer(Socket client, Fault fault) {
    try (client) {
      readRequest(client.getInputStream());
      OutputStream out = client.getOutputStream();
      switch (fault) {
        case OK -> respond(out, 200, "{\"ok\": true}");
        case SLOW_OK -> {
          TimeUnit.MILLISECONDS.sleep(timeoutMillis / 2);
          respond(out, 200, "{\"ok\": \"slowly\"}");
        }
        case TIMEOUT -> {
          TimeUnit.MILLISECONDS.sleep(timeoutMillis * 2);
          respond(out, 200, "{\"ok\": \"too late\"}");
        }
        case SERVER_ERROR -> respond(out, 503, "{\"error\": \"overloaded\"}");
        case CLIENT_ERROR -> respond(out, 422, "{\"error\": \"bad frame\"}");
        case RESET -> client.setSoLinger(true, 0);
        case MALFORMED_JSON -> respond(out, 200, "{\"ok\": tru");
        default -> throw new IllegalStateException("not an answer: " + fault);
      }
    } catch (IOException | InterruptedException e) {
      // the client gave up first (its timeout), or the server is closing
    }
  }

  private static void respond(OutputStream out, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " Chaos\r\nContent-Type: application/json\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  /** Reads the request line, the headers and a Content-Length body. */
  private static void readRequest(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int contentLength = 0;
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String header = line.toString().trim();
        if (header.isEmpty()) {
          break;
        }
        if (header.toLowerCase().startsWith("content-length:")) {
          contentLength = Integer.parseInt(header.substring("content-length:".length()).trim());
        }
        line.setLength(0);
      } else {
        line.append((char) b);
      }
    }
    in.readNBytes(contentLength);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    running = false;
    socket.close();
    acceptor.join(5_000);
    connections.shutdownNow();
    connections.awaitTermination(5, TimeUnit.SECONDS);
  }
}
