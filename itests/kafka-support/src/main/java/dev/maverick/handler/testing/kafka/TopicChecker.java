package dev.maverick.handler.testing.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a keyed topic from its beginning, outside any consumer group (so it changes no committed
 * offset), and checks it with an {@link OrderChecker}: the records' keys are the stream's keys,
 * and {@code sequenceOf} finds each record's sequence number in its value.
 */
public final class TopicChecker {
  private TopicChecker() {}

  /**
   * Reads until {@code expectedDistinct} distinct items have been seen and then nothing more came
   * for {@code quiet} (so that late duplicates are counted too), or nothing came for
   * {@code patience}.
   *
   * @return the checker with everything read
   */
  public static OrderChecker check(String bootstrapServers, String topic, ToLongFunction<byte[]> sequenceOf,
      long expectedDistinct, Duration quiet, Duration patience) {
    OrderChecker checker = new OrderChecker();
    Map<String, Object> settings = Map.of("bootstrap.servers", bootstrapServers, "enable.auto.commit", false,
        "auto.offset.reset", "earliest", "client.id", "topic-checker");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo partition : consumer.partitionsFor(topic, patience)) {
        partitions.add(new TopicPartition(topic, partition.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long lastRecord = System.nanoTime();
      while (true) {
        boolean any = false;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          any = true;
          String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
          checker.accept(key, sequenceOf.applyAsLong(record.value()));
        }
        long now = System.nanoTime();
        if (any) {
          lastRecord = now;
        }
        Duration idle = Duration.ofNanos(now - lastRecord);
        if ((checker.distinct() >= expectedDistinct && idle.compareTo(quiet) >= 0) || idle.compareTo(patience) >= 0) {
          return checker;
        }
      }
    }
  }
}
