package dev.maverick.handler.itest.runtime;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable jar as a process of its own, in a working directory of its own, with its standard
 * output, standard error and log file readable by the test. Waits are on what the process writes,
 * with deadlines, never for a fixed time. Shared with {@code itests/security} through this module's
 * test jar.
 */
public final class RuntimeProcess implements AutoCloseable {
  public static final Duration STARTUP = Duration.ofSeconds(90);
  public static final Duration STEP = Duration.ofSeconds(30);

  public final Path dir;
  public final int httpPort;
  private final Process process;

  private RuntimeProcess(Path dir, int httpPort, Process process) {
    this.dir = dir;
    this.httpPort = httpPort;
    this.process = process;
  }

  /**
   * Starts {@code java [jvmOptions] -Dorg.osgi.service.http.port=<free> -jar <runtime jar> --no-shell}
   * in {@code dir}, with standard input closed.
   */
  public static RuntimeProcess start(String java, Path dir, String... jvmOptions) throws IOException {
    return start(java, dir, List.of(jvmOptions), List.of());
  }

  /** As {@link #start(String, Path, String...)}, with arguments after {@code --no-shell}. */
  public static RuntimeProcess start(String java, Path dir, List<String> jvmOptions, List<String> arguments)
      throws IOException {
    Files.createDirectories(dir);
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-Dorg.osgi.service.http.port=" + port, "-jar", runtimeJar().toString(), "--no-shell"));
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(dir.resolve("stderr.txt").toFile())
        .start();
    return new RuntimeProcess(dir, port, process);
  }

  public static Path runtimeJar() {
    Path jar = Path.of(System.getProperty("maverick.runtime.jar", "maverick.runtime.jar is not set"));
    assertTrue("the runtime jar is built first: " + jar, Files.isRegularFile(jar));
    return jar;
  }

  public String stdout() {
    return read(dir.resolve("stdout.txt"));
  }

  public String stderr() {
    return read(dir.resolve("stderr.txt"));
  }

  public String log() {
    return read(dir.resolve("log/maverick.log"));
  }

  /**
   * Waits for the whole banner (the handlers active, then HTTP ready) and returns the time to
   * "handlers active" it reports, in milliseconds.
   */
  public long awaitReady() {
    Pattern handlers = Pattern.compile("handlers active in (\\d+) ms");
    await("the banner on standard output", STARTUP, () -> stdout().contains("HTTP ready in ")
        && stdout().contains("shell: "));
    Matcher matcher = handlers.matcher(stdout());
    assertTrue(stdout(), matcher.find());
    return Long.parseLong(matcher.group(1));
  }

  /** Waits until the log has {@code count} lines containing {@code text}. */
  public void awaitLog(String text, int count) {
    await(count + "x '" + text + "' in the log", STEP, () -> occurrences(log(), text) >= count);
  }

  /** Waits until the log contains {@code text}. */
  public void awaitLog(String text) {
    awaitLog(text, 1);
  }

  /** Sends SIGTERM (what {@link Process#destroy()} does on Linux) and waits for the exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("no exit within " + STEP + " of SIGTERM; log:\n" + log());
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The process id (for {@code /proc/<pid>}). */
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  public void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new AssertionError("the runtime exited (" + process.exitValue() + ") while waiting for " + what
            + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr() + "\nlog:\n" + log());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "\nstdout:\n" + stdout()
            + "\nstderr:\n" + stderr() + "\nlog:\n" + log());
      }
      try {
        Thread.sleep(20); // polling step of a deadline wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  public static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
