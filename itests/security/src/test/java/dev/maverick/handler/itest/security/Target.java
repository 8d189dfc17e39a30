package dev.maverick.handler.itest.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maverick.handler.itest.JsonServer;
import dev.maverick.handler.itest.RawHttp;
import dev.maverick.handler.itest.runtime.RuntimeProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The runnable jar under attack: started once per set-up in an empty directory of its own, on a
 * free port, bound to loopback or beyond it; then given, through files dropped into {@code etc/} as
 * its user would, a network handler {@code vault} whose {@code auth} is sent to a loopback "victim"
 * server the test runs, a second one ({@code leaky}, its file left readable by its user), a third
 * whose calls all fail ({@code flood}, for the log flood), two
 * echo handlers ({@code headvictim}, {@code poll}, the latter as {@code .cfg.json}) beside the
 * default {@code echo}, {@code audio_dirs} for the default {@code stt}, and in set-up (c) an
 * {@code admin_token}. It gives the attacks a raw HTTP client and the evidence: files and modes,
 * the log, the process's threads.
 */
final class Target implements AutoCloseable {
  /** The network handler's secret: no common word in it, so that any piece of it found is a leak. */
  static final String SECRET = "Zq9vKx7Wm2Lp4Rt8";
  static final String LEAKY_SECRET = "Hy3nBf6Tc8Jd2Gs5";
  static final String TOKEN = "Tk7Qw3Er9Ty5Ui1OpA2s";
  static final String ECHO_PID = "dev.maverick.handler.echo";
  static final String NETWORK_PID = "dev.maverick.handler.network";
  static final String STT_PID = "dev.maverick.handler.stt";
  static final String ADMIN_PID = "dev.maverick.handler.admin";
  /** Small log files, so that the flood of the rotation attack is small too. */
  static final int LOG_MAX_KB = 32;
  static final int LOG_FILES = 3;

  final SetUp setUp;
  final Path dir;
  final Path etc;
  /** A directory of the test's own beside the runtime's: its files must never be touched. */
  final Path outside;
  /** The one directory of the stt handler's {@code audio_dirs}. */
  final Path audio;
  final RuntimeProcess process;
  final RawHttp http;
  /** Where the server is bound, as given to Felix Jetty. */
  final String bindHost;
  final JsonServer victim;
  final JsonServer thief;
  final long readyMillis;
  private final ObjectMapper json = new ObjectMapper();
  /** Requests of the victim server already looked at. */
  private int victimSeen;

  private Target(SetUp setUp, Path dir, RuntimeProcess process, RawHttp http, String bindHost, JsonServer victim,
      JsonServer thief, long readyMillis) {
    this.setUp = setUp;
    this.dir = dir;
    this.etc = dir.resolve("etc");
    this.outside = dir.resolve("outside");
    this.audio = dir.resolve("audio");
    this.process = process;
    this.http = http;
    this.bindHost = bindHost;
    this.victim = victim;
    this.thief = thief;
    this.readyMillis = readyMillis;
  }

  /** Starts the runtime for this set-up in the empty directory {@code dir} and configures it. */
  static Target start(SetUp setUp, Path dir) throws Exception {
    Files.createDirectories(dir);
    InetAddress connect = InetAddress.getByName("127.0.0.1");
    String bindHost = "127.0.0.1";
    List<String> jvm = new ArrayList<>(List.of("-Dmaverick.log.maxSize=" + LOG_MAX_KB + "k",
        "-Dmaverick.log.maxFiles=" + LOG_FILES,
        // one DEBUG line per aborted request is what the log promises: make it visible to count it
        "-Dorg.slf4j.simpleLogger.log.dev.maverick.handler.admin=debug"));
    if (setUp.exposed()) {
      Optional<InetAddress> beyond = addressBeyondLoopback();
      bindHost = beyond.map(InetAddress::getHostAddress).orElse("0.0.0.0");
      connect = beyond.orElse(connect);
      jvm.add("-Dorg.apache.felix.http.host=" + bindHost);
    }
    RuntimeProcess process = RuntimeProcess.start(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        dir, jvm, List.of());
    JsonServer victim = null;
    JsonServer thief = null;
    try {
      long ready = process.awaitReady();
      victim = JsonServer.start();
      thief = JsonServer.start();
      Target target = new Target(setUp, dir, process, new RawHttp(connect, process.httpPort), bindHost, victim, thief,
          ready);
      target.configure();
      return target;
    } catch (Exception | AssertionError e) {
      process.close();
      if (victim != null) {
        victim.close();
      }
      if (thief != null) {
        thief.close();
      }
      throw e;
    }
  }

