package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.testing.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The module's broker and plain kafka-clients helpers, to set up and look at what the handlers do. */
final class TestKafka {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private TestKafka() {}

  /** The broker of this test JVM. */
  static String bootstrap() {
    return KafkaBroker.shared().bootstrapServers();
  }

  /** A topic name no other test uses. */
  static String uniqueName(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
  }

  /** Creates a topic with that many partitions and waits until it is there. */
  static String createTopic(String prefix, int partitions) throws Exception {
    String topic = uniqueName(prefix);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    return topic;
  }

  /** Produces string values (no content-type header: as another producer would), keyed. */
  static void produce(String topic, String key, String... values) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap()),
        new StringSerializer(), new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
      }
    }
  }

  /** Reads a topic from its start, outside any group, until {@code count} records came. */
  static List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap(),
        "enable.auto.commit", false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  /** The positions a group has committed on a topic's partitions (absent: none). */
  static Map<Integer, Long> committed(String group, String topic, int partitions) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap(),
        "group.id", group, "enable.auto.commit", false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Set<TopicPartition> all = new java.util.HashSet<>();
      for (int p = 0; p < partitions; p++) {
        all.add(new TopicPartition(topic, p));
      }
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(all, Duration.ofSeconds(30));
      return committed.entrySet().stream().filter(entry -> entry.getValue() != null)
          .collect(Collectors.toMap(entry -> entry.getKey().partition(), entry -> entry.getValue().offset()));
    }
  }

  /** The committed position of partition 0, if any. */
  static Optional<Long> committed(String group, String topic) {
    return Optional.ofNullable(committed(group, topic, 1).get(0));
  }

  /** Live threads whose name contains {@code part}. */
  static List<String> threadsNamed(String part) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.contains(part)).toList();
  }
}
