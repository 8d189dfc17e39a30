package dev.maverick.handler.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.ds.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaSinkHandlerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<KafkaSinkHandler> handlers = new ArrayList<>();

  @AfterEach
  void closeHandlers() {
    handlers.forEach(KafkaSinkHandler::close);
  }

  @Test
  void eachItemIsProducedAsJsonAndCountsProcessedWithItsPositionAsResult() throws Exception {
    String topic = TestKafka.createTopic("sink", 1);
    KafkaSinkHandler sink = sink(topic, Map.of());
    assertThat(sink.feed(Map.of("robot", "r1", "text", "hello"))).isTrue();
    assertThat(sink.feed("plain text")).isTrue();

    assertThat(sink.getResult(WAIT)).hasValue(Map.of("topic", topic, "partition", 0, "offset", 0L));
    assertThat(sink.getResult(WAIT)).hasValue(Map.of("topic", topic, "partition", 0, "offset", 1L));
    HandlerStats stats = Eventually.balanced(sink);
    assertThat(stats.processedCount()).isEqualTo(2);
    assertThat(stats.details()).containsEntry("acknowledged", 2L).containsEntry("sent", 2L);

    List<ConsumerRecord<byte[], byte[]>> records = TestKafka.read(topic, 2);
    assertThat(text(records.get(0).value())).startsWith("{").contains("\"robot\":\"r1\"").contains("\"text\":\"hello\"");
    assertThat(text(records.get(1).value())).isEqualTo("\"plain text\"");
    assertThat(text(records.get(0).headers().lastHeader("content-type").value())).isEqualTo("application/json");
    assertThat(records.get(0).key()).isNull();
  }

  @Test
  void bytesAreProducedAsTheyAre() throws Exception {
    String topic = TestKafka.createTopic("sink-bytes", 1);
    KafkaSinkHandler sink = sink(topic, Map.of());
    byte[] audio = {0, 1, 2, (byte) 0xff};
    sink.generate(audio);
    ConsumerRecord<byte[], byte[]> record = TestKafka.read(topic, 1).get(0);
    assertThat(record.value()).isEqualTo(audio);
    assertThat(text(record.headers().lastHeader("content-type").value())).isEqualTo("application/octet-stream");
  }

  @Test
  void recordsOfOneKeyGoToOnePartitionInTheOrderTheyWereFed() throws Exception {
    String topic = TestKafka.createTopic("sink-keys", 4);
    KafkaSinkHandler sink = sink(topic, Map.of("key", "robot", "max_queue_size", 0));
    int robots = 6;
    int each = 40;
    for (int seq = 0; seq < each; seq++) {
      for (int robot = 0; robot < robots; robot++) {
        assertThat(sink.feed(Map.of("seq", seq), Map.of("robot", "r" + robot))).isTrue();
      }
    }
    Eventually.until("every item produced", () -> sink.stats().processedCount() == robots * each);
    Map<String, Integer> partitionOf = new HashMap<>();
    Map<String, Integer> lastSeq = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : TestKafka.read(topic, robots * each)) {
      String robot = text(record.key());
      assertThat(partitionOf.computeIfAbsent(robot, r -> record.partition())).as("one partition per key")
          .isEqualTo(record.partition());
      int seq = Integer.parseInt(text(record.value()).replaceAll("\\D", ""));
      assertThat(seq).as("in feed order for " + robot).isEqualTo(lastSeq.getOrDefault(robot, -1) + 1);
      lastSeq.put(robot, seq);
    }
    assertThat(lastSeq).hasSize(robots).allSatisfy((robot, seq) -> assertThat(seq).isEqualTo(each - 1));
    assertThat(partitionOf.values()).as("six keys spread over several of the four partitions").hasSizeGreaterThan(1);
  }

  @Test
  void theKeyMayBeAFieldOfTheItemAndAnItemWithoutItFails() throws Exception {
    String topic = TestKafka.createTopic("sink-field", 1);
    KafkaSinkHandler sink = sink(topic, Map.of("key", "meta.robot"));
    sink.generate(Map.of("echo", "hi", "meta", Map.of("robot", "r9")));
    assertThat(text(TestKafka.read(topic, 1).get(0).key())).isEqualTo("r9");

    assertThatThrownBy(() -> sink.generate(Map.of("echo", "no robot")))
        .hasMessageContaining("the item has no key").hasMessageContaining("'meta.robot'");
    assertThat(sink.stats().details()).containsEntry("sent", 1L);
  }

  @Test
  void aRecordKafkaRefusesErrorsTheItemWithKafkasReasonAndTheNextGoesThrough() throws Exception {
    String topic = TestKafka.createTopic("sink-refused", 1);
    KafkaSinkHandler sink = sink(topic, Map.of("client_properties", "max.request.size=2000"));
    assertThat(sink.feed("x".repeat(5000))).isTrue();
    assertThat(sink.feed("small")).isTrue();
    assertThat(sink.getResult(WAIT)).hasValueSatisfying(result -> assertThat(result).containsEntry("offset", 0L));
    HandlerStats stats = Eventually.balanced(sink);
    assertThat(stats.itemErrorCount()).isEqualTo(1);
    assertThat(stats.processedCount()).isEqualTo(1);
    assertThat(stats.details()).containsEntry("failed", 1L).containsEntry("acknowledged", 1L);
    assertThat(TestKafka.read(topic, 1)).hasSize(1);
  }

  @Test
  void aFailureIsReportedUntilARecordGoesThrough() throws Exception {
    String topic = TestKafka.createTopic("sink-warn", 1);
    KafkaSinkHandler sink = sink(topic, Map.of("client_properties", "max.request.size=2000"));
    assertThatThrownBy(() -> sink.generate("x".repeat(5000))).hasMessageContaining("RecordTooLargeException")
        .hasMessageContaining("producing to topic '" + topic + "'");
    assertThat(warnings(sink)).singleElement().asString().startsWith("the last record failed")
        .contains("RecordTooLargeException");
    sink.generate("small");
    assertThat(warnings(sink)).isEmpty();
  }

  @Test
  void nothingConnectsBeforeTheFirstItemAndCloseEndsTheProducersThread() throws Exception {
    String topic = TestKafka.createTopic("sink-threads", 1);
    KafkaSinkHandler sink = sink(topic, Map.of());
    String producerThread = "kafka-producer-network-thread | " + sink.name();
    assertThat(TestKafka.threadsNamed(producerThread)).isEmpty();
    sink.generate("one");
    assertThat(TestKafka.threadsNamed(producerThread)).hasSize(1);
    sink.close();
    assertThat(TestKafka.threadsNamed(producerThread)).isEmpty();
    assertThat(sink.liveThreads()).isEmpty();
  }

  @Test
  void aNewTopicTakesEffectOnTheLiveHandler() throws Exception {
    String first = TestKafka.createTopic("sink-a", 1);
    String second = TestKafka.createTopic("sink-b", 1);
    KafkaSinkHandler sink = sink(first, Map.of());
    sink.generate("to a");
    Map<String, Object> changed = KafkaSinkKindTest.sink(Map.of("bootstrap_servers", TestKafka.bootstrap(), "topic", second));
    sink.reconfigure(new KafkaSinkKind().validate(changed));
    assertThat(sink.generate("to b")).containsEntry("topic", second);
    assertThat(text(TestKafka.read(second, 1).get(0).value())).isEqualTo("\"to b\"");
  }

  static List<String> warnings(KafkaSinkHandler sink) {
    return sink.stats().warnings();
  }

  private KafkaSinkHandler sink(String topic, Map<String, Object> own) {
    Map<String, Object> properties = KafkaSinkKindTest.sink(own);
    properties.put("bootstrap_servers", TestKafka.bootstrap());
    properties.put("topic", topic);
    properties.put("name", TestKafka.uniqueName("sink"));
    KafkaSinkHandler sink = new KafkaSinkHandler(new KafkaSinkKind().validate(properties));
    handlers.add(sink);
    return sink;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
