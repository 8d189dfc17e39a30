package dev.maverick.handler.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
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
  private static final Pattern BARE_FELIX = Pattern.compile("bare Felix \\+ SCR started in (\\d+) ms");
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
      try (RuntimeLaunch first = RuntimeLaunch.start(settings.runtimeJar(), keptDir)) {
        first.stop(); // makes the cache the kept starts start from
      }
      // as maverick-cds.sh does: the first run records the archive as it stops
      try (RuntimeLaunch first = RuntimeLaunch.start(settings.runtimeJar(), cdsDir,
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
      try (RuntimeLaunch runtime = RuntimeLaunch.start(settings.runtimeJar(), keptDir)) {
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
    try (RuntimeLaunch runtime = RuntimeLaunch.start(jar, dir, jvmOptions)) {
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

  static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(file);
      }
    }
  }
}
