package dev.maverick.handler.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.Array;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON in and out. Items arrive as plain Java values (String, Integer/Long/BigInteger,
 * Double/BigDecimal, Boolean, Map, List, null); results of any type go out as JSON when Jackson can
 * write them, else as their {@code toString()}.
 */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private Json() {}

  /**
   * Parses a request body.
   *
   * @throws AdminException 400 naming what is wrong
   */
  static Object parse(byte[] body) {
    if (body.length == 0) {
      throw AdminException.badRequest("empty body; expected a JSON value");
    }
    try {
      return narrow(MAPPER.readValue(body, Object.class));
    } catch (java.io.IOException e) {
      throw AdminException.badRequest("malformed JSON: " + firstLine(e.getMessage()));
    }
  }

  /** Parses text as JSON, or returns null when it is not JSON (the shell's items). */
  static Optional<Object> tryParse(String text) {
    try {
      return Optional.ofNullable(narrow(MAPPER.readValue(text, Object.class)));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  /** Parses a request body that must be a JSON object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(byte[] body) {
    Object value = parse(body);
    if (!(value instanceof Map<?, ?>)) {
      throw AdminException.badRequest("expected a JSON object, got " + describe(value));
    }
    return (Map<String, Object>) value;
  }

  /** Writes a value as JSON. */
  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(safe(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** Writes a value as indented JSON text (the shell). */
  static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(safe(value));
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** A value Jackson can surely write: JSON types kept, others converted, unknown beans as text. */
  static Object safe(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
        || value instanceof byte[]) {
      return value;
    }
    if (value instanceof Optional<?> optional) {
      return safe(optional.orElse(null));
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, element) -> copy.put(String.valueOf(key), safe(element)));
      return copy;
    }
    if (value instanceof Collection<?> collection) {
      List<Object> copy = new ArrayList<>();
      collection.forEach(element -> copy.add(safe(element)));
      return copy;
    }
    if (value.getClass().isArray()) {
      List<Object> copy = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        copy.add(safe(Array.get(value, i)));
      }
      return copy;
    }
    if (value instanceof CharSequence || value instanceof Character || value instanceof Enum<?>
        || value instanceof TemporalAccessor || value instanceof Class<?>) {
      return value instanceof Class<?> type ? type.getName() : String.valueOf(value);
    }
    try {
      com.fasterxml.jackson.databind.JsonNode tree = MAPPER.valueToTree(value);
      // an object with no properties says more through its toString()
      return tree.isObject() && tree.isEmpty() ? String.valueOf(value) : tree;
    } catch (IllegalArgumentException e) {
      return String.valueOf(value);
    }
  }

  /** Integers as Integer or Long when they fit, as the seed's Python ints would be used. */
  private static Object narrow(Object value) {
    if (value instanceof java.math.BigInteger big) {
      if (big.bitLength() < 32) {
        return big.intValue();
      }
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, element) -> copy.put(String.valueOf(key), narrow(element)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(element -> copy.add(narrow(element)));
      return copy;
    }
    return value;
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    return value instanceof String ? "a string" : value instanceof Boolean ? "a boolean" : "a number";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
