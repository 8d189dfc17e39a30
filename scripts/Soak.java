// Soak test of the runnable runtime (reliability suite 7; not run in CI).
//
//   mvn -B -q install -DskipTests && java scripts/Soak.java [seconds=600] [out.csv]
//
// Starts features/runtime/target/maverick-runtime.jar in a fresh directory, measures how many
// items per second the echo handler takes through the admin's HTTP API (feed + result), then
// feeds at half that rate for the given time. Every 10 s it records the heap in use after a full
// GC and the live thread count of the runtime (jcmd), and at the end fits a line through both:
// it exits 1 if either grows by more than 10% of its first value over the run, or if the books
// do not balance: after the load stops and the last results are taken, every item the echo
// handler accepted must have been taken by the script or counted as dropped or errored.
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Soak {
  record Sample(long second, long heapAfterGcBytes, long threads, long fed, long taken) {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 600;
    Path csv = Path.of(args.length > 1 ? args[1] : "soak.csv");
    Path jar = Path.of("features/runtime/target/maverick-runtime.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn -B -q install -DskipTests first");
    }
    Path work = Files.createTempDirectory("maverick-soak-");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process runtime = new ProcessBuilder(java, "-Dorg.osgi.service.http.port=" + port, "-jar", jar.toString(), "--no-shell")
        .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("console.log").toFile()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(runtime::destroy));
    String base = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!get(http, base + "/handlers/echo").contains("\"name\"")) {
      if (System.nanoTime() > deadline || !runtime.isAlive()) {
        throw new IllegalStateException("the runtime did not serve the echo handler; see " + work.resolve("console.log"));
      }
      Thread.sleep(200);
    }
    UNANSWERED.clear(); // the probes above, made before the runtime listened
    System.out.printf("runtime pid %d on port %d in %s%n", runtime.pid(), port, work);

    Load calibration = run(http, base, Double.MAX_VALUE, 15, null, null);
    double capacity = calibration.rate();
    double rate = capacity / 2;
    System.out.printf("capacity through HTTP: %.0f items/s; soaking at %.0f items/s for %d s%n", capacity, rate, seconds);
    List<Sample> samples = new ArrayList<>();
    Load soak = run(http, base, rate, seconds, samples, runtime);
    long sent = calibration.sent() + soak.sent();
    long fed = calibration.fed() + soak.fed();
    long taken = calibration.taken() + soak.taken();
    while (get(http, base + "/handlers/echo/result?timeout=2").contains("\"result\"")) {
      taken++;
    }
    boolean balanced = balanced(get(http, base + "/handlers/echo"), sent, fed, taken);
    runtime.destroy();
    boolean exited = runtime.waitFor(60, TimeUnit.SECONDS);

    StringBuilder text = new StringBuilder("second,heap_after_gc_bytes,threads,fed,taken\n");
    for (Sample sample : samples) {
      text.append(sample.second).append(',').append(sample.heapAfterGcBytes).append(',').append(sample.threads)
          .append(',').append(sample.fed).append(',').append(sample.taken).append('\n');
    }
    Files.writeString(csv, text);
    boolean heapFlat = flat("heap after GC (MB)", samples, s -> s.heapAfterGcBytes / 1e6);
    boolean threadsFlat = flat("threads", samples, s -> (double) s.threads);
    System.out.printf("samples in %s; runtime %s on SIGTERM%n", csv, exited ? "exited " + runtime.exitValue() : "did not exit");
    System.exit(heapFlat && threadsFlat && balanced && exited ? 0 : 1);
  }

  /** What one run fed and took, and the rate it fed at. */
  record Load(double rate, long sent, long fed, long taken) {}

  /**
   * The script's books against the handler's: every item sent was fed, every accepted one counted,
   * and every fed item was taken here or is counted as dropped (refusals included) or errored. A
   * request that got no answer here (an I/O error, a timeout) may or may not have been done; the
   * books allow for exactly that many.
   */
  static boolean balanced(String handler, long sent, long accepted, long taken) {
    long fed = counter(handler, "fed_count");
    long handlerAccepted = counter(handler, "accepted_count");
    long handlerTaken = counter(handler, "results_taken_count");
    long dropped = counter(handler, "dropped_count");
    long errors = counter(handler, "error_count");
    long rest = counter(handler, "input_queue_size") + counter(handler, "result_queue_size")
        + counter(handler, "in_flight");
    // a feed or result request that got no answer may still have been done by the runtime
    long unansweredFeeds = unanswered("feed");
    long unansweredResults = unanswered("result");
    boolean balanced = fed <= sent && fed >= sent - unansweredFeeds && handlerAccepted >= accepted && handlerAccepted <= accepted + unansweredFeeds
        && handlerTaken >= taken && handlerTaken <= taken + unansweredResults
        && handlerTaken + dropped + errors + rest == fed;
    System.out.printf("requests without an answer: %s%n", UNANSWERED);
    System.out.printf("books: sent %d (handler fed %d), accepted %d (handler %d), taken %d (handler %d); dropped %d,"
        + " errors %d, still queued or in flight %d -> %s%n", sent, fed, accepted, handlerAccepted, taken, handlerTaken,
        dropped, errors, rest, balanced ? "every item accounted for" : "NOT BALANCED: " + handler);
    return balanced;
  }

  static long unanswered(String path) {
    return UNANSWERED.entrySet().stream().filter(e -> e.getKey().startsWith(path + ":"))
        .mapToLong(e -> e.getValue().get()).sum();
  }

  /** A counter of the handler's {@code stats} (its {@code config} has keys of the same names). */
  static long counter(String json, String key) {
    int stats = json.indexOf("\"stats\":");
    json = stats < 0 ? json : json.substring(stats);
    Matcher value = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
    return value.find() ? Long.parseLong(value.group(1)) : -1;
  }

  /** Feeds and takes at up to {@code rate} items/s for {@code seconds}; returns the rate achieved. */
  static Load run(HttpClient http, String base, double rate, long seconds, List<Sample> samples, Process runtime)
      throws Exception {
    AtomicLong sent = new AtomicLong();
    AtomicLong fed = new AtomicLong();
    AtomicLong taken = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    int clients = 4;
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread thread = new Thread(() -> {
        long mine = 0;
        while (running.get()) {
          double due = (System.nanoTime() - start) / 1e9 * rate / clients;
          if (mine >= due) {
            Thread.onSpinWait();
            continue;
          }
          sent.incrementAndGet();
          if (post(http, base + "/handlers/echo/feed", "{\"item\": \"soak-" + mine + "\"}").contains("true")) {
            fed.incrementAndGet();
          }
          if (get(http, base + "/handlers/echo/result?timeout=0").contains("\"result\"")) {
            taken.incrementAndGet();
          }
          mine++;
        }
      });
      thread.start();
      threads.add(thread);
    }
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    if (samples != null) {
      sampler.scheduleAtFixedRate(() -> {
        long second = (System.nanoTime() - start) / 1_000_000_000L;
        Sample sample = new Sample(second, heapAfterGc(runtime.pid()), threads(runtime.pid()), fed.get(), taken.get());
        samples.add(sample);
        System.out.printf("%4d s  heap after GC %6.1f MB  threads %3d  fed %d  taken %d%n", second,
            sample.heapAfterGcBytes / 1e6, sample.threads, sample.fed, sample.taken);
      }, 0, 10, TimeUnit.SECONDS);
    }
    Thread.sleep(seconds * 1000);
    // the last sample is taken under load: the sampler finishes before the feeders stop
    sampler.shutdown();
    sampler.awaitTermination(60, TimeUnit.SECONDS);
    running.set(false);
    for (Thread thread : threads) {
      thread.join();
    }
    return new Load(fed.get() / ((System.nanoTime() - start) / 1e9), sent.get(), fed.get(), taken.get());
  }

  static boolean flat(String what, List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
    int n = samples.size();
    if (n < 3) {
      System.out.println(what + ": too few samples");
      return false;
    }
    double meanX = samples.stream().mapToDouble(s -> s.second).average().orElse(0);
    double meanY = samples.stream().mapToDouble(value).average().orElse(0);
    double covariance = 0;
    double variance = 0;
    for (Sample sample : samples) {
      covariance += (sample.second - meanX) * (value.applyAsDouble(sample) - meanY);
      variance += (sample.second - meanX) * (sample.second - meanX);
    }
    double slopePerSecond = covariance / variance;
    double first = value.applyAsDouble(samples.get(0));
    double growth = slopePerSecond * (samples.get(n - 1).second - samples.get(0).second);
    boolean flat = growth <= 0.10 * Math.max(first, 1);
    double min = samples.stream().mapToDouble(value).min().orElse(0);
    double max = samples.stream().mapToDouble(value).max().orElse(0);
    System.out.printf("%s: first %.1f, min %.1f, max %.1f, last %.1f; fitted growth over the run %.2f -> %s%n", what,
        first, min, max, value.applyAsDouble(samples.get(n - 1)), growth, flat ? "flat" : "GROWING");
    return flat;
  }

  static long heapAfterGc(long pid) {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
  }

  static long threads(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.substring(8).trim());
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return -1;
  }

  static String jcmd(long pid, String command) {
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(pid), command).redirectErrorStream(true).start();
      String out = new String(jcmd.getInputStream().readAllBytes());
      jcmd.waitFor();
      return out;
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  static String get(HttpClient http, String url) {
    return send(http, HttpRequest.newBuilder(URI.create(url)).GET());
  }

  static String post(HttpClient http, String url, String json) {
    return send(http, HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Requests that got no answer (an I/O error or a timeout): their outcome is unknown here. */
  static final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> UNANSWERED = new java.util.concurrent.ConcurrentHashMap<>();

  static String send(HttpClient http, HttpRequest.Builder request) {
    HttpRequest built = request.timeout(Duration.ofSeconds(10)).build();
    try {
      return http.send(built, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException | InterruptedException e) {
      String what = built.uri().getPath().replaceAll(".*/", "") + ": " + e;
      UNANSWERED.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
      return "";
    }
  }
}
