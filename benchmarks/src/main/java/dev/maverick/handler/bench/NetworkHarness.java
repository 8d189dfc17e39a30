package dev.maverick.handler.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.network.internal.NetworkHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 8: the network handler against a bare {@link HttpClient} loop, both calling the same
 * real HTTP server on loopback.
 *
 * <p>The server is the JDK's {@code com.sun.net.httpserver} on 127.0.0.1 (a free port), with a
 * fixed pool of {@value #SERVER_THREADS} threads and TCP_NODELAY; it reads each request body whole,
 * counts it, and answers 200 with a small JSON object. It runs in this process, so the CPU figures include it,
 * the same on both sides.
 *
 * <p>Four ways of making requests one after another, in a different order each round:
 * <ul>
 *   <li><b>handler, generate()</b>: the real {@code NetworkHandler} (as the network bundle makes
 *       it), {@code generate(item)} in a loop on one thread. The like-for-like comparison.
 *   <li><b>handler, threaded</b>: a producer thread {@code feed}s ({@code overflow_policy=block},
 *       queues of {@value #CAPACITY}), the handler's one worker makes the calls, this thread takes
 *       the results with {@code getResult}.
 *   <li><b>baseline</b>: one thread, {@code HttpClient.send} in a loop, with what the handler
 *       sends ({@code {"client_id", "item", "extra", "timestamp"}} written by Jackson, the same
 *       headers, HTTP/1.1, redirects not followed, the same timeouts) and the response parsed by
 *       Jackson, as a competent developer would write it. The handler too calls {@code send}, with
 *       a deadline that interrupts it past {@code network_timeout}, and reads the body through a
 *       size limit.
 *   <li><b>bare sendAsync</b>: the baseline calling {@code sendAsync(...).get(timeout)}, as the
 *       handler did before (the obvious way to bound a whole call): the public {@code sendAsync}
 *       completes on another pool, one more hand-off per request, which on loopback made a
 *       request cost about twice as much. Kept to show what that way of calling costs.
 * </ul>
 * Every request must be answered 200 with the server's JSON; the server's count must equal the
 * requests sent; the handler's stats must be balanced with no error or drop. Otherwise the harness
 * throws.
 */
public final class NetworkHarness {

  private static final int SERVER_THREADS = 2;
  private static final int CAPACITY = 128;
  private static final String PATH = "/v1/bench";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String ANSWER = "{\"ok\":true,\"service\":\"bench\"}";
  private static final String TEXT = "turn on the kitchen light";

  /**
   * How long to measure.
   *
   * @param warmSeconds each way's warm-up, once before the first round
   * @param measureSeconds each way's measurement in each round
   */
  public record Settings(int rounds, double warmSeconds, double measureSeconds) {
    /** Smoke: one short round; full: 4 s of warm-up, then {@code rounds} rounds of 4 s per way. */
    static Settings of(boolean smoke, int rounds) {
      return smoke ? new Settings(rounds, 0.5, 1) : new Settings(rounds, 4, 4);
    }
  }

  /** One measurement: requests made, over how long, with how much process CPU. */
  record Measured(long requests, long nanos, long cpuNanos) {
    double rate() {
      return requests * 1e9 / nanos;
    }

    double cpuMicrosPerRequest() {
      return cpuNanos / 1e3 / requests;
    }
  }

  /** One way of making requests: measures for so many seconds. */
  private interface Measure {
    Measured measure(double seconds) throws Exception;
  }

  /** One way of making requests, and its measurement of each round. */
  private static final class Way {
    final String name;
    final Measure measure;
    final List<Double> rates = new ArrayList<>();
    final List<Double> cpu = new ArrayList<>();

    Way(String name, Measure measure) {
      this.name = name;
      this.measure = measure;
    }

    Measured run(double seconds) throws Exception {
      return measure.measure(seconds);
    }

    void add(Measured measured) {
      rates.add(measured.rate());
      cpu.add(measured.cpuMicrosPerRequest());
    }
  }

  private NetworkHarness() {}

  /** Runs the harness from the command line: {@code [rounds [measureSeconds]]}. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 4;
    List<TableRow> rows = run(new Settings(rounds, 4, seconds), System.out);
    rows.forEach(row -> System.out.println("| " + String.join(" | ", row.cells()) + " |"));
  }

  /** Measures, checks the books, and gives the table's rows. */
  public static List<TableRow> run(Settings settings, PrintStream out) throws Exception {
    Way generate;
    Way threaded;
    Way send;
    Way sendAsync;
    try (LoopbackServer server = LoopbackServer.start();
         NetworkHandlers handlers = new NetworkHandlers()) {
      ArchitectureHandler<Object, Map<String, Object>> direct = handlers.create(properties(server, false));
      long[] generated = {0};
      Call viaHandler = sequence -> {
        checkAnswer(direct.generate(item(sequence)));
        generated[0]++;
      };
      Call viaSend = new BareClient(server.uri(), direct.clientId(), false)::call;
      Call viaSendAsync = new BareClient(server.uri(), direct.clientId(), true)::call;
      generate = new Way("handler generate()", seconds -> closedLoop(viaHandler, seconds, server));
      threaded = new Way("handler threaded", seconds -> threaded(handlers, server, seconds));
      send = new Way("bare send()", seconds -> closedLoop(viaSend, seconds, server));
      sendAsync = new Way("bare sendAsync().get()", seconds -> closedLoop(viaSendAsync, seconds, server));
      List<Way> ways = List.of(generate, send, threaded, sendAsync);
      // warm-up: the JIT (HttpClient's own code takes seconds to warm), connections, the server's threads
      for (Way way : ways) {
        way.run(settings.warmSeconds());
      }
      for (int round = 1; round <= settings.rounds(); round++) {
        StringBuilder line = new StringBuilder("network round " + round + ":");
        // a different order each round, so that no way always gets the quieter moment
        for (int i = 0; i < ways.size(); i++) {
          Way way = ways.get((i + round - 1) % ways.size());
          Measured measured = way.run(settings.measureSeconds());
          way.add(measured);
          line.append(String.format(Locale.ROOT, " %s %,.0f req/s (%.1f us CPU/req);", way.name, measured.rate(),
              measured.cpuMicrosPerRequest()));
        }
        out.println(line);
      }
      HandlerStats stats = direct.stats();
      check(stats.generateCount() == generated[0] && stats.processedCount() == generated[0],
          "made " + generated[0] + " generate() calls but the handler counted " + stats);
      checkClean(stats);
    }
    String baseline = cell(send) + " (bare HttpClient.send loop, HTTP/1.1, Jackson)";
    Suite.Results.Figure vsSend = ratio(generate.rates, send.rates);
    return List.of(
        new TableRow("8", "Network handler vs bare HttpClient, loopback server in-process, sequential requests/s "
            + "(process CPU µs per request, server included): generate() in a loop", cell(generate), baseline,
            comparison(generate, send), "≥ 0.9×", TableRow.met(vsSend.value() >= 0.9)),
        new TableRow("8", "Same, threaded: a producer feeding (block, queues of " + CAPACITY
            + "), the worker calling, getResult taking", cell(threaded), baseline, comparison(threaded, send),
            "— (generate() is the like-for-like)", "—"),
        new TableRow("8", "Same, generate(), against a bare loop calling sendAsync(...).get(timeout), "
            + "as the handler did before", cell(generate),
            cell(sendAsync) + " (bare HttpClient.sendAsync().get() loop)", comparison(generate, sendAsync), "—",
            "—"));
  }

  /** The item of request {@code sequence}: a small map, the same on every side. */
  static Map<String, Object> item(long sequence) {
    return Map.of("seq", Items.get(sequence), "text", TEXT);
  }

  /** The handler's configuration: {@code threaded} runs a worker that feed/getResult go through. */
  private static Map<String, Object> properties(LoopbackServer server, boolean threaded) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", threaded ? "bench-net-threaded" : "bench-net");
    properties.put("host", "127.0.0.1");
    properties.put("port", server.port());
    properties.put("path", PATH);
    properties.put("network_timeout", TIMEOUT.toSeconds());
    if (threaded) {
      properties.put("run_as_thread", true);
      properties.put("overflow_policy", "block");
      properties.put("offer_timeout", 0); // with block: wait without limit
      properties.put("max_queue_size", CAPACITY);
      properties.put("result_queue_size", CAPACITY);
      properties.put("result_overflow_policy", "block");
    }
    return properties;
  }

  /** One request, made on the caller's thread. */
  private interface Call {
    void request(long sequence) throws Exception;
  }

  /** Makes requests one after another for {@code seconds}; checks the server saw each once. */
  private static Measured closedLoop(Call call, double seconds, LoopbackServer server) throws Exception {
    long servedBefore = server.served();
    Measured measured = timed(call, seconds);
    server.awaitServed(servedBefore + measured.requests());
    return measured;
  }

  /** A threaded handler fed by a producer thread for {@code seconds}; {@link Feeder} checks the books. */
  private static Measured threaded(NetworkHandlers handlers, LoopbackServer server, double seconds)
      throws Exception {
    Feeder feeder = Feeder.start(new HandlerCalls(handlers.create(properties(server, true)), server));
    Measured measured = timed(sequence -> feeder.take(), seconds); // HandlerCalls.take checks each answer
    feeder.stopAndVerify();
    return measured;
  }

  /** Calls {@code call} one time after another for {@code seconds}, on this thread. */
  private static Measured timed(Call call, double seconds) throws Exception {
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long calls = 0;
    long now;
    do {
      call.request(calls++);
      now = System.nanoTime();
    } while (now - end < 0);
    return new Measured(calls, now - start, processCpuNanos() - cpuBefore);
  }

  /** The threaded handler as a {@link Pipeline}, so that {@link Feeder} drives it as it drives benchmark 1. */
  private static final class HandlerCalls implements Pipeline {
    private final ArchitectureHandler<Object, Map<String, Object>> handler;
    private final LoopbackServer server;
    private final long servedBefore;

    HandlerCalls(ArchitectureHandler<Object, Map<String, Object>> handler, LoopbackServer server) {
      this.handler = handler;
      this.server = server;
      this.servedBefore = server.served();
      handler.start();
    }

    @Override
    public void feed(Object sequence) {
      check(handler.feed(item((Integer) sequence)), "an item refused under overflow_policy=block: " + handler.stats());
    }

    @Override
    public Object take(long timeoutNanos) {
      Optional<Map<String, Object>> result = handler.getResult(Duration.ofNanos(timeoutNanos));
      result.ifPresent(NetworkHarness::checkAnswer);
      return result.orElse(null);
    }

    @Override
    public void verify(long fed, long taken) {
      try {
        server.awaitServed(servedBefore + fed);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the server's count", e);
      }
      HandlerStats stats = awaitIdle(handler);
      check(fed == taken, "fed " + fed + " items but took " + taken + " results: " + stats);
      check(stats.fedCount() == fed && stats.processedCount() == fed && stats.resultsTaken() == taken,
          "fed " + fed + " and took " + taken + " but the handler counted " + stats);
      checkClean(stats);
    }

    @Override
    public void close() {
      handler.close();
      checkClean(handler.stats());
    }
  }

  /** The handler's stats once its worker left the last item (a result is queued just before). */
  private static HandlerStats awaitIdle(ArchitectureHandler<?, ?> handler) {
    long deadline = System.nanoTime() + Feeder.STALL_NANOS;
    HandlerStats stats = handler.stats();
    while (stats.inFlight() > 0 && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
      stats = handler.stats();
    }
    return stats;
  }

  private static void checkClean(HandlerStats stats) {
    check(stats.errorCount() == 0 && stats.networkErrorCount() == 0 && stats.droppedCount() == 0,
        "errors or drops: " + stats);
    check(stats.isBalanced(), "accounting law broken: " + stats);
  }

  /** A handler result must be {@code {"status": 200, "body": <the server's JSON>}}. */
  private static void checkAnswer(Map<String, Object> result) {
    check(Integer.valueOf(200).equals(result.get("status")), "not a 200: " + result);
    checkBody(result.get("body"));
  }

  private static void checkBody(Object body) {
    check(body instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("ok")), "not the server's answer: " + body);
  }

  private static void check(boolean condition, String message) {
    Pipeline.check(condition, "network harness: " + message);
  }

  /** The baseline: what a developer writes to post JSON with the JDK client and read the JSON answer. */
  private static final class BareClient {
    private final ObjectMapper mapper = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(TIMEOUT)
        .build();
    private final URI uri;
    private final String clientId;
    private final boolean async;

    /** {@code async}: call as the handler does, {@code sendAsync(...).get(timeout)}, instead of {@code send}. */
    BareClient(URI uri, String clientId, boolean async) {
      this.uri = uri;
      this.clientId = clientId;
      this.async = async;
    }

    void call(long sequence) throws Exception {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("client_id", clientId);
      payload.put("item", item(sequence));
      payload.put("extra", Map.of());
      payload.put("timestamp", System.currentTimeMillis() / 1000.0);
      HttpRequest request = HttpRequest.newBuilder(uri)
          .timeout(TIMEOUT)
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .header("X-Client-Id", clientId)
          .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(payload)))
          .build();
      HttpResponse<byte[]> response = async
          ? client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
              .get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
          : client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      check(response.statusCode() == 200, "baseline: HTTP " + response.statusCode());
      checkBody(mapper.readValue(response.body(), Object.class));
    }
  }

  /** The server: 127.0.0.1, a free port, reads every body whole, answers {@value #ANSWER}. */
  private static final class LoopbackServer implements AutoCloseable {
    private static final byte[] BODY = ANSWER.getBytes(StandardCharsets.UTF_8);
    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private LoopbackServer(HttpServer server, ExecutorService threads) {
      this.server = server;
      this.threads = threads;
    }

    static LoopbackServer start() throws IOException {
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
      LoopbackServer loopback = new LoopbackServer(server, threads);
      server.createContext(PATH, loopback::answer);
      server.setExecutor(threads);
      server.start();
      return loopback;
    }

    private void answer(HttpExchange exchange) throws IOException {
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
        exchange.sendResponseHeaders(200, BODY.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(BODY);
        }
      }
    }

    int port() {
      return server.getAddress().getPort();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + port() + PATH);
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
      check(served.get() == count && refused.get() == 0, "the server answered " + served.get()
          + " requests (and refused " + refused.get() + ") where " + count + " were sent");
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  /** CPU time of the whole process (every thread), nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The median [min–max] over rounds, as the table writes it. */
  private static String cell(Way way) {
    return Suite.Results.spread(way.rates, "%,.0f") + " (" + Suite.Results.spread(way.cpu, "%.1f") + " µs)";
  }

  /** The handler's rate over the baseline's, and the baseline's CPU per request over the handler's. */
  private static String comparison(Way handler, Way baseline) {
    return ratio(handler.rates, baseline.rates).format("%.2f") + "× (CPU: "
        + ratio(baseline.cpu, handler.cpu).format("%.2f") + "×)";
  }

  /** a/b of the medians, and per round. */
  static Suite.Results.Figure ratio(List<Double> a, List<Double> b) {
    List<Double> perRound = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      perRound.add(a.get(i) / b.get(i));
    }
    return new Suite.Results.Figure(Suite.Results.median(a) / Suite.Results.median(b), perRound);
  }
}
