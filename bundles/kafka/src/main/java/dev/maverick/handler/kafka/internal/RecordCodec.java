package dev.maverick.handler.kafka.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Items into record values and record values into results, with Jackson. A {@code byte[]} item is
 * written as it is; anything else as JSON, and the record says which with its
 * {@value #CONTENT_TYPE} header. Reading, a value marked JSON becomes the Java value (a
 * {@code Map} for an object, a {@code List}, {@code String}, {@code Number}, {@code Boolean}); a
 * value from another producer (no header) that is a JSON object or array becomes a {@code Map} or
 * {@code List}; everything else stays {@code byte[]}. One instance per handler, so that Jackson's
 * caches (which hold the item classes of other bundles) live no longer than the handler.
 */
final class RecordCodec {
  /** The header naming what a value is. */
  static final String CONTENT_TYPE = "content-type";
  static final String JSON = "application/json";
  static final String BYTES = "application/octet-stream";

  private static final Header JSON_HEADER = new RecordHeader(CONTENT_TYPE, JSON.getBytes(StandardCharsets.US_ASCII));
  private static final Header BYTES_HEADER = new RecordHeader(CONTENT_TYPE, BYTES.getBytes(StandardCharsets.US_ASCII));

  private final ObjectMapper mapper = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // a parse error must not quote the record (it could hold anything)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  /** An item as a record value: its bytes, or its JSON. */
  byte[] value(Object item) throws JsonProcessingException {
    return item instanceof byte[] bytes ? bytes : mapper.writeValueAsBytes(item);
  }

  /** The header that says what {@link #value} made of the item. */
  static Header contentType(Object item) {
    return item instanceof byte[] ? BYTES_HEADER : JSON_HEADER;
  }

  /**
   * A record key from a key value: a string's UTF-8, bytes as they are, a number or boolean as its
   * text, anything else (a map, a list) as JSON.
   */
  byte[] key(Object key) throws JsonProcessingException {
    if (key instanceof byte[] bytes) {
      return bytes;
    }
    if (key instanceof CharSequence || key instanceof Number || key instanceof Boolean || key instanceof Character) {
      return key.toString().getBytes(StandardCharsets.UTF_8);
    }
    if (key instanceof Map<?, ?> || key instanceof Collection<?>) {
      return mapper.writeValueAsBytes(key);
    }
    return String.valueOf(key).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A record value as a result: see the class comment. {@code null} (a tombstone, or JSON
   * {@code null}) is no result.
   */
  Object read(byte[] value, Headers headers) {
    if (value == null) {
      return null;
    }
    Header type = headers == null ? null : headers.lastHeader(CONTENT_TYPE);
    if (type != null) {
      String declared = new String(type.value() == null ? new byte[0] : type.value(), StandardCharsets.US_ASCII);
      if (declared.startsWith(JSON)) {
        Object parsed = parse(value);
        return parsed == UNPARSED ? value : parsed;
      }
      return value;
    }
    if (!looksLikeObjectOrArray(value)) {
      return value;
    }
    Object parsed = parse(value);
    return parsed == UNPARSED ? value : parsed;
  }

  private static final Object UNPARSED = new Object();

  private Object parse(byte[] value) {
    try {
      return mapper.readValue(value, Object.class);
    } catch (IOException e) {
      return UNPARSED;
    }
  }

  private static boolean looksLikeObjectOrArray(byte[] value) {
    for (byte b : value) {
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        continue;
      }
      return b == '{' || b == '[';
    }
    return false;
  }
}
