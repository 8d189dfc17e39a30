package dev.maverick.handler.itest.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.maverick.handler.itest.runtime.RuntimeProcess;
import dev.maverick.handler.testing.kafka.KafkaBroker;
import dev.maverick.handler.testing.kafka.OrderChecker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.Test;

/**
 * A graph over three runtimes in three processes (the runnable jar) and a broker: runtime A wires
 * {@code upper} (an echo handler, where items enter) to {@code kafka_sink(topic=work)}; runtimes B1
 * and B2 each wire {@code kafka_source(topic=work, group=g)} to {@code echo} and echo to
 * {@code kafka_sink(topic=done)}; a checker reads {@code done}. 20,000 keyed items; B2 is killed
 * with {@code kill -9} when half of them have reached {@code done}, and started again.
 *
 * <p>Every item reaches {@code done} at least once, in order per key; the duplicates are counted,
 * and each is a record of a partition B2 held at the kill, at or past the offset committed for it
 * then (read right after the kill, before the group hands the partition on), that B2 had
 * delivered to {@code done}; the books of every runtime that is alive at the end balance, and
 * what each runtime's sink acknowledged is what {@code done} holds from it.
 *
 * <p>The runtimes differ in one line: the wire from the source to echo adds the extra
 * {@code runtime} (b1, b2, then b2-again), which echo keeps in its result, so that the checker
 * knows who produced each record of {@code done}.
 */
