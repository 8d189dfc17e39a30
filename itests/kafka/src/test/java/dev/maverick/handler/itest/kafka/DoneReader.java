package dev.maverick.handler.itest.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maverick.handler.testing.kafka.OrderChecker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The checker of the two-runtime test: reads the topic {@code done} from its beginning, outside any
 * consumer group, on a thread of its own while the graph runs, and keeps for every item (key,
 * sequence number) each copy that arrived: which runtime produced it (the {@code runtime} extra its
 * wire adds) and which record of {@code work} it was made from ({@code partition}, {@code offset},
 * the source's extras that echo keeps in its result's {@code meta}).
 *
 * <p>A record of {@code done} is echo's result for the source's result, which is the upstream
 * echo's result for the item fed: {@code {"echo": {"echo": {"seq": n}, ...}, "meta": {...}}}.
 */
final class DoneReader implements AutoCloseable {
  /** One copy of an item in {@code done}. */
  record Copy(String runtime, int workPartition, long workOffset) {}

  private final ObjectMapper json = new ObjectMapper();
  private final OrderChecker checker = new OrderChecker();
  private final Map<String, List<Copy>> copies = new HashMap<>();
  private final Map<String, Long> perRuntime = new TreeMap<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile long lastRecordNanos = System.nanoTime();

  DoneReader(String bootstrapServers, String topic) {
    consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "enable.auto.commit", false,
        "auto.offset.reset", "earliest", "client.id", "done-checker"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo partition : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
      partitions.add(new TopicPartition(topic, partition.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::read, "done-checker");
    thread.setDaemon(true);
    thread.start();
  }

  private void read() {
    try {
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          take(record);
          lastRecordNanos = System.nanoTime();
        }
      }
    } catch (Throwable e) {
      failure.set(e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void take(ConsumerRecord<byte[], byte[]> record) {
    JsonNode value;
    try {
      value = json.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON in done: " + new String(record.value(), StandardCharsets.UTF_8), e);
    }
    String key = new String(record.key(), StandardCharsets.UTF_8);
    long sequence = value.path("echo").path("echo").path("seq").asLong(-1);
    JsonNode meta = value.path("meta");
    Copy copy = new Copy(meta.path("runtime").asText("?"), meta.path("partition").asInt(-1),
        meta.path("offset").asLong(-1));
    synchronized (this) {
      checker.accept(key, sequence);
      copies.computeIfAbsent(key + "#" + sequence, k -> new ArrayList<>(1)).add(copy);
      perRuntime.merge(copy.runtime(), 1L, Long::sum);
    }
  }

  /** Distinct items read so far. */
  long distinct() {
    rethrow();
    return checker.distinct();
  }

  /** How long nothing has arrived. */
  Duration idle() {
    return Duration.ofNanos(System.nanoTime() - lastRecordNanos);
  }

  OrderChecker checker() {
    rethrow();
    return checker;
  }

  /** Every item's copies, by {@code key#sequence}. */
  synchronized Map<String, List<Copy>> copies() {
    Map<String, List<Copy>> snapshot = new HashMap<>();
    copies.forEach((item, list) -> snapshot.put(item, List.copyOf(list)));
    return snapshot;
  }

  /** Records read, by the runtime that produced them. */
  synchronized Map<String, Long> perRuntime() {
    return new TreeMap<>(perRuntime);
  }

  private void rethrow() {
    Throwable error = failure.get();
    if (error != null) {
      throw new AssertionError("the checker of done failed", error);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join(10_000);
  }
}
