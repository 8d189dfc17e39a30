package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.kafka.internal.OffsetLedger.Mark;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The extras of a source's result: where its record is ({@value #TOPIC}, {@value #PARTITION},
 * {@value #OFFSET}), its {@value #KEY} and {@value #TIMESTAMP}, the {@value #ASSIGNMENT} it was
 * published under, and {@value #REDELIVERED} when it was. The settle of the result names the record
 * by them ({@link #mark}).
 */
final class RecordExtras {
  static final String TOPIC = "topic";
  static final String PARTITION = "partition";
  static final String OFFSET = "offset";
  static final String KEY = "key";
  static final String TIMESTAMP = "timestamp";
  /** Which assignment of the partition published the record (see {@link OffsetLedger}). */
  static final String ASSIGNMENT = "assignment";
  static final String REDELIVERED = "redelivered";

  private RecordExtras() {}

  /** The extras of a record published under {@code mark}. */
  static Map<String, Object> of(ConsumerRecord<byte[], byte[]> record, Mark mark) {
    Map<String, Object> extras = new LinkedHashMap<>(8);
    extras.put(TOPIC, record.topic());
    extras.put(PARTITION, record.partition());
    extras.put(OFFSET, record.offset());
    extras.put(KEY, key(record.key()));
    extras.put(TIMESTAMP, record.timestamp());
    extras.put(ASSIGNMENT, mark.epoch());
    if (mark.redelivered()) {
      extras.put(REDELIVERED, true);
    }
    return extras;
  }

  /** The record the extras of a settled result name, or null when they name none. */
  static Mark mark(Map<String, ?> extra) {
    if (extra.get(TOPIC) instanceof String topic && extra.get(PARTITION) instanceof Integer partition
        && extra.get(OFFSET) instanceof Long offset && extra.get(ASSIGNMENT) instanceof Integer epoch) {
      return new Mark(new TopicPartition(topic, partition), offset, epoch, false);
    }
    return null;
  }

  /** A key as text when it is UTF-8, else its bytes. */
  static Object key(byte[] key) {
    if (key == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
    } catch (CharacterCodingException e) {
      return key;
    }
  }
}
