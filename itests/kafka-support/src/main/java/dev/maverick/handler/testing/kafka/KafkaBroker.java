package dev.maverick.handler.testing.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker for tests: KRaft, one node that is broker and controller, on free
 * loopback ports, in a JVM of its own started from the jars Maven resolved for this module
 * ({@code kafka_2.13} and a log4j binding; their paths are in the resource {@code broker.classpath}).
 *
 * <p>Everything about a broker lives in its directory: {@code server.properties}, the data,
 * {@code broker.log} (its output), {@code launch.properties} (how to start it again) and
 * {@code broker.pid}. So a handle made with {@link #attach(Path)} — in an OSGi container, in
 * another class loader — can stop and restart the same broker, on the same ports.
 *
 * <p>{@link #shared()} starts one broker per JVM, the first time a test asks, and stops it when
 * the JVM exits: Surefire runs a module's tests in one JVM, so a module starts one broker,
 * whatever its number of test classes. The broker also watches the JVM that started it and exits
 * when that JVM is gone, even after {@code kill -9}.
 */
public final class KafkaBroker implements AutoCloseable {
  /** System property: where brokers put their directories (default: the temporary directory). */
  public static final String WORK_PROPERTY = "maverick.kafka.work";
  /** System property set by {@link #shared()}: the shared broker's directory, for {@link #attachShared()}. */
  public static final String SHARED_DIRECTORY_PROPERTY = "maverick.kafka.broker.directory";
  /** System property set by {@link #shared()}: the shared broker's {@code host:port}. */
  public static final String SHARED_BOOTSTRAP_PROPERTY = "maverick.kafka.bootstrap";
  /** Partitions of an automatically created topic on the shared broker: more than one, so that keys matter. */
  public static final int SHARED_PARTITIONS = 4;

  /** Quick to start (C1 only, serial GC, small heap): for tests. Benchmarks want {@link #FULL_SPEED}. */
  public static final List<String> QUICK_START = List.of("-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC", "-Xshare:auto");
  /** The JIT's full optimisation: slower to start, faster once warm. */
  public static final List<String> FULL_SPEED = List.of("-Xms256m", "-Xmx1g");

  private static final String STARTED = "Kafka Server started";
  static final String LAUNCH_FILE = "launch.properties";
  private static final String PID_FILE = "broker.pid";
  private static final String LOG_FILE = "broker.log";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static KafkaBroker shared;

  private final Path directory;
  private final Properties launch;
  private final Duration startTimeout;
  private Duration lastStart = Duration.ZERO;
  private Duration lastStop = Duration.ZERO;

  KafkaBroker(Path directory, Properties launch, Duration startTimeout) {
    this.directory = directory;
    this.launch = launch;
    this.startTimeout = startTimeout;
  }

  /** How to make a broker of one's own. */
  public static KafkaBrokerBuilder builder() {
    return new KafkaBrokerBuilder();
  }

  /**
   * Runs a broker in the foreground until Ctrl-C, for trying handlers on one machine:
   * {@code mvn -q -pl itests/kafka-support exec:java} (README: "Beyond one machine"). Topics made
   * on first use get {@code --partitions N} partitions (default 4); the data is deleted at exit.
   */
  public static void main(String[] args) throws InterruptedException {
    int partitions = args.length == 2 && args[0].equals("--partitions") ? Integer.parseInt(args[1]) : SHARED_PARTITIONS;
    KafkaBroker broker = builder().partitions(partitions).jvmOptions(FULL_SPEED).start();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
    System.out.println("Kafka broker ready: bootstrap_servers=" + broker.bootstrapServers() + " (" + partitions
        + " partitions per new topic; data in " + broker.directory() + ", deleted at exit). Ctrl-C stops it.");
    Thread.currentThread().join();
  }

  /**
   * The broker of this JVM: started on the first call ({@value #SHARED_PARTITIONS} partitions per
   * automatically created topic, quick-start JVM options), started again if something stopped it,
   * stopped and deleted when the JVM exits.
   */
  public static synchronized KafkaBroker shared() {
    if (shared == null) {
      KafkaBroker broker = builder().partitions(SHARED_PARTITIONS).start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
      System.setProperty(SHARED_DIRECTORY_PROPERTY, broker.directory.toString());
      System.setProperty(SHARED_BOOTSTRAP_PROPERTY, broker.bootstrapServers());
      shared = broker;
    }
    if (!shared.isRunning()) {
      shared.start();
    }
    return shared;
  }

  /**
   * A handle on the broker {@link #shared()} started in this JVM, from another class loader (an
   * OSGi container running in the same JVM).
   *
   * @throws IllegalStateException if no shared broker was started
   */
  public static KafkaBroker attachShared() {
    String path = System.getProperty(SHARED_DIRECTORY_PROPERTY);
    if (path == null) {
      throw new IllegalStateException("no shared broker: call KafkaBroker.shared() on the test's driver side first");
    }
    return attach(Path.of(path));
  }

  /** A handle on a broker started earlier with its directory: it can stop and start it again. */
  public static KafkaBroker attach(Path directory) {
    Properties launch = new Properties();
    try (InputStream in = Files.newInputStream(directory.resolve(LAUNCH_FILE))) {
      launch.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("not a broker directory: " + directory, e);
    }
    return new KafkaBroker(directory, launch, Duration.ofSeconds(90));
  }

  /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return launch.getProperty("bootstrap");
  }

  /** The broker's directory. */
  public Path directory() {
    return directory;
  }

  /** The broker's process id, while it runs. */
  public Optional<Long> pid() {
    return process().map(ProcessHandle::pid);
  }

  /** True while the broker's process is alive. */
  public synchronized boolean isRunning() {
    return process().isPresent();
  }

  /** How long the last {@link #start()} took through this handle, launch to "started" in the broker's log. */
  public Duration lastStartTime() {
    return lastStart;
  }

  /** How long the last {@link #stop()} took through this handle. */
  public Duration lastStopTime() {
    return lastStop;
  }

  /**
   * Starts the broker again after {@link #stop()}, on the same ports and with the same data; does
   * nothing while it runs. Returns once the broker has logged that it started and takes connections.
   */
  public synchronized KafkaBroker start() {
    if (!isRunning()) {
      launch(null);
    }
    return this;
  }

  /**
   * Stops the broker as {@code kill} does (SIGTERM: it shuts down in order), or kills it after 20 s.
   * The data stays: {@link #start()} brings the same broker back.
   */
  public synchronized void stop() {
    Optional<ProcessHandle> running = process();
    if (running.isEmpty()) {
      return;
    }
    long began = System.nanoTime();
    ProcessHandle process = running.get();
    process.destroy();
    try {
      process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      process.onExit().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    deleteQuietly(directory.resolve(PID_FILE));
    lastStop = Duration.ofNanos(System.nanoTime() - began);
    System.err.printf("[kafka-broker] %s stopped in %.1f s%n", bootstrapServers(), lastStop.toMillis() / 1000.0);
  }

  /** Stops the broker and deletes its directory. */
  @Override
  public synchronized void close() {
    stop();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(KafkaBroker::deleteQuietly);
    } catch (IOException e) {
      // a test's leftovers in a temporary directory: nothing worth failing for
    }
  }

  /** The broker's log so far (its last {@code maxChars} characters), to explain a failure. */
  public String logTail(int maxChars) {
    try {
      String log = Files.readString(directory.resolve(LOG_FILE), StandardCharsets.UTF_8);
      return log.length() <= maxChars ? log : log.substring(log.length() - maxChars);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return "Kafka broker " + bootstrapServers() + " in " + directory;
  }

  // ---- launching ---------------------------------------------------------------------------------

  private Optional<ProcessHandle> process() {
    try {
      String pid = Files.readString(directory.resolve(PID_FILE), StandardCharsets.US_ASCII).trim();
      return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Starts the broker's JVM, formatting the storage first when {@code clusterId} is given. */
  void launch(String clusterId) {
    long began = System.nanoTime();
    Path log = directory.resolve(LOG_FILE);
    List<String> command = new ArrayList<>();
    command.add(launch.getProperty("java"));
    command.addAll(List.of(launch.getProperty("jvm.options").split(" ")));
    command.add("-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"));
    command.add("-D" + BrokerMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    command.add("-cp");
    command.add(launch.getProperty("classpath"));
    command.add(BrokerMain.class.getName());
    command.add(directory.resolve("server.properties").toString());
    if (clusterId != null) {
      command.add(clusterId);
    }
    Process process;
    long logOffset;
    try {
      logOffset = Files.exists(log) ? Files.size(log) : 0;
      process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(log.toFile())).redirectInput(Redirect.from(new java.io.File("/dev/null")))
          .start();
      Files.writeString(directory.resolve(PID_FILE), Long.toString(process.pid()), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the broker: " + command, e);
    }
    awaitStarted(process, log, logOffset);
    lastStart = Duration.ofNanos(System.nanoTime() - began);
    System.err.printf("[kafka-broker] %s started in %.1f s (pid %d)%n", bootstrapServers(),
        lastStart.toMillis() / 1000.0, process.pid());
  }

  private void awaitStarted(Process process, Path log, long logOffset) {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        deleteQuietly(directory.resolve(PID_FILE));
        throw new BrokerStartException("the broker exited with status " + process.exitValue() + " while starting; "
            + "its log ends with:\n" + logTail(4000));
      }
      if (logSince(log, logOffset).contains(STARTED) && accepts(Integer.parseInt(launch.getProperty("broker.port")))) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        process.destroyForcibly();
        throw new BrokerStartException("the broker did not start within " + startTimeout + "; its log ends with:\n"
            + logTail(4000));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new BrokerStartException("interrupted while the broker started");
      }
    }
  }

  private static String logSince(Path log, long offset) {
    try {
      byte[] all = Files.readAllBytes(log);
      return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // left for the temporary directory's cleaner
    }
  }

  /** The broker could not be started; the message ends with its log. */
  public static final class BrokerStartException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    BrokerStartException(String message) {
      super(message);
    }
  }
}
