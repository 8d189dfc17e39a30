package dev.maverick.handler.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

  @Test
  void aBrokerServesStopsKeepsItsDataAcrossARestartAndLeavesNothingBehind() throws Exception {
    KafkaBroker broker = KafkaBroker.builder().partitions(4).start();
    try {
      assertThat(broker.lastStartTime()).isPositive();
      long firstPid = broker.pid().orElseThrow();
      theTopicCheckerReadsEveryPartitionOfAKeyedTopicAndFindsTheReplays(broker.bootstrapServers());
      produce(broker.bootstrapServers(), "before");
      assertThat(consumeAll(broker.bootstrapServers())).containsExactly("before");

      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).as("the broker's process is gone")
          .isNotEqualTo(java.util.Optional.of(true));

      KafkaBroker handle = KafkaBroker.attach(broker.directory());
      handle.start();
      assertThat(handle.bootstrapServers()).isEqualTo(broker.bootstrapServers());
      assertThat(broker.isRunning()).as("every handle sees the restarted process").isTrue();
      produce(broker.bootstrapServers(), "after");
      assertThat(consumeAll(broker.bootstrapServers())).as("the data survived the restart")
          .containsExactly("before", "after");
    } finally {
      broker.close();
    }
    assertThat(broker.isRunning()).isFalse();
    assertThat(Files.exists(broker.directory())).isFalse();
  }

  /** On the same broker: one broker start for the module's tests. */
  private static void theTopicCheckerReadsEveryPartitionOfAKeyedTopicAndFindsTheReplays(String bootstrap)
      throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
        new StringSerializer(), new StringSerializer())) {
      for (int robot = 0; robot < 8; robot++) {
        for (long sequence : new long[] {0, 1, 2, 1, 2, 3}) {
          producer.send(new ProducerRecord<>("done", "robot-" + robot, Long.toString(sequence)));
        }
      }
      producer.flush();
    }
    OrderChecker checker = TopicChecker.check(bootstrap, "done",
        value -> Long.parseLong(new String(value, StandardCharsets.UTF_8)), 32, Duration.ofMillis(300),
        Duration.ofSeconds(30));
    assertThat(checker.records()).isEqualTo(48);
    assertThat(checker.duplicates()).isEqualTo(16);
    assertThat(checker.violations()).isEmpty();
  }

  private static void produce(String bootstrap, String value) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(
        Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("t", "k", value)).get();
    }
  }

  private static List<String> consumeAll(String bootstrap) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "group.id", "g-" + System.nanoTime(), "auto.offset.reset", "earliest"), new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of("t"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
        if (!values.isEmpty() && consumer.poll(Duration.ofMillis(300)).isEmpty()) {
          break;
        }
      }
    }
    return values;
  }
}
