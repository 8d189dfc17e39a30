package dev.maverick.handler.testing.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of a new {@link KafkaBroker}, and its start: see {@link KafkaBroker#builder()}.
 */
public final class KafkaBrokerBuilder {
  private static final int ATTEMPTS = 3;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private List<String> jvmOptions = KafkaBroker.QUICK_START;
  private Path parent;
  private Duration startTimeout = Duration.ofSeconds(90);

  KafkaBrokerBuilder() {
    properties.put("num.partitions", "1");
  }

  /** Partitions of a topic created on first use (default 1). */
  public KafkaBrokerBuilder partitions(int partitions) {
    return property("num.partitions", Integer.toString(partitions));
  }

  /** Any further broker setting, e.g. {@code log.retention.ms}. */
  public KafkaBrokerBuilder property(String key, String value) {
    properties.put(key, value);
    return this;
  }

  /** The broker JVM's options (default {@link KafkaBroker#QUICK_START}). */
  public KafkaBrokerBuilder jvmOptions(List<String> options) {
    this.jvmOptions = List.copyOf(options);
    return this;
  }

  /** Where the broker's directory is made (default: {@value KafkaBroker#WORK_PROPERTY}, else the temporary directory). */
  public KafkaBrokerBuilder workDirectory(Path parent) {
    this.parent = parent;
    return this;
  }

  /** How long a start may take before it fails (default 90 s: the machine may be busy). */
  public KafkaBrokerBuilder startTimeout(Duration timeout) {
    this.startTimeout = timeout;
    return this;
  }

  /**
   * Makes the directory, formats the storage and starts the broker on two free ports (the
   * broker's and the controller's). A port taken between choosing and binding it is retried
   * with new ports.
   *
   * @throws BrokerStartException with the broker's log when it does not start
   */
  public KafkaBroker start() {
    KafkaBroker.BrokerStartException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      KafkaBroker broker = prepare();
      try {
        broker.launch(clusterId());
        return broker;
      } catch (KafkaBroker.BrokerStartException e) {
        last = e;
        broker.close();
        if (!e.getMessage().contains("Address already in use")) {
          throw e;
        }
      }
    }
    throw last;
  }

  private KafkaBroker prepare() {
    try {
      Path base = parent != null ? parent
          : Path.of(System.getProperty(KafkaBroker.WORK_PROPERTY, System.getProperty("java.io.tmpdir")));
      Files.createDirectories(base);
      Path directory = Files.createTempDirectory(base, "kafka-broker-");
      int[] ports = freePorts(2);
      Properties launch = new Properties();
      launch.setProperty("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
      launch.setProperty("jvm.options", String.join(" ", jvmOptions));
      launch.setProperty("classpath", classpath(directory));
      launch.setProperty("bootstrap", "127.0.0.1:" + ports[0]);
      launch.setProperty("broker.port", Integer.toString(ports[0]));
      launch.setProperty("controller.port", Integer.toString(ports[1]));
      try (var out = Files.newOutputStream(directory.resolve(KafkaBroker.LAUNCH_FILE))) {
        launch.store(out, "how KafkaBroker starts this broker");
      }
      Files.writeString(directory.resolve("server.properties"), serverProperties(directory, ports));
      try (InputStream log4j = resource("log4j2.properties")) {
        Files.copy(log4j, directory.resolve("log4j2.properties"));
      }
      return new KafkaBroker(directory, launch, startTimeout);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a broker directory", e);
    }
  }

  private String serverProperties(Path directory, int[] ports) {
    Map<String, String> server = new LinkedHashMap<>();
    server.put("process.roles", "broker,controller");
    server.put("node.id", "1");
    server.put("listeners", "PLAINTEXT://127.0.0.1:" + ports[0] + ",CONTROLLER://127.0.0.1:" + ports[1]);
    server.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports[0]);
    server.put("controller.listener.names", "CONTROLLER");
    server.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    server.put("inter.broker.listener.name", "PLAINTEXT");
    server.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + ports[1]);
    server.put("log.dirs", directory.resolve("data").toString());
    // one node: every internal topic has one replica, and one partition is plenty for tests
    server.put("offsets.topic.replication.factor", "1");
    server.put("offsets.topic.num.partitions", "1");
    server.put("transaction.state.log.replication.factor", "1");
    server.put("transaction.state.log.min.isr", "1");
    server.put("transaction.state.log.num.partitions", "1");
    server.put("share.coordinator.state.topic.replication.factor", "1");
    server.put("share.coordinator.state.topic.min.isr", "1");
    server.put("share.coordinator.state.topic.num.partitions", "1");
    server.put("group.initial.rebalance.delay.ms", "0");
    server.putAll(properties);
    StringBuilder text = new StringBuilder();
    server.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return text.toString();
  }

  /**
   * The broker's jars, and a directory holding {@link BrokerMain}'s class file copied out of this
   * jar or bundle (whose own location may not be a file in an OSGi container).
   */
  private static String classpath(Path directory) throws IOException {
    String name = BrokerMain.class.getName().replace('.', '/') + ".class";
    Path classes = directory.resolve("classes");
    Path target = classes.resolve(name);
    Files.createDirectories(target.getParent());
    try (InputStream in = resource(name.substring(name.lastIndexOf('/') + 1))) {
      Files.copy(in, target);
    }
    String jars;
    try (InputStream in = resource("broker.classpath")) {
      jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    return classes + java.io.File.pathSeparator + jars;
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = KafkaBroker.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException("resource " + name + " missing beside " + KafkaBroker.class.getName()
          + " (broker.classpath is written by the build of itests/kafka-support)");
    }
    return in;
  }

  /**
   * A random cluster id, as Kafka's own {@code Uuid.randomUuid()} makes them: 16 random bytes in
   * URL-safe base64, never starting with '-' (a command line would read it as an option).
   */
  static String clusterId() {
    SecureRandom random = new SecureRandom();
    byte[] uuid = new byte[16];
    String id;
    do {
      random.nextBytes(uuid);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
    } while (id.startsWith("-"));
    return id;
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
