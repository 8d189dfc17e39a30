package dev.maverick.handler.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Benchmarks 6 and 9 (the runtime's part): the runnable runtime as users start it,
 * {@code java -jar maverick-runtime.jar --no-shell} in a directory of its own.
 *
 * <ul>
 *   <li>Cold start: from spawning the process to its banner ("runtime ready in N ms"), in a fresh
 *       directory each time (bundle cache, {@code etc/} and the speech model's copy made anew), and
 *       a restart in the directory of the previous start. The banner's own figure runs from the
 *       JVM's start to the runtime's last bundle or service event (all handlers active); the wall
 *       figure adds process creation and the runtime's quiet period before it prints. Baseline:
 *       {@code java -version} with the same JVM, the floor no Java runtime starts under. And a cold
 *       start with {@value #C1_ONLY}, the option that trades peak speed for start time.</li>
 *   <li>Hot deploy: the fixture handler bundle moved into {@code deploy/} until its handler
 *       {@code upper} is listed by the admin's {@code GET /handlers} (polled every
 *       {@value #POLL_MILLIS} ms), then removed until it is gone, repeatedly: each deploy lands at
 *       another phase of FileInstall's poll ({@code felix.fileinstall.poll}, 100 ms in the runtime).</li>
 *   <li>Memory: resident set size ({@code /proc/PID/status}) and Java heap in use after a full GC
 *       ({@code jcmd PID GC.run}, then {@code GC.heap_info}) of the runtime idle (its two default
 *       handlers, echo and speech to text) and with 10 handlers (8 more echo handlers made through
 *       the HTTP API).</li>
 * </ul>
 *
 * Every runtime must stop with exit code 0 on SIGTERM, or the part fails.
 */
final class RuntimeHarness {
  static final long POLL_MILLIS = 5;
  private static final long FILEINSTALL_POLL_MILLIS = 100;
  private static final Pattern READY = Pattern.compile("runtime ready in (\\d+) ms");
  private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]+)\"");
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Duration STEP = Duration.ofSeconds(60);

  /**
   * @param runtimeJar {@code features/runtime/target/maverick-runtime.jar}
   * @param fixtureJar the test fixture handler bundle, {@code itests/fixture-handler/target/fixture-handler-*.jar}
   * @param coldStarts fresh-directory starts
   * @param deploys deploy/undeploy cycles, in the last runtime
   */
  record Settings(Path runtimeJar, Path fixtureJar, int coldStarts, int deploys) {}

  /** Figures of one run. */
  record Report(List<Double> coldWallMillis, List<Double> coldBannerMillis, List<Double> restartWallMillis,
      List<Double> restartBannerMillis, List<Double> c1WallMillis, List<Double> c1BannerMillis,
      List<Double> jvmVersionMillis, List<Double> deployMillis, Memory idle, Memory tenHandlers) {}

  /** The JIT option of the C1-only start: C2's compiler threads no longer compete with the start for 2 cores. */
  static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

  /** Resident set and heap in use after a full GC, in MiB; heap NaN when jcmd is missing. */
  record Memory(double rssMiB, double heapMiB) {}

  private RuntimeHarness() {}

  /** Where the runtime and the fixture are when run from the repository's root, unless given. */
  static Settings settings(String runtimeJar, String fixtureJar, boolean smoke) throws IOException {
    Path runtime = Path.of(runtimeJar != null ? runtimeJar : "features/runtime/target/maverick-runtime.jar");
    Path fixture = fixtureJar != null ? Path.of(fixtureJar) : findFixture(Path.of("itests/fixture-handler/target"));
    for (Path jar : List.of(runtime, fixture)) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("the runtime part needs " + jar.toAbsolutePath()
            + "; build it first with 'mvn -B install -DskipTests' from the repository's root, or give"
            + " --runtime-jar FILE and --fixture-jar FILE");
      }
    }
    return smoke ? new Settings(runtime, fixture, 1, 2) : new Settings(runtime, fixture, 5, 10);
  }

  private static Path findFixture(Path target) throws IOException {
    if (!Files.isDirectory(target)) {
      return target.resolve("fixture-handler-VERSION.jar");
    }
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().matches("fixture-handler-.*\\.jar"))
          .filter(f -> !f.getFileName().toString().contains("sources")).findFirst()
          .orElse(target.resolve("fixture-handler-VERSION.jar"));
    }
  }

  static Report run(Settings settings, PrintStream log) throws Exception {
    List<Double> jvmVersion = new ArrayList<>();
    List<Double> coldWall = new ArrayList<>();
    List<Double> coldBanner = new ArrayList<>();
    List<Double> restartWall = new ArrayList<>();
    List<Double> restartBanner = new ArrayList<>();
    List<Double> c1Wall = new ArrayList<>();
    List<Double> c1Banner = new ArrayList<>();
    List<Double> deploys = new ArrayList<>();
    Memory idle = null;
    Memory ten = null;
    for (int start = 1; start <= settings.coldStarts(); start++) {
      jvmVersion.add(javaVersionMillis());
      Path c1Dir = Files.createTempDirectory("maverick-bench-runtime-c1-");
      try (Runtime runtime = Runtime.start(settings.runtimeJar(), c1Dir, C1_ONLY)) {
        c1Wall.add(runtime.wallMillis);
        c1Banner.add(runtime.bannerMillis);
        runtime.stop();
      } finally {
        deleteTree(c1Dir);
      }
      Path dir = Files.createTempDirectory("maverick-bench-runtime-");
      try {
        try (Runtime runtime = Runtime.start(settings.runtimeJar(), dir)) {
          coldWall.add(runtime.wallMillis);
          coldBanner.add(runtime.bannerMillis);
          runtime.stop();
        }
        boolean last = start == settings.coldStarts();
        try (Runtime runtime = Runtime.start(settings.runtimeJar(), dir)) {
          restartWall.add(runtime.wallMillis);
          restartBanner.add(runtime.bannerMillis);
          if (last) {
            runtime.awaitHandlers(names -> names.containsAll(Set.of("echo", "stt")), "echo and stt listed");
            idle = runtime.memory();
            for (int i = 0; i < settings.deploys(); i++) {
              deploys.add(runtime.deployMillis(settings.fixtureJar()));
            }
            for (int i = 1; i <= 8; i++) {
              runtime.post("/handlers", "{\"kind\":\"echo\",\"name\":\"more" + i + "\"}", 201);
            }
            runtime.awaitHandlers(names -> names.size() == 10, "10 handlers listed");
            ten = runtime.memory();
          }
          runtime.stop();
        }
      } finally {
        deleteTree(dir);
      }
      log.printf("runtime start %d: cold %.0f ms (banner %.0f), restart %.0f ms (banner %.0f), cold C1 only %.0f ms"
              + " (banner %.0f); java -version %.0f ms%n", start, coldWall.get(start - 1), coldBanner.get(start - 1),
          restartWall.get(start - 1), restartBanner.get(start - 1), c1Wall.get(start - 1), c1Banner.get(start - 1),
          jvmVersion.get(start - 1));
    }
    log.printf("hot deploys, ms: %s; idle %s, 10 handlers %s%n", deploys, idle, ten);
    return new Report(coldWall, coldBanner, restartWall, restartBanner, c1Wall, c1Banner, jvmVersion, deploys, idle,
        ten);
  }

  static List<TableRow> rows(Report r) {
    double coldBanner = Suite.Results.median(r.coldBannerMillis());
    double deploy = Suite.Results.median(r.deployMillis());
    double worstDeploy = r.deployMillis().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    double deployGoal = FILEINSTALL_POLL_MILLIS + 200;
    return List.of(
        new TableRow("6", "Runtime cold start to all handlers active (fresh directory), ms: banner (JVM start to last"
            + " event) / wall (spawn to banner printed)", ms(r.coldBannerMillis()) + " / " + ms(r.coldWallMillis()),
            ms(r.jvmVersionMillis()) + " (`java -version`, the JVM floor)", "—", "≤ 1,000 ms",
            TableRow.met(coldBanner <= 1000)),
        new TableRow("6", "Runtime restart in the same directory, ms: banner / wall",
            ms(r.restartBannerMillis()) + " / " + ms(r.restartWallMillis()), "—", "—", "≤ 1,000 ms",
            TableRow.met(Suite.Results.median(r.restartBannerMillis()) <= 1000)),
        new TableRow("6", "Runtime cold start with `" + C1_ONLY + "` (C1 only: less start CPU, lower peak speed of"
            + " Java code), ms: banner / wall", ms(r.c1BannerMillis()) + " / " + ms(r.c1WallMillis()), "—", "—",
            "≤ 1,000 ms", TableRow.met(Suite.Results.median(r.c1BannerMillis()) <= 1000)),
        new TableRow("6", "Hot deploy: jar moved into deploy/ to its handler listed by GET /handlers, ms (n="
            + r.deployMillis().size() + ")", ms(r.deployMillis()), FILEINSTALL_POLL_MILLIS + " (FileInstall's poll interval)",
            "worst " + TableRow.format("%.0f", worstDeploy) + " ms", "≤ poll + 200 = " + (long) deployGoal + " ms",
            TableRow.met(worstDeploy <= deployGoal) + (deploy <= deployGoal && worstDeploy > deployGoal ? " (median yes)" : "")),
        new TableRow("9", "Runtime memory: RSS / heap in use after full GC, MiB, idle (echo + stt) and with 10 handlers",
            memory(r.idle()) + " idle; " + memory(r.tenHandlers()) + " with 10", "—",
            TableRow.format("+%.1f MiB RSS", r.tenHandlers().rssMiB() - r.idle().rssMiB()) + " / "
                + TableRow.format("+%.2f MiB heap", r.tenHandlers().heapMiB() - r.idle().heapMiB())
                + " for 8 more handlers", "—", "—"));
  }

  private static String ms(List<Double> values) {
    return Suite.Results.spread(values, "%,.0f");
  }

  private static String memory(Memory m) {
    return TableRow.format("%.0f", m.rssMiB()) + " / " + TableRow.format("%.1f", m.heapMiB());
  }

  private static double javaVersionMillis() throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(javaCommand(), "-version").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("java -version failed");
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** One runtime process in its directory; the start figures are taken by {@link #start}. */
  private static final class Runtime implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    double wallMillis;
    double bannerMillis;

    private Runtime(Process process, Path dir, int port) {
      this.process = process;
      this.dir = dir;
      this.port = port;
    }

    static Runtime start(Path jar, Path dir, String... jvmOptions) throws Exception {
      int port = freePort();
      List<String> command = new ArrayList<>(List.of(javaCommand()));
      command.addAll(List.of(jvmOptions));
      command.addAll(List.of("-Dorg.osgi.service.http.port=" + port, "-jar", jar.toAbsolutePath().toString(),
          "--no-shell"));
      long spawned = System.nanoTime();
      Process process = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectError(dir.resolve("stderr.txt").toFile())
          .start();
      Runtime runtime = new Runtime(process, dir, port);
      CompletableFuture<Long> banner = new CompletableFuture<>();
      Thread reader = new Thread(() -> runtime.readStdout(banner), "runtime-stdout");
      reader.setDaemon(true);
      reader.start();
      try {
        long bannerMillis = banner.get(STEP.toSeconds(), TimeUnit.SECONDS);
        runtime.wallMillis = (System.nanoTime() - spawned) / 1e6;
        runtime.bannerMillis = bannerMillis;
        return runtime;
      } catch (Exception e) {
        runtime.close();
        throw new IllegalStateException("no 'runtime ready' banner within " + STEP + " in " + dir + ": " + e
            + "\nstderr: " + read(dir.resolve("stderr.txt")) + "\nlog: " + read(dir.resolve("log/maverick.log")), e);
      }
    }

    /** Completes {@code banner} the moment the ready line is printed; then drains standard output. */
    private void readStdout(CompletableFuture<Long> banner) {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          Matcher ready = READY.matcher(line);
          if (ready.find()) {
            banner.complete(Long.parseLong(ready.group(1)));
          }
        }
        banner.completeExceptionally(new IllegalStateException("standard output ended; exit "
            + process.waitFor()));
      } catch (IOException | InterruptedException | RuntimeException e) {
        banner.completeExceptionally(e);
      }
    }

    /** Moves the fixture into deploy/, times it until listed, then removes it until it is gone. */
    double deployMillis(Path fixture) throws Exception {
      Path part = dir.resolve("fixture-handler.part");
      Path deployed = dir.resolve("deploy/fixture-handler.jar");
      Files.copy(fixture, part, StandardCopyOption.REPLACE_EXISTING);
      long start = System.nanoTime();
      Files.move(part, deployed, StandardCopyOption.ATOMIC_MOVE);
      awaitHandlers(names -> names.contains("upper"), "'upper' listed after the deploy");
      double millis = (System.nanoTime() - start) / 1e6;
      Files.delete(deployed);
      awaitHandlers(names -> !names.contains("upper"), "'upper' gone after the jar was removed");
      return millis;
    }

    void awaitHandlers(Predicate<Set<String>> condition, String what) throws Exception {
      long deadline = System.nanoTime() + STEP.toNanos();
      while (!condition.test(handlerNames())) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException("not " + what + " within " + STEP + " (listed: " + handlerNames()
              + ")\nlog: " + read(dir.resolve("log/maverick.log")));
        }
        Thread.sleep(POLL_MILLIS); // the polling step of a deadline wait
      }
    }

    private Set<String> handlerNames() throws IOException, InterruptedException {
      String body = request(HttpRequest.newBuilder(uri("/handlers")).GET(), 200);
      // every "name" in the listing is a handler's: its own, and the same again in its configuration
      Set<String> names = new java.util.TreeSet<>();
      for (Matcher name = NAME.matcher(body); name.find(); ) {
        names.add(name.group(1));
      }
      return names;
    }

    void post(String path, String json, int expectedStatus) throws IOException, InterruptedException {
      request(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json)), expectedStatus);
    }

    private String request(HttpRequest.Builder request, int expectedStatus) throws IOException, InterruptedException {
      HttpResponse<String> response = http.send(request.timeout(STEP).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expectedStatus) {
        throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " answered "
            + response.statusCode() + ", expected " + expectedStatus + ": " + response.body());
      }
      return response.body();
    }

    private URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }

    Memory memory() throws IOException, InterruptedException {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      double heapMiB = Double.NaN;
      if (Files.isExecutable(jcmd)) {
        jcmd(jcmd, "GC.run");
        Matcher used = HEAP_USED.matcher(jcmd(jcmd, "GC.heap_info"));
        if (used.find()) {
          heapMiB = Long.parseLong(used.group(1)) / 1024.0;
        }
      }
      String status = Files.readString(Path.of("/proc/" + process.pid() + "/status"));
      Matcher rss = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(status);
      if (!rss.find()) {
        throw new IllegalStateException("no VmRSS in /proc/" + process.pid() + "/status");
      }
      return new Memory(Long.parseLong(rss.group(1)) / 1024.0, heapMiB);
    }

    private String jcmd(Path jcmd, String command) throws IOException, InterruptedException {
      Process run = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), command)
          .redirectErrorStream(true).start();
      String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (run.waitFor() != 0) {
        throw new IllegalStateException("jcmd " + command + " failed: " + output);
      }
      return output;
    }

    /** SIGTERM, as a service manager stops it; the runtime must close its handlers and exit 0. */
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the runtime in " + dir + " did not exit within " + STEP + " of SIGTERM");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("the runtime in " + dir + " exited " + process.exitValue()
            + " on SIGTERM; stderr: " + read(dir.resolve("stderr.txt")));
      }
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(file);
      }
    }
  }
}
