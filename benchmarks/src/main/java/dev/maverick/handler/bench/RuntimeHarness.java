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
 *   <li>Start, in rounds that alternate four launches (their order rotating from round to round,
 *       so that none always runs first after a quiet moment): {@code java -version} with the same
 *       JVM (the floor no Java program starts under); a bare Felix with SCR and nothing else
 *       ({@link BareFelix}, the floor of an OSGi start with DS); the runtime in a fresh directory
 *       (no bundle cache, no {@code etc/}); the runtime in a directory whose bundle cache it kept
 *       from its previous start. The runtime's banner gives two figures, from the JVM's start to
 *       "handlers active" and to "HTTP ready" (each the moment of the stage's last bundle or
 *       service event); the wall figure runs from spawning the process to the line printed (it adds
 *       process creation and the stage's quiet period of 100 ms). Full runs add a fresh start with
 *       {@value #C1_ONLY}.</li>
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
 * Every runtime must stop with exit code 0 on SIGTERM, or the part fails. The load average before
 * and after is part of the report: on a shared machine a figure means little without it.
 */
final class RuntimeHarness {
  static final long POLL_MILLIS = 5;
  private static final long FILEINSTALL_POLL_MILLIS = 100;
  private static final Pattern HANDLERS_ACTIVE = Pattern.compile("handlers active in (\\d+) ms");
  private static final Pattern HTTP_READY = Pattern.compile("HTTP ready in (\\d+) ms");
  private static final Pattern BARE_FELIX = Pattern.compile("bare Felix \\+ SCR started in (\\d+) ms");
  private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]+)\"");
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Duration STEP = Duration.ofSeconds(60);
  /** The jars of the bare Felix + SCR baseline, as the runtime jar embeds them. */
  private static final List<String> BARE_JARS = List.of("org.apache.felix.framework-", "org.osgi.util.function-",
      "org.osgi.util.promise-", "org.osgi.service.component-", "org.apache.felix.scr-");

  /**
   * @param runtimeJar {@code features/runtime/target/maverick-runtime.jar}
   * @param fixtureJar the test fixture handler bundle, {@code itests/fixture-handler/target/fixture-handler-*.jar}
   * @param rounds start rounds (each: java -version, bare Felix, fresh, kept cache)
   * @param deploys deploy/undeploy cycles, in the last runtime
   * @param c1 also a fresh start with {@value #C1_ONLY} in each round
   */
  record Settings(Path runtimeJar, Path fixtureJar, int rounds, int deploys, boolean c1) {}

  /** The two figures of one runtime start, ms: the banner's (from the JVM's start) and the wall's (from spawn). */
  record Start(double handlersBanner, double handlersWall, double httpBanner, double httpWall) {}

  /** Figures of one run. */
  record Report(List<Start> fresh, List<Start> kept, List<Start> cds, List<Start> c1, List<Double> jvmVersionMillis,
      List<Double> bareFelixMillis, List<Double> deployMillis, Memory idle, Memory tenHandlers, String loadBefore,
      String loadAfter) {}

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
    return smoke ? new Settings(runtime, fixture, 1, 2, false) : new Settings(runtime, fixture, 10, 10, true);
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
    String loadBefore = Suite.loadAverage();
    List<Double> jvmVersion = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    List<Start> fresh = new ArrayList<>();
    List<Start> kept = new ArrayList<>();
    List<Start> cds = new ArrayList<>();
    List<Start> c1 = new ArrayList<>();
    List<Double> deploys = new ArrayList<>();
    Memory idle;
    Memory ten;
    Path bareDir = Files.createTempDirectory("maverick-bench-bare-felix-");
    Path keptDir = Files.createTempDirectory("maverick-bench-runtime-kept-");
    Path cdsDir = Files.createTempDirectory("maverick-bench-runtime-cds-");
    String archive = "-XX:SharedArchiveFile=" + cdsDir.resolve("maverick.jsa");
    try {
      List<Path> bareJars = extract(settings.runtimeJar(), bareDir);
      try (Runtime first = Runtime.start(settings.runtimeJar(), keptDir)) {
        first.stop(); // makes the cache the kept starts start from
      }
      // as maverick-cds.sh does: the first run records the archive as it stops
      try (Runtime first = Runtime.start(settings.runtimeJar(), cdsDir,
          "-XX:ArchiveClassesAtExit=" + cdsDir.resolve("maverick.jsa"))) {
        first.stop();
      }
      List<Launch> launches = new ArrayList<>(List.of(
          () -> jvmVersion.add(javaVersionMillis()),
          () -> bare.add(bareFelixMillis(bareJars, bareDir)),
          () -> fresh.add(freshStart(settings.runtimeJar())),
          () -> kept.add(startAndStop(settings.runtimeJar(), keptDir))));
      if (Files.isRegularFile(cdsDir.resolve("maverick.jsa"))) { // not on a JDK without its base CDS archive
        launches.add(() -> cds.add(startAndStop(settings.runtimeJar(), cdsDir, archive, "-Xshare:auto")));
      }
      if (settings.c1()) {
        launches.add(() -> c1.add(freshStart(settings.runtimeJar(), C1_ONLY)));
      }
      for (int round = 0; round < settings.rounds(); round++) {
        for (int i = 0; i < launches.size(); i++) {
          launches.get((round + i) % launches.size()).run();
        }
        log.printf("runtime start %d: handlers active (banner/wall) fresh %s, kept cache %s, kept cache + CDS %s;"
                + " java -version %.0f ms; bare Felix + SCR %.0f ms%n", round + 1, describe(last(fresh)),
            describe(last(kept)), cds.isEmpty() ? "none" : describe(last(cds)), last(jvmVersion), last(bare));
      }
      try (Runtime runtime = Runtime.start(settings.runtimeJar(), keptDir)) {
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
        runtime.stop();
      }
    } finally {
      deleteTree(bareDir);
      deleteTree(keptDir);
      deleteTree(cdsDir);
    }
    log.printf("hot deploys, ms: %s; idle %s, 10 handlers %s%n", deploys, idle, ten);
    return new Report(fresh, kept, cds, c1, jvmVersion, bare, deploys, idle, ten, loadBefore, Suite.loadAverage());
  }

  /** One launch of a round. */
  private interface Launch {
    void run() throws Exception;
  }

  private static <T> T last(List<T> values) {
    return values.get(values.size() - 1);
  }

  private static String describe(Start start) {
    return TableRow.format("%.0f", start.handlersBanner()) + "/" + TableRow.format("%.0f ms", start.handlersWall());
  }

  private static Start freshStart(Path jar, String... jvmOptions) throws Exception {
    Path dir = Files.createTempDirectory("maverick-bench-runtime-");
    try {
      return startAndStop(jar, dir, jvmOptions);
    } finally {
      deleteTree(dir);
    }
  }

  private static Start startAndStop(Path jar, Path dir, String... jvmOptions) throws Exception {
    try (Runtime runtime = Runtime.start(jar, dir, jvmOptions)) {
      runtime.stop();
      return runtime.figures;
    }
  }

  static List<TableRow> rows(Report r) {
    double fresh = median(r.fresh(), Start::handlersBanner);
    double kept = median(r.kept(), Start::handlersBanner);
    double deploy = Suite.Results.median(r.deployMillis());
    double worstDeploy = r.deployMillis().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    double deployGoal = FILEINSTALL_POLL_MILLIS + 200;
    String floors = ms(r.jvmVersionMillis()) + " (`java -version`); " + ms(r.bareFelixMillis())
        + " (bare Felix + SCR)";
    List<TableRow> rows = new ArrayList<>(List.of(
        new TableRow("6", "Runtime start to handlers active, fresh directory, ms: banner (JVM start to the stage's"
            + " last event) / wall (spawn to the line printed); n=" + r.fresh().size() + ", load " + r.loadBefore()
            + " → " + r.loadAfter(), starts(r.fresh(), Start::handlersBanner) + " / "
            + starts(r.fresh(), Start::handlersWall), floors, "—", "≤ 1,000 ms", TableRow.met(fresh <= 1000)),
        new TableRow("6", "Runtime start to handlers active, bundle cache kept from the previous start, ms: banner"
            + " / wall; n=" + r.kept().size(), starts(r.kept(), Start::handlersBanner) + " / "
            + starts(r.kept(), Start::handlersWall), floors, "—", "≤ 700 ms", TableRow.met(kept <= 700)),
        new TableRow("6", "Runtime start to HTTP ready (admin page served), ms: banner, fresh / kept cache",
            starts(r.fresh(), Start::httpBanner) + " / " + starts(r.kept(), Start::httpBanner), "—", "—", "—", "—")));
    if (!r.cds().isEmpty()) {
      double cds = median(r.cds(), Start::handlersBanner);
      rows.add(new TableRow("6", "Runtime start to handlers active, kept cache and a CDS archive (`maverick-cds.sh`),"
          + " ms: banner / wall; n=" + r.cds().size(), starts(r.cds(), Start::handlersBanner) + " / "
          + starts(r.cds(), Start::handlersWall), "kept cache without: " + starts(r.kept(), Start::handlersBanner),
          TableRow.format("%+.0f ms", cds - kept), "≤ 700 ms", TableRow.met(cds <= 700)));
    }
    if (!r.c1().isEmpty()) {
      rows.add(new TableRow("6", "Runtime fresh start with `" + C1_ONLY + "` (C1 only: less start CPU, lower peak"
          + " speed of Java code), handlers active, ms: banner / wall", starts(r.c1(), Start::handlersBanner) + " / "
          + starts(r.c1(), Start::handlersWall), "—", "—", "—", "—"));
    }
    rows.add(new TableRow("6", "Hot deploy: jar moved into deploy/ to its handler listed by GET /handlers, ms (n="
        + r.deployMillis().size() + ")", ms(r.deployMillis()), FILEINSTALL_POLL_MILLIS + " (FileInstall's poll interval)",
        "worst " + TableRow.format("%.0f", worstDeploy) + " ms", "≤ poll + 200 = " + (long) deployGoal + " ms",
        TableRow.met(worstDeploy <= deployGoal) + (deploy <= deployGoal && worstDeploy > deployGoal ? " (median yes)" : "")));
    rows.add(new TableRow("9", "Runtime memory: RSS / heap in use after full GC, MiB, idle (echo + stt) and with 10 handlers",
        memory(r.idle()) + " idle; " + memory(r.tenHandlers()) + " with 10", "—",
        TableRow.format("+%.1f MiB RSS", r.tenHandlers().rssMiB() - r.idle().rssMiB()) + " / "
            + TableRow.format("+%.2f MiB heap", r.tenHandlers().heapMiB() - r.idle().heapMiB())
            + " for 8 more handlers", "—", "—"));
    return rows;
  }

  private static double median(List<Start> starts, java.util.function.ToDoubleFunction<Start> figure) {
    return Suite.Results.median(starts.stream().map(s -> figure.applyAsDouble(s)).toList());
  }

  private static String starts(List<Start> starts, java.util.function.ToDoubleFunction<Start> figure) {
    return ms(starts.stream().map(s -> figure.applyAsDouble(s)).toList());
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

  /** The bare Felix + SCR baseline, in a fresh cache each time. */
  private static double bareFelixMillis(List<Path> jars, Path dir) throws IOException, InterruptedException {
    Path cache = dir.resolve("cache");
    List<String> command = new ArrayList<>(List.of(javaCommand(), "-cp", jars.get(0) + File.pathSeparator
        + Path.of(RuntimeHarness.class.getProtectionDomain().getCodeSource().getLocation().getPath()),
        BareFelix.class.getName(), cache.toString()));
    jars.subList(1, jars.size()).forEach(jar -> command.add(jar.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("bare Felix + SCR failed: " + output);
    }
    Matcher started = BARE_FELIX.matcher(output);
    if (!started.find()) {
      throw new IllegalStateException("bare Felix + SCR printed no start time: " + output);
    }
    deleteTree(cache);
    return Double.parseDouble(started.group(1));
  }

  /** The framework and SCR's jars, taken out of the runtime jar, framework first. */
  private static List<Path> extract(Path runtimeJar, Path dir) throws IOException {
    List<Path> jars = new ArrayList<>();
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(runtimeJar.toFile())) {
      for (String prefix : BARE_JARS) {
        java.util.zip.ZipEntry entry = zip.stream().filter(e -> e.getName().startsWith("jar/" + prefix)).findFirst()
            .orElseThrow(() -> new IllegalStateException(runtimeJar + " holds no jar/" + prefix + "*.jar"));
        Path jar = dir.resolve(entry.getName().substring("jar/".length()));
        try (java.io.InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        jars.add(jar);
      }
    }
    return jars;
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
    Start figures;

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
      CompletableFuture<double[]> handlers = new CompletableFuture<>();
      CompletableFuture<double[]> ready = new CompletableFuture<>();
      Thread reader = new Thread(() -> runtime.readStdout(spawned, handlers, ready), "runtime-stdout");
      reader.setDaemon(true);
      reader.start();
      try {
        double[] active = handlers.get(STEP.toSeconds(), TimeUnit.SECONDS);
        double[] http = ready.get(STEP.toSeconds(), TimeUnit.SECONDS);
        runtime.figures = new Start(active[0], active[1], http[0], http[1]);
        return runtime;
      } catch (Exception e) {
        runtime.close();
        throw new IllegalStateException("no complete banner within " + STEP + " in " + dir + ": " + e
            + "\nstderr: " + read(dir.resolve("stderr.txt")) + "\nlog: " + read(dir.resolve("log/maverick.log")), e);
      }
    }

    /**
     * Completes each stage the moment its banner line is printed, with the banner's figure and the
     * wall time since {@code spawned}; then drains standard output.
     */
    private void readStdout(long spawned, CompletableFuture<double[]> handlers, CompletableFuture<double[]> ready) {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          double wall = (System.nanoTime() - spawned) / 1e6;
          Matcher active = HANDLERS_ACTIVE.matcher(line);
          if (active.find()) {
            handlers.complete(new double[] {Long.parseLong(active.group(1)), wall});
          }
          Matcher http = HTTP_READY.matcher(line);
          if (http.find()) {
            ready.complete(new double[] {Long.parseLong(http.group(1)), wall});
          }
        }
        IllegalStateException ended = new IllegalStateException("standard output ended; exit " + process.waitFor());
        handlers.completeExceptionally(ended);
        ready.completeExceptionally(ended);
      } catch (IOException | InterruptedException | RuntimeException e) {
        handlers.completeExceptionally(e);
        ready.completeExceptionally(e);
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
