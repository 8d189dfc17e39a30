package dev.maverick.handler.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON in and out, with Jackson. Request bodies become plain Java values (String,
 * Integer/Long/BigInteger, Double, Boolean, Map, List, null); a number that is not a finite double
 * and nesting deeper than the API can give back are refused. Results of any type go out as JSON
 * when Jackson can write them, else as their {@code toString()}.
 *
 * <p>One instance per admin component, never a static one: Jackson caches a serializer per result
 * class, and result classes come from handler bundles, so {@link #forgetClasses()} drops the cache
 * whenever a handler goes, and the old revision of an updated bundle is not kept reachable.
 */
final class JsonCodec {
  /** The deepest an item or its extras may nest: the API must be able to give back what it took. */
  static final int MAX_DEPTH = 100;
  /** A body holds an item or extra one level down, and extras are an object themselves. */
  private static final int MAX_BODY_DEPTH = MAX_DEPTH + 2;

  private final ObjectMapper mapper;

  JsonCodec() {
    mapper = JsonMapper.builder()
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_BODY_DEPTH).build());
  }

  /**
   * Parses a request body.
   *
   * @throws AdminException 400 naming what is wrong
   */
  Object parse(byte[] body) {
    if (body.length == 0) {
      throw AdminException.badRequest("empty body; expected a JSON value");
    }
    try {
      return narrow(mapper.readValue(body, Object.class));
    } catch (StreamConstraintsException e) {
      throw AdminException.badRequest("the body nests values more than " + MAX_BODY_DEPTH + " levels deep; allowed: "
          + "items and extras nested at most " + MAX_DEPTH + " levels deep, so that their results can be given back");
    } catch (IOException e) {
      throw AdminException.badRequest("malformed JSON: " + firstLine(e.getMessage()));
    }
  }

  /** Parses a request body that must be a JSON object. */
  @SuppressWarnings("unchecked")
  Map<String, Object> parseObject(byte[] body) {
    Object value = parse(body);
    if (!(value instanceof Map<?, ?>)) {
      throw AdminException.badRequest("expected a JSON object, got " + describe(value));
    }
    return (Map<String, Object>) value;
  }

  /** Parses text as JSON, or empty when it is not JSON (the shell's items); a bad number still fails. */
  Optional<Object> tryParse(String text) {
    Object value;
    try {
      value = mapper.readValue(text, Object.class);
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(narrow(value));
  }

  /** Writes a value as JSON. */
  byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(safe(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes a value as indented JSON text (the shell). */
  String pretty(Object value) {
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(safe(value));
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** Drops the serializers cached for classes of bundles that may be gone. */
  void forgetClasses() {
    if (mapper.getSerializerProvider() instanceof DefaultSerializerProvider provider) {
      provider.flushCachedSerializers();
    }
    mapper.getTypeFactory().clearCache();
  }

  /** A value Jackson can surely write: JSON types kept, others converted, unknown beans as text. */
  Object safe(Object value) {
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
      JsonNode tree = mapper.valueToTree(value);
      // an object with no properties says more through its toString()
      return tree.isObject() && tree.isEmpty() ? String.valueOf(value) : tree;
    } catch (IllegalArgumentException e) {
      return String.valueOf(value);
    }
  }

  /**
   * How deep a parsed value nests: 0 for a scalar, 1 for a list or map of scalars, and so on.
   * Stops counting past {@code limit}.
   */
  static int depth(Object value, int limit) {
    if (limit < 0) {
      return 0;
    }
    int deepest = 0;
    if (value instanceof Map<?, ?> map) {
      for (Object element : map.values()) {
        deepest = Math.max(deepest, depth(element, limit - 1));
      }
      return deepest + 1;
    }
    if (value instanceof List<?> list) {
      for (Object element : list) {
        deepest = Math.max(deepest, depth(element, limit - 1));
      }
      return deepest + 1;
    }
    return 0;
  }

  /**
   * Integers as Integer or Long when they fit, as the seed's Python ints would be used; decimals as
   * Double, refused when they are not finite.
   */
  private static Object narrow(Object value) {
    if (value instanceof BigInteger big) {
      if (big.bitLength() < 32) {
        return big.intValue();
      }
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    if (value instanceof BigDecimal decimal) {
      double number = decimal.doubleValue();
      if (Double.isInfinite(number)) {
        throw AdminException.badRequest("the number " + decimal + " is not a finite double; allowed: finite numbers, "
            + "at most " + Double.MAX_VALUE + " in size");
      }
      return number;
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

  /** What a parsed value is, in words: "an object", "an array", "a string", ... */
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
