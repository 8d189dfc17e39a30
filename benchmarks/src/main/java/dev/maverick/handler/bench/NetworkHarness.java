package dev.maverick.handler.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.network.internal.NetworkHandlers;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 8: the network handler against a bare {@link HttpClient} loop, both calling the same
 * real HTTP server on loopback.
 *
 * <p>The server is the JDK's {@code com.sun.net.httpserver} on 127.0.0.1 (a free port), with a
 * fixed pool of two threads and TCP_NODELAY (see {@link NetworkLoopbackServer}); it reads each request body whole,
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
 *   <li><b>handler, template</b>: {@code generate(text)} on a handler configured as the README's
 *       OpenAI-compatible example ({@code request_template} of a chat request, {@code
 *       response_pointer=/choices/0/message/content}), against the server's chat endpoint, which
 *       answers a chat completion; the result is the reply's text.
 *   <li><b>bare send, chat</b>: the baseline doing the same JSON work by hand: the chat request
 *       built as maps and written by Jackson, the answer parsed by Jackson and the reply's text
 *       taken out of {@code choices[0].message.content}.
 * </ul>
 * Every request must be answered 200 with the server's JSON; the server's count must equal the
 * requests sent; the handler's stats must be balanced with no error or drop. Otherwise the harness
 * throws.
 */
public final class NetworkHarness {

  private static final int CAPACITY = 128;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String TEXT = "turn on the kitchen light";
  /** The README's example, as a user writes it in a .cfg file. */
  private static final String TEMPLATE = "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"{{item}}\"}]}";
  private static final String POINTER = "/choices/0/message/content";
  static final String REPLY = "Turning on the kitchen light.";

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
    Way template;
    Way chatSend;
    try (NetworkLoopbackServer server = NetworkLoopbackServer.start();
         NetworkHandlers handlers = new NetworkHandlers()) {
      ArchitectureHandler<Object, Object> direct = handlers.create(properties(server, false));
      ArchitectureHandler<Object, Object> chat = handlers.create(chatProperties(server));
      long[] generated = {0, 0};
      Call viaHandler = sequence -> {
        checkAnswer(direct.generate(item(sequence)));
        generated[0]++;
      };
      Call viaTemplate = sequence -> {
        check(REPLY.equals(chat.generate(TEXT)), "not the chat reply");
        generated[1]++;
      };
      Call viaSend = new BareClient(server.uri(), direct.clientId(), false)::call;
      Call viaSendAsync = new BareClient(server.uri(), direct.clientId(), true)::call;
      Call viaChatSend = new BareClient(server.chatUri(), chat.clientId(), false)::chat;
      generate = new Way("handler generate()", seconds -> closedLoop(viaHandler, seconds, server));
      threaded = new Way("handler threaded", seconds -> threaded(handlers, server, seconds));
      send = new Way("bare send()", seconds -> closedLoop(viaSend, seconds, server));
      sendAsync = new Way("bare sendAsync().get()", seconds -> closedLoop(viaSendAsync, seconds, server));
      template = new Way("handler template generate()", seconds -> closedLoop(viaTemplate, seconds, server));
      chatSend = new Way("bare send() chat", seconds -> closedLoop(viaChatSend, seconds, server));
      List<Way> ways = List.of(generate, send, threaded, sendAsync, template, chatSend);
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
      HandlerStats chatStats = chat.stats();
      check(chatStats.generateCount() == generated[1] && chatStats.processedCount() == generated[1],
          "made " + generated[1] + " generate() calls on the template handler but it counted " + chatStats);
      checkClean(chatStats);
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
            "—"),
        new TableRow("8", "Same, generate() on a handler with request_template + response_pointer (an "
            + "OpenAI-style chat request; the result is choices/0/message/content), against a bare loop doing "
            + "the same JSON work by hand", cell(template),
            cell(chatSend) + " (bare HttpClient.send loop: chat request as maps, Jackson both ways, reply picked by hand)",
            comparison(template, chatSend), "—", "—"));
  }

  /** The item of request {@code sequence}: a small map, the same on every side. */
  static Map<String, Object> item(long sequence) {
    return Map.of("seq", Items.get(sequence), "text", TEXT);
  }

  /** The handler's configuration: {@code threaded} runs a worker that feed/getResult go through. */
  private static Map<String, Object> properties(NetworkLoopbackServer server, boolean threaded) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", threaded ? "bench-net-threaded" : "bench-net");
    properties.put("host", "127.0.0.1");
    properties.put("port", server.port());
    properties.put("path", NetworkLoopbackServer.PATH);
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

  /** The README's OpenAI-compatible example, against the server's chat endpoint. */
  private static Map<String, Object> chatProperties(NetworkLoopbackServer server) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", "bench-net-chat");
    properties.put("host", "127.0.0.1");
    properties.put("port", server.port());
    properties.put("path", NetworkLoopbackServer.CHAT_PATH);
    properties.put("network_timeout", TIMEOUT.toSeconds());
    properties.put("request_template", TEMPLATE);
    properties.put("response_pointer", POINTER);
    return properties;
  }

  /** Makes requests one after another for {@code seconds}; checks the server saw each once. */
  private static Measured closedLoop(Call call, double seconds, NetworkLoopbackServer server) throws Exception {
    long servedBefore = server.served();
    Measured measured = timed(call, seconds);
    server.awaitServed(servedBefore + measured.requests());
    return measured;
  }

  /** A threaded handler fed by a producer thread for {@code seconds}; {@link Feeder} checks the books. */
  private static Measured threaded(NetworkHandlers handlers, NetworkLoopbackServer server, double seconds)
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
    private final ArchitectureHandler<Object, Object> handler;
    private final NetworkLoopbackServer server;
    private final long servedBefore;

    HandlerCalls(ArchitectureHandler<Object, Object> handler, NetworkLoopbackServer server) {
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
      Optional<Object> result = handler.getResult(Duration.ofNanos(timeoutNanos));
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
  private static void checkAnswer(Object result) {
    check(result instanceof Map<?, ?> map && Integer.valueOf(200).equals(map.get("status")), "not a 200: " + result);
    checkBody(((Map<?, ?>) result).get("body"));
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

    /** The chat request as a developer builds it by hand, and the reply's text taken out of the answer. */
    void chat(long sequence) throws Exception {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("role", "user");
      message.put("content", TEXT);
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("model", "local");
      payload.put("messages", List.of(message));
      HttpRequest request = HttpRequest.newBuilder(uri)
          .timeout(TIMEOUT)
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .header("X-Client-Id", clientId)
          .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(payload)))
          .build();
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      check(response.statusCode() == 200, "baseline: HTTP " + response.statusCode());
      Map<?, ?> answer = mapper.readValue(response.body(), Map.class);
      Object choice = ((List<?>) answer.get("choices")).get(0);
      Object content = ((Map<?, ?>) ((Map<?, ?>) choice).get("message")).get("content");
      check(REPLY.equals(content), "not the chat reply: " + content);
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
