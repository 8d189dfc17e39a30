package dev.maverick.handler.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One runtime process in its directory; the start figures are taken by {@link #start}. */
final class RuntimeLaunch implements AutoCloseable {
  private static final Pattern HANDLERS_ACTIVE = Pattern.compile("handlers active in (\\d+) ms");
  private static final Pattern HTTP_READY = Pattern.compile("HTTP ready in (\\d+) ms");
  private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]+)\"");
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Duration STEP = Duration.ofSeconds(60);
  private final Process process;
  private final Path dir;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  RuntimeHarness.Start figures;

  private RuntimeLaunch(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  static RuntimeLaunch start(Path jar, Path dir, String... jvmOptions) throws Exception {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(RuntimeHarness.javaCommand()));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-Dorg.osgi.service.http.port=" + port, "-jar", jar.toAbsolutePath().toString(),
        "--no-shell"));
    long spawned = System.nanoTime();
    Process process = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectError(dir.resolve("stderr.txt").toFile())
        .start();
    RuntimeLaunch runtime = new RuntimeLaunch(process, dir, port);
    CompletableFuture<double[]> handlers = new CompletableFuture<>();
    CompletableFuture<double[]> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> runtime.readStdout(spawned, handlers, ready), "runtime-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      double[] active = handlers.get(STEP.toSeconds(), TimeUnit.SECONDS);
      double[] http = ready.get(STEP.toSeconds(), TimeUnit.SECONDS);
      runtime.figures = new RuntimeHarness.Start(active[0], active[1], http[0], http[1]);
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
      Thread.sleep(RuntimeHarness.POLL_MILLIS); // the polling step of a deadline wait
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

  RuntimeHarness.Memory memory() throws IOException, InterruptedException {
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
    return new RuntimeHarness.Memory(Long.parseLong(rss.group(1)) / 1024.0, heapMiB);
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
}
