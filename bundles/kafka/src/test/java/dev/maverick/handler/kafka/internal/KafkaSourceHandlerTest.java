package dev.maverick.handler.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.ResultReader;
import dev.maverick.handler.TakenResult;
import dev.maverick.handler.ds.testing.Eventually;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaSourceHandlerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<KafkaSourceHandler> handlers = new ArrayList<>();

  @AfterEach
  void closeHandlers() {
    handlers.forEach(KafkaSourceHandler::close);
  }

  @Test
  void eachRecordIsPublishedWithItsPositionAndKeyInTheExtras() throws Exception {
    String topic = TestKafka.createTopic("source", 1);
    TestKafka.produce(topic, "r1", "{\"text\": \"hello\"}", "not json");
    KafkaSourceHandler source = source(topic, TestKafka.uniqueName("g"), Map.of());

    try (ResultReader<Object> reader = source.claimResults("test")) {
      TakenResult<Object> first = reader.take(WAIT).orElseThrow();
      assertThat(first.result()).isEqualTo(Map.of("text", "hello"));
      assertThat(extras(first)).containsEntry("topic", topic).containsEntry("partition", 0).containsEntry("offset", 0L)
          .containsEntry("key", "r1").containsKey("timestamp").containsKey("assignment").doesNotContainKey("redelivered");
      TakenResult<Object> second = reader.take(WAIT).orElseThrow();
      assertThat((byte[]) second.result()).isEqualTo("not json".getBytes(StandardCharsets.UTF_8));
      assertThat(extras(second)).containsEntry("offset", 1L);
      first.settle();
      second.settle();
    }
    HandlerStats stats = source.stats();
    assertThat(stats.processedCount()).isEqualTo(2);
    assertThat(stats.producedCount()).isEqualTo(2);
    assertThat(stats.details()).containsEntry("published", 2L).containsEntry("redelivered", 0L)
        .containsEntry("state", "running");
  }

  @Test
  void resultsSettledOutOfOrderCommitOnlyTheRunThatHasSettledFromTheStart() throws Exception {
    String topic = TestKafka.createTopic("source-settle", 1);
    String group = TestKafka.uniqueName("g");
    TestKafka.produce(topic, null, values(4));
    KafkaSourceHandler source = source(topic, group, Map.of());
    try (ResultReader<Object> reader = source.claimResults("a wire")) {
      List<TakenResult<Object>> taken = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        taken.add(reader.take(WAIT).orElseThrow());
      }
      taken.get(2).settle();
      taken.get(1).settle();
      Eventually.until("the settles seen", () -> (long) source.stats().details().get("settled") == 2);
      waitOneCommitInterval();
      assertThat(TestKafka.committed(group, topic)).as("the first record is not delivered yet").isEmpty();

      taken.get(0).settle();
      Eventually.until("0, 1 and 2 committed", () -> TestKafka.committed(group, topic).equals(Optional.of(3L)));
      taken.get(3).settle();
      Eventually.until("all committed", () -> TestKafka.committed(group, topic).equals(Optional.of(4L)));
    }
    assertThat(source.stats().details()).containsEntry("stale_settles", 0L).containsEntry("in_flight", 0L);
  }

  @Test
  void anOffsetIsCommittedOnlyOnceItsResultHasBeenTaken() throws Exception {
    String topic = TestKafka.createTopic("source-commit", 1);
    String group = TestKafka.uniqueName("g");
    TestKafka.produce(topic, null, values(10));
    KafkaSourceHandler source = source(topic, group, Map.of());
    Eventually.until("all ten published", () -> source.stats().resultQueueSize() == 10);
    assertThat(TestKafka.committed(group, topic)).as("nothing taken, nothing committed").isEmpty();

    for (int i = 0; i < 4; i++) {
      assertThat(source.getResult(WAIT)).isPresent();
    }
    Eventually.until("the four taken committed", () -> TestKafka.committed(group, topic).equals(Optional.of(4L)));
    // the other six stay uncommitted for as long as nobody takes them
    assertThat(source.stats().details()).containsEntry("in_flight", 6L);
    assertThat(TestKafka.committed(group, topic)).hasValue(4L);

    while (source.getResult(Duration.ZERO).isPresent()) {
      // take the rest
    }
    Eventually.until("all ten committed", () -> TestKafka.committed(group, topic).equals(Optional.of(10L)));
    assertThat(source.stats().details()).containsEntry("in_flight", 0L).containsEntry("settled", 10L);
  }

  @Test
  void atMaxInFlightTheSourcePausesItsPartitionsDropsNothingAndResumesWhenResultsAreTaken() throws Exception {
    String topic = TestKafka.createTopic("source-pause", 2);
    TestKafka.produce(topic, "a", values("a", 60));
    TestKafka.produce(topic, "b", values("b", 60));
    // four records a poll: the partitions' other records stay in Kafka while they are paused
    KafkaSourceHandler source = source(topic, TestKafka.uniqueName("g"), Map.of("max_in_flight", 8,
        "client_properties", "max.poll.records=4"));

    Eventually.until("paused at eight results in flight, the rest left in Kafka",
        () -> "paused".equals(source.stats().details().get("state")) && source.stats().resultQueueSize() == 8
            && (long) source.stats().details().get("lag") >= 100);
    Map<String, Object> paused = source.stats().details();
    assertThat(paused.get("in_flight")).isEqualTo(8L);
    assertThat((int) paused.get("held")).as("at most one poll's records wait in the source").isLessThanOrEqualTo(4);
    assertThat((long) paused.get("pauses")).isPositive();
    assertThat(source.stats().droppedCount()).isZero();

    // eight at a time: each time, the source resumes, fetches, publishes eight and pauses again
    List<String> taken = new ArrayList<>();
    for (int cycle = 0; cycle < 15; cycle++) {
      int round = cycle;
      Eventually.until("paused with eight in flight, cycle " + round, () -> source.stats().resultQueueSize() == 8
          && "paused".equals(source.stats().details().get("state")));
      for (int i = 0; i < 8; i++) {
        taken.add(new String((byte[]) source.getResult(Duration.ZERO).orElseThrow(), StandardCharsets.UTF_8));
      }
    }
    assertThat(taken).as("every record once, none dropped").hasSize(120).doesNotHaveDuplicates()
        .containsAll(List.of(values("a", 60))).containsAll(List.of(values("b", 60)));
    assertThat(taken.stream().filter(value -> value.startsWith("a"))).as("in order within the key")
        .containsExactly(values("a", 60));
    HandlerStats stats = Eventually.balanced(source);
    assertThat(stats.droppedCount()).isZero();
    assertThat(stats.dropped(DropReason.RESULT_QUEUE_FULL)).isZero();
    assertThat((long) stats.details().get("pauses")).as("paused once per eight records").isGreaterThanOrEqualTo(15);
    Eventually.until("running again", () -> "running".equals(source.stats().details().get("state")));
  }

  @Test
  void recordsNotTakenBeforeCloseAreReadAgainByTheNextSourceOfTheGroupAndCountedAsRedelivered() throws Exception {
    String topic = TestKafka.createTopic("source-redeliver", 1);
    String group = TestKafka.uniqueName("g");
    TestKafka.produce(topic, null, values(10));
    KafkaSourceHandler first = source(topic, group, Map.of("shutdown_timeout", 1));
    Eventually.until("all ten published", () -> first.stats().resultQueueSize() == 10);
    for (int i = 0; i < 3; i++) {
      first.getResult(WAIT).orElseThrow();
    }
    first.close();
    assertThat(TestKafka.committed(group, topic)).hasValue(3L);

    KafkaSourceHandler second = source(topic, group, Map.of());
    List<String> again = new ArrayList<>();
    try (ResultReader<Object> reader = second.claimResults("test")) {
      for (int i = 0; i < 7; i++) {
        TakenResult<Object> taken = reader.take(WAIT).orElseThrow();
        assertThat(extras(taken)).containsEntry("redelivered", true);
        again.add(new String((byte[]) taken.result(), StandardCharsets.UTF_8));
        taken.settle();
      }
    }
    assertThat(again).containsExactly("v3", "v4", "v5", "v6", "v7", "v8", "v9");
    assertThat(second.stats().details()).containsEntry("redelivered", 7L);
  }

  @Test
  void closeCommitsWhatWasTakenWhileItDrainsAndLeavesNoThread() throws Exception {
    String topic = TestKafka.createTopic("source-close", 1);
    String group = TestKafka.uniqueName("g");
    TestKafka.produce(topic, null, values(5));
    KafkaSourceHandler source = source(topic, group, Map.of());
    Eventually.until("all five published", () -> source.stats().resultQueueSize() == 5);
    assertThat(TestKafka.threadsNamed(source.name() + "-source")).hasSize(1);
    assertThat(TestKafka.threadsNamed("kafka-coordinator-heartbeat-thread | " + group)).hasSize(1);
    source.getResult(WAIT).orElseThrow();
    source.close();
    assertThat(TestKafka.committed(group, topic)).hasValue(1L);
    assertThat(source.liveThreads()).isEmpty();
    assertThat(TestKafka.threadsNamed(source.name())).isEmpty();
    assertThat(TestKafka.threadsNamed("kafka-coordinator-heartbeat-thread | " + group)).isEmpty();
    assertThat(source.stats().details()).containsEntry("state", "not started");
  }

  @Test
  void aSourceTakesNoItems() throws Exception {
    KafkaSourceHandler source = source(TestKafka.createTopic("source-feed", 1), TestKafka.uniqueName("g"), Map.of());
    assertThat(source.feed("item")).isFalse();
    assertThat(source.stats().dropped(DropReason.INVALID)).isEqualTo(1);
    assertThatThrownBy(() -> source.generate("item")).hasMessageContaining("a kafka_source takes no items");
  }

  @Test
  void aBrokerThatCannotBeReachedIsWarnedAbout() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = socket.getLocalPort();
    }
    Map<String, Object> properties = KafkaSourceKindTest.source(Map.of("bootstrap_servers", "127.0.0.1:" + deadPort,
        "topic", "nowhere", "group", TestKafka.uniqueName("g"), "name", TestKafka.uniqueName("source")));
    KafkaSourceHandler source = new KafkaSourceHandler(new KafkaSourceKind().validate(properties));
    handlers.add(source);
    source.start();
    Eventually.until("the warning", () -> warnings(source).stream().anyMatch(w -> w.startsWith("broker unreachable")));
    assertThat(warnings(source)).anySatisfy(w -> assertThat(w).contains("127.0.0.1:" + deadPort));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> extras(TakenResult<?> taken) {
    return (Map<String, Object>) taken.extra();
  }

  static List<String> warnings(KafkaSourceHandler source) {
    return source.stats().warnings();
  }

  /** Lets the poll loop pass its commit point at least once, so that a commit that must not happen would have. */
  private static void waitOneCommitInterval() throws InterruptedException {
    Thread.sleep(3 * SourceLoop.COMMIT_INTERVAL_MILLIS);
  }

  static String[] values(int count) {
    return values("v", count);
  }

  static String[] values(String prefix, int count) {
    String[] values = new String[count];
    for (int i = 0; i < count; i++) {
      values[i] = prefix + i;
    }
    return values;
  }

  private KafkaSourceHandler source(String topic, String group, Map<String, Object> own) {
    Map<String, Object> properties = KafkaSourceKindTest.source(own);
    properties.put("bootstrap_servers", TestKafka.bootstrap());
    properties.put("topic", topic);
    properties.put("group", group);
    properties.put("name", TestKafka.uniqueName("source"));
    KafkaSourceHandler source = new KafkaSourceHandler(new KafkaSourceKind().validate(properties));
    handlers.add(source);
    source.start();
    return source;
  }
}
