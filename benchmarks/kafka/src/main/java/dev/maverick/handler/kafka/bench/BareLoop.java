package dev.maverick.handler.kafka.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline: a bare kafka-clients consume-transform-produce loop doing the same work as the
 * handlers, at least once as they are: poll a batch, parse each value (JSON), wrap it as the echo
 * handler does ({@code {"echo": value, "meta": {topic, partition, offset, key}}}), write it as JSON
 * to the output topic with the same key (idempotent producer, {@code acks=all}), then flush and
 * commit the batch synchronously.
 */
final class BareLoop {
  private BareLoop() {}

  static Duration run(String bootstrap, String in, String out, String group, long records) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    AtomicLong acknowledged = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long started = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "group.id", group, "enable.auto.commit", false, "auto.offset.reset", "earliest", "client.id", group),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
         KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
             "acks", "all", "enable.idempotence", true, "client.id", group + "-out"),
             new ByteArraySerializer(), new ByteArraySerializer())) {
      consumer.subscribe(java.util.List.of(in));
      long deadline = System.nanoTime() + Duration.ofMinutes(Long.getLong("maverick.bench.minutes", 10)).toNanos();
      long consumed = 0;
      while (acknowledged.get() < records) {
        if (System.nanoTime() > deadline || failure.get() != null) {
          throw new IllegalStateException("the bare loop did not finish: " + consumed + " consumed, "
              + acknowledged.get() + " acknowledged of " + records + "; assignment " + consumer.assignment(), failure.get());
        }
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        if (batch.isEmpty()) {
          continue;
        }
        consumed += batch.count();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          Map<String, Object> meta = new LinkedHashMap<>();
          meta.put("topic", record.topic());
          meta.put("partition", record.partition());
          meta.put("offset", record.offset());
          meta.put("key", record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8));
          Map<String, Object> echoed = new LinkedHashMap<>();
          echoed.put("echo", mapper.readValue(record.value(), Object.class));
          echoed.put("meta", meta);
          producer.send(new ProducerRecord<>(out, record.key(), mapper.writeValueAsBytes(echoed)), (metadata, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            } else {
              acknowledged.incrementAndGet();
            }
          });
        }
        producer.flush();
        consumer.commitSync();
      }
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