  /**
   * The address of the interface of the default route (else any non-loopback IPv4 address that is
   * up); empty when the machine has none, and the server is then bound to {@code 0.0.0.0}.
   */
  static Optional<InetAddress> addressBeyondLoopback() throws IOException {
    List<NetworkInterface> candidates = new ArrayList<>();
    Path routes = Path.of("/proc/net/route");
    if (Files.isReadable(routes)) {
      for (String line : Files.readAllLines(routes)) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 2 && fields[1].equals("00000000")) {
          Optional.ofNullable(NetworkInterface.getByName(fields[0])).ifPresent(candidates::add);
        }
      }
    }
    try {
      candidates.addAll(Collections.list(NetworkInterface.getNetworkInterfaces()));
    } catch (SocketException e) {
      return Optional.empty();
    }
    for (NetworkInterface candidate : candidates) {
      if (!candidate.isUp() || candidate.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(candidate.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }

  private void configure() throws IOException {
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("precious.txt"), "the test's own file, outside etc/: never to be touched\n");
    Files.createDirectories(audio.resolve("sub"));
    Files.write(audio.resolve("ok.wav"), silentWav(16_000, 8_000));
    Files.createSymbolicLink(audio.resolve("link.wav"), Path.of("/etc/passwd"));

    write(etcFile(NETWORK_PID, "vault"), "name = vault\nhost = 127.0.0.1\nport = " + victim.port()
        + "\npath = /api\nauth = " + SECRET + "\nnetwork_timeout = 5\n", "rw-------");
    write(etcFile(NETWORK_PID, "leaky"), "name = leaky\nhost = 127.0.0.1\nport = " + victim.port()
        + "\nauth = " + LEAKY_SECRET + "\n", "rw-r--r--");
    write(etcFile(ECHO_PID, "headvictim"), "name = headvictim\n", "rw-r--r--");
    // the log flood's tool: every call fails at once (nothing listens on its port), and is logged
    write(etcFile(NETWORK_PID, "flood"), "name = flood\nhost = 127.0.0.1\nport = " + closedPort() + "\n", "rw-r--r--");
    write(etc.resolve(ECHO_PID + "-poll.cfg.json"), "{\n  // long-polls wait here\n  \"name\": \"poll\"\n}\n",
        "rw-r--r--");
    // speech to text reads fed paths under audio_dirs only; its worker is not started (no model to load)
    Path stt = etcFile(STT_PID, "stt");
    write(stt, read(stt) + "audio_dirs = [\"" + audio + "\"]\nrun_as_thread = false\n", "rw-r--r--");
    if (setUp.hasToken()) {
      write(etc.resolve(ADMIN_PID + ".cfg"), "admin_token = " + TOKEN + "\n", "rw-------");
      await("the admin_token in force", () -> send(anonymous("GET", "/handlers")).status() == 401);
    }
    for (String name : List.of("vault", "leaky", "flood", "headvictim", "poll")) {
      await("handler '" + name + "' listed", () -> handler(name) != null);
    }
    await("audio_dirs applied to stt", () -> {
      JsonNode config = config("stt");
      return config != null && config.path("audio_dirs").toString().contains(audio.toString());
    });
  }

  /** A loopback port nothing listens on (one the system just gave out and took back). */
  private static int closedPort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  // ---- requests --------------------------------------------------------------------------------

  /** A request of a client the server lets in: the honest Host, and the token when one is set. */
  RawHttp.Request request(String method, String path) {
    RawHttp.Request request = http.request(method, path);
    return setUp.hasToken() ? request.header("Authorization", "Bearer " + TOKEN) : request;
  }

  /** A request with the honest Host and no token: what a page or a stranger sends. */
  RawHttp.Request anonymous(String method, String path) {
    return http.request(method, path);
  }

  RawHttp.Answer send(RawHttp.Request request) {
    return http.send(request);
  }

  RawHttp.Answer get(String path) {
    return send(request("GET", path));
  }

  /** {@code ", with the token"} in set-up (c), for what was sent. */
  String withToken() {
    return setUp.hasToken() ? " (with the token)" : "";
  }

  /** A handler as {@code GET /handlers/{name}} shows it to the owner, or null when there is none. */
  JsonNode handler(String name) {
    RawHttp.Answer answer = get("/handlers/" + name);
    return answer.status() == 200 ? parse(answer.body()) : null;
  }

  /** A handler's configuration in force, or null when there is no such handler. */
  JsonNode config(String name) {
    RawHttp.Answer answer = get("/handlers/" + name + "/config");
    return answer.status() == 200 ? parse(answer.body()) : null;
  }

  /** A counter of a handler's stats. */
  long stat(String name, String key) {
    JsonNode handler = handler(name);
    if (handler == null) {
      throw new AssertionError("no handler '" + name + "'");
    }
    return handler.path("stats").path(key).asLong();
  }

  JsonNode parse(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }

  String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The owner feeds an item (set-ups that allow writes), and waits for its result to be waiting. */
  void feedAndAwaitResult(String handler, String item) {
    long waiting = stat(handler, "result_queue_size");
    RawHttp.Answer fed = send(request("POST", "/handlers/" + handler + "/feed").json("{\"item\": " + toJson(item) + "}"));
    if (fed.status() != 200 || !parse(fed.body()).path("accepted").asBoolean()) {
      throw new AssertionError("the owner could not feed " + handler + ": " + fed);
    }
    await("a result of " + handler + " waiting", () -> stat(handler, "result_queue_size") == waiting + 1);
  }

  /** The owner takes a result back (leaves the handler as it was). */
  void takeResult(String handler) {
    get("/handlers/" + handler + "/result?timeout=5");
  }

  /** The requests the victim server received since this was last asked. */
  List<JsonServer.Request> newVictimRequests() throws InterruptedException {
    List<JsonServer.Request> requests = new ArrayList<>();
    while (victimSeen < victim.requestCount()) {
      requests.add(victim.take());
      victimSeen++;
    }
    return requests;
  }

  // ---- evidence --------------------------------------------------------------------------------

  Path etcFile(String pid, String name) {
    return etc.resolve(pid + "-" + name + ".cfg");
  }

  /** Threads of the runtime's process now, from {@code /proc/<pid>/task}. */
  int threads() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
      return (int) tasks.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The log files, oldest first ({@code maverick.log.2}, {@code .1}, {@code maverick.log}). */
  List<Path> logFiles() {
    List<Path> files = new ArrayList<>();
    for (int i = LOG_FILES + 2; i >= 1; i--) {
      Path rotated = dir.resolve("log/maverick.log." + i);
      if (Files.exists(rotated)) {
        files.add(rotated);
      }
    }
    files.add(dir.resolve("log/maverick.log"));
    return files;
  }

  /** The whole log, every file, oldest first. */
  String log() {
    StringBuilder text = new StringBuilder();
    logFiles().forEach(file -> text.append(read(file)));
    return text.toString();
  }

  /** What the log gained since {@code before} (an earlier {@link #log()}), even across a rotation. */
  String logSince(String before) {
    String now = log();
    String anchor = before.length() > 300 ? before.substring(before.length() - 300) : before;
    int at = anchor.isEmpty() ? -1 : now.lastIndexOf(anchor);
    return at < 0 ? now : now.substring(at + anchor.length());
  }

  /** Lines of a stack trace in this text. */
  static int stackTraceLines(String text) {
    return RuntimeProcess.occurrences(text, "\n\tat ") + RuntimeProcess.occurrences(text, "\nCaused by: ");
  }

  static String mode(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      return "(" + e.getClass().getSimpleName() + ")";
    }
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(Path file) {
    try {
      return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a file whole, as editors do (a new file moved into place), with this mode: FileInstall
   * must never read half a configuration.
   */
  static void write(Path file, String text, String mode) throws IOException {
    Path part = file.resolveSibling("." + file.getFileName() + ".part");
    Files.writeString(part, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(part, PosixFilePermissions.fromString(mode));
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Waits for a condition, failing after {@link RuntimeProcess#STEP} (or when the runtime exits). */
  void await(String what, BooleanSupplier condition) {
    process.await(what, RuntimeProcess.STEP, condition);
  }

  /** Waits for a condition up to {@code timeout}; says whether it came (an attack may prevent it). */
  boolean awaitQuietly(Duration timeout, BooleanSupplier condition) {
    try {
      process.await("a condition", timeout, condition);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /** A mono 16-bit PCM WAV file of silence. */
  static byte[] silentWav(int sampleRate, int samples) {
    int data = samples * 2;
    ByteBuffer wav = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data).put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII))
        .putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2)
        .putShort((short) 2).putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
    return wav.array();
  }

  @Override
  public void close() throws Exception {
    try {
      if (process.isAlive()) {
        process.terminate();
      }
    } finally {
      process.close();
      victim.close();
      thief.close();
    }
  }
}
