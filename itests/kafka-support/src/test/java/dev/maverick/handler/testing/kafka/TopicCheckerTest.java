package dev.maverick.handler.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TopicCheckerTest {

  @Test
  void readsEveryPartitionOfAKeyedTopicAndFindsTheReplays() throws Exception {
    String bootstrap = KafkaBroker.shared().bootstrapServers();
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
}