public class TwoRuntimesIT {
  private static final int ITEMS = 20_000;
  private static final int KEYS = 16;
  private static final int FEEDERS = 16; // one per key: each POST waits for its answer, so feeders set the pace
  private static final int PARTITIONS = 4;
  private static final String WORK = "work";
  private static final String DONE = "done";
  private static final String GROUP = "g";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final List<String> JVM = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  public void everyItemReachesDoneInOrderPerKeyWhenAConsumerRuntimeIsKilledAndStartedAgain() throws Exception {
    long began = System.nanoTime();
    Map<String, Long> phases = new java.util.LinkedHashMap<>(); // seconds since the start, for the report
    String bootstrap = KafkaBroker.shared().bootstrapServers();
    phases.put("broker", seconds(began));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(WORK, PARTITIONS, (short) 1), new NewTopic(DONE, PARTITIONS,
          (short) 1))).all().get();
    }
    Path root = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("maverick.itest.work",
        "target/itest-work"))), "two-runtimes-");
    Path a = configure(root.resolve("a"), producerRuntime(bootstrap));
    Path b1 = configure(root.resolve("b1"), consumerRuntime(bootstrap, "b1"));
    Path b2 = configure(root.resolve("b2"), consumerRuntime(bootstrap, "b2"));
    List<RuntimeProcess> started = new ArrayList<>();
    ExecutorService feeders = Executors.newFixedThreadPool(FEEDERS);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        DoneReader done = new DoneReader(bootstrap, DONE)) {
      RuntimeProcess runtimeA = start(started, a);
      RuntimeProcess runtimeB1 = start(started, b1);
      RuntimeProcess runtimeB2 = start(started, b2);
      runtimeA.awaitReady();
      runtimeA.awaitLog("wire 'up' reads the results of 'upper'");
      for (RuntimeProcess b : List.of(runtimeB1, runtimeB2)) {
        b.awaitReady();
        b.awaitLog("wire 'work' reads the results of 'from-work'");
        b.awaitLog("wire 'done' reads the results of 'echo'");
      }
      await("B1 and B2 share the partitions of work", () -> assigned(runtimeB1).size() + assigned(runtimeB2).size()
          == PARTITIONS && !assigned(runtimeB1).isEmpty() && !assigned(runtimeB2).isEmpty());

      phases.put("runtimes ready", seconds(began));
      List<Future<?>> feeding = new ArrayList<>();
      for (int feeder = 0; feeder < FEEDERS; feeder++) {
        int first = feeder;
        feeding.add(feeders.submit(() -> feed(runtimeA.httpPort, first)));
      }
      await("half of the items in done", () -> done.distinct() >= ITEMS / 2);
      List<Integer> killedPartitions = assigned(runtimeB2);
      runtimeB2.close(); // kill -9 (Process.destroyForcibly: SIGKILL)
      ProcessHandle.of(runtimeB2.pid()).ifPresent(gone -> gone.onExit().join());
      Map<Integer, Long> committedAtKill = committed(admin, killedPartitions);
      phases.put("kill", seconds(began));
      long distinctAtKill = done.distinct();

      write(b2.resolve("etc/dev.maverick.handler.wire-work.cfg"), wireToEcho("b2-again"));
      RuntimeProcess runtimeB2Again = start(started, b2);
      for (Future<?> feeder : feeding) {
        feeder.get();
      }
      phases.put("fed", seconds(began));
      runtimeB2Again.awaitReady();
      phases.put("B2 ready again", seconds(began));
      // not "every item in done", which a loss would make wait in vain: everything settled, then count
      await("every record of work committed, nothing in flight anywhere", () -> everythingCommitted(admin)
          && quiet(runtimeA, "upper", "to-work") && quiet(runtimeB1, "from-work", "echo", "to-done")
          && quiet(runtimeB2Again, "from-work", "echo", "to-done"), () -> "work: " + positions(admin) + "\nA: "
          + RuntimeBooks.read(http, runtimeA.httpPort) + "\nB1: " + RuntimeBooks.read(http, runtimeB1.httpPort)
          + "\nB2 again: " + RuntimeBooks.read(http, runtimeB2Again.httpPort));
      phases.put("all committed", seconds(began));
      await("done quiet for two seconds", () -> done.idle().compareTo(Duration.ofSeconds(2)) >= 0);

      OrderChecker checker = done.checker();
      Map<String, Long> expected = new TreeMap<>();
      for (int key = 0; key < KEYS; key++) {
        expected.put(key(key), (long) ITEMS / KEYS);
      }
      Map<String, List<DoneReader.Copy>> copies = done.copies();
      Map<String, Long> perRuntime = done.perRuntime();
      long inFlightAtKill = inFlightAtKill(copies, committedAtKill);
      String figures = "done: " + checker + ", per runtime " + perRuntime + "; B2's partitions at the kill "
          + committedAtKill + " (committed), " + inFlightAtKill + " record(s) of them in done from B2 past the "
          + "commit; " + distinctAtKill + " distinct items in done at the kill; seconds since the start: " + phases;
      System.out.println("TwoRuntimesIT: " + figures);
      assertEquals("lost: " + figures, Map.of(), checker.missing(expected));
      assertEquals("order per key: " + figures, List.of(), checker.violations());
      assertTrue("duplicates no more than was in flight at the kill: " + figures,
          checker.duplicates() <= inFlightAtKill);
      for (Map.Entry<String, List<DoneReader.Copy>> item : copies.entrySet()) {
        if (item.getValue().size() > 1) {
          assertTrue("duplicate " + item + " is a record B2 had delivered past its last commit: " + figures,
              item.getValue().stream().anyMatch(copy -> copy.runtime().equals("b2")
                  && copy.workOffset() >= committedAtKill.getOrDefault(copy.workPartition(), Long.MAX_VALUE)));
        }
      }

      RuntimeBooks booksA = RuntimeBooks.read(http, runtimeA.httpPort);
      assertEquals("A: " + booksA, List.of(), booksA.unbalanced());
      assertEquals(ITEMS, booksA.count("upper", "fed_count"));
      assertEquals(ITEMS, booksA.count("upper", "processed_count"));
      assertEquals(ITEMS, booksA.count("to-work", "processed_count"));
      assertNothingDroppedOrFailed(booksA, "upper", "to-work");
      checkConsumerBooks("B1", runtimeB1, perRuntime.getOrDefault("b1", 0L));
      checkConsumerBooks("B2 started again", runtimeB2Again, perRuntime.getOrDefault("b2-again", 0L));
      assertEquals(figures, checker.records(), perRuntime.values().stream().mapToLong(Long::longValue).sum());

      for (RuntimeProcess runtime : List.of(runtimeA, runtimeB1, runtimeB2Again)) {
        assertEquals("exit code after SIGTERM", 0, runtime.terminate());
        assertTrue(runtime.log(), runtime.log().contains("balanced=true"));
        assertTrue(runtime.log(), !runtime.log().contains("balanced=false"));
      }
    } finally {
      feeders.shutdownNow();
      started.forEach(RuntimeProcess::close);
    }
  }

  /** The books of a B runtime balance, and its sink acknowledged exactly what done holds from it. */
  private void checkConsumerBooks(String which, RuntimeProcess runtime, long inDone) {
    RuntimeBooks books = RuntimeBooks.read(http, runtime.httpPort);
    assertEquals(which + ": " + books, List.of(), books.unbalanced());
    assertNothingDroppedOrFailed(books, "from-work", "echo", "to-done");
    assertEquals(which + ": results of the source = items of echo", books.count("from-work", "results_taken_count"),
        books.count("echo", "fed_count"));
    assertEquals(which + ": results of echo = items of the sink", books.count("echo", "results_taken_count"),
        books.count("to-done", "fed_count"));
    assertEquals(which + ": acknowledged by the sink = in done from " + which, inDone,
        books.count("to-done", "processed_count"));
  }

  private static void assertNothingDroppedOrFailed(RuntimeBooks books, String... handlers) {
    for (String handler : handlers) {
      assertEquals(handler + " dropped items: " + books, 0, books.dropped(handler, "items"));
      assertEquals(handler + " errors: " + books, 0, books.count(handler, "error_count"));
    }
  }

  /** Records of done that B2 produced from records of work past what it had committed at the kill. */
  private static long inFlightAtKill(Map<String, List<DoneReader.Copy>> copies, Map<Integer, Long> committedAtKill) {
    long count = 0;
    for (List<DoneReader.Copy> item : copies.values()) {
      count += item.stream().filter(copy -> copy.runtime().equals("b2")
          && copy.workOffset() >= committedAtKill.getOrDefault(copy.workPartition(), Long.MAX_VALUE)).count();
    }
    return count;
  }

  // ---- the runtimes ---------------------------------------------------------------------------------

  private static Map<String, String> producerRuntime(String bootstrap) {
    Map<String, String> files = new HashMap<>();
    files.put("dev.maverick.handler.echo-upper.cfg", lines("name = upper", "max_queue_size = 256",
        "overflow_policy = block", "offer_timeout = 0"));
    files.put("dev.maverick.handler.kafka_sink-work.cfg", lines("name = to-work", "bootstrap_servers = " + bootstrap,
        "topic = " + WORK, "key = key", "results = false"));
    files.put("dev.maverick.handler.wire-up.cfg", lines("name = up", "from = upper", "to = to-work"));
    return files;
  }

  private static Map<String, String> consumerRuntime(String bootstrap, String runtime) {
    Map<String, String> files = new HashMap<>();
    // a dead member's partitions move on after its session times out: 6 s, the broker's least
    files.put("dev.maverick.handler.kafka_source-work.cfg", lines("name = from-work", "bootstrap_servers = "
        + bootstrap, "topic = " + WORK, "group = " + GROUP,
        "client_properties = session.timeout.ms=6000,heartbeat.interval.ms=1000"));
    // block, also for results (result_overflow_policy follows overflow_policy): the wire to the sink
    // pushes back through echo's result queue, and drop_newest there would lose what the sink is slow to take
    files.put("dev.maverick.handler.echo-echo.cfg", lines("name = echo", "overflow_policy = block",
        "offer_timeout = 0"));
    files.put("dev.maverick.handler.kafka_sink-done.cfg", lines("name = to-done", "bootstrap_servers = " + bootstrap,
        "topic = " + DONE, "key = key", "results = false"));
    files.put("dev.maverick.handler.wire-work.cfg", wireToEcho(runtime));
    files.put("dev.maverick.handler.wire-done.cfg", lines("name = done", "from = echo", "to = to-done"));
    return files;
  }

  private static String wireToEcho(String runtime) {
    return lines("name = work", "from = from-work", "to = echo", "extra = runtime=" + runtime);
  }

  private static Path configure(Path dir, Map<String, String> files) throws IOException {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    for (Map.Entry<String, String> file : files.entrySet()) {
      write(etc.resolve(file.getKey()), file.getValue());
    }
    return dir;
  }

  private static RuntimeProcess start(List<RuntimeProcess> started, Path dir) throws IOException {
    RuntimeProcess runtime = RuntimeProcess.start(java(), dir, JVM, List.of());
    started.add(runtime);
    return runtime;
  }

  /** Feeds the keys {@code first}, {@code first + FEEDERS}, ... their items in order, one at a time. */
  private Void feed(int port, int first) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/handlers/upper/feed");
    for (int sequence = 0; sequence < ITEMS / KEYS; sequence++) {
      for (int key = first; key < KEYS; key += FEEDERS) {
        String body = "{\"item\":{\"seq\":" + sequence + "},\"extra\":{\"key\":\"" + key(key) + "\"}}";
        String answer = http.send(HttpRequest.newBuilder(uri).POST(BodyPublishers.ofString(body))
            .header("Content-Type", "application/json").timeout(WAIT).build(), BodyHandlers.ofString()).body();
        if (!answer.contains("\"accepted\":true")) {
          throw new AssertionError("feed of " + body + " refused: " + answer);
        }
      }
    }
    return null;
  }

  /** The partitions of work the runtime's source holds now. */
  private List<Integer> assigned(RuntimeProcess runtime) {
    List<Integer> partitions = new ArrayList<>();
    Iterator<String> names = RuntimeBooks.read(http, runtime.httpPort).detail("from-work", "committed").fieldNames();
    names.forEachRemaining(name -> partitions.add(Integer.valueOf(name)));
    return partitions;
  }

  private boolean quiet(RuntimeProcess runtime, String... handlers) {
    RuntimeBooks books = RuntimeBooks.read(http, runtime.httpPort);
    return books.quiet(handlers) && !(List.of(handlers).contains("from-work")
        && books.detail("from-work", "in_flight").asLong(0) != 0);
  }

  private static Map<Integer, Long> committed(Admin admin, List<Integer> partitions) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
        .partitionsToOffsetAndMetadata().get();
    Map<Integer, Long> committed = new TreeMap<>();
    for (int partition : partitions) {
      OffsetAndMetadata offset = offsets.get(new TopicPartition(WORK, partition));
      committed.put(partition, offset == null ? 0L : offset.offset());
    }
    return committed;
  }

  private static boolean everythingCommitted(Admin admin) throws Exception {
    long end = 0;
    long committed = 0;
    for (List<Long> position : positions(admin).values()) {
      end += position.get(0);
      committed += position.get(1);
    }
    return end == ITEMS && committed == end;
  }

  /** Per partition of work: its end offset and the offset committed for the group. */
  private static Map<Integer, List<Long>> positions(Admin admin) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
        .partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int partition = 0; partition < PARTITIONS; partition++) {
      latest.put(new TopicPartition(WORK, partition), OffsetSpec.latest());
    }
    Map<Integer, List<Long>> positions = new TreeMap<>();
    for (var entry : admin.listOffsets(latest).all().get().entrySet()) {
      OffsetAndMetadata offset = offsets.get(entry.getKey());
      positions.put(entry.getKey().partition(), List.of(entry.getValue().offset(), offset == null ? 0 : offset.offset()));
    }
    return positions;
  }

  private static void await(String what, ThrowingCondition condition) {
    await(what, condition, () -> "");
  }

  /** Waits for {@code condition}; on a timeout, the failure says what {@code state} shows then. */
  private static void await(String what, ThrowingCondition condition, Callable<String> state) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    BooleanSupplier check = () -> {
      try {
        return condition.holds();
      } catch (Exception e) {
        throw new AssertionError("checking " + what, e);
      }
    };
    while (!check.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        String now;
        try {
          now = state.call();
        } catch (Exception e) {
          now = "(unknown: " + e + ")";
        }
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what + "\n" + now);
      }
      try {
        Thread.sleep(50); // polling step of a deadline wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  private interface ThrowingCondition {
    boolean holds() throws Exception;
  }

  private static long seconds(long since) {
    return Duration.ofNanos(System.nanoTime() - since).toSeconds();
  }

  private static String key(int key) {
    return "robot-" + key;
  }

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  private static void write(Path file, String text) throws IOException {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Files.writeString(part, text);
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
