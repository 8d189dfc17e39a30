package dev.maverick.handler.config.files.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes one configuration in the {@code .cfg.json} format (the OSGi Configurator's
 * resource format for a single PID, as Apache Sling, Felix and Karaf use it): a JSON object of
 * properties, {@code //} and {@code /* *}{@code /} comments allowed, keys typed as {@link JsonTypes}
 * says. Jackson parses and generates the JSON; numbers are read exactly, so a range check can name
 * the value that does not fit.
 *
 * <p>One instance per component: the mapper is not shared across bundle revisions.
 */
final class JsonConfigFormat {
  private final JsonMapper mapper = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.USE_BIG_INTEGER_FOR_INTS,
          DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private final DefaultPrettyPrinter layout = new DefaultPrettyPrinter(Separators.createDefaultInstance()
      .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
      .withArrayValueSpacing(Separators.Spacing.AFTER)
      .withArrayEmptySeparator(""))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter());

  /**
   * Parses a configuration.
   *
   * @throws IllegalArgumentException naming the line and column or the property, what was found
   *     and what is allowed
   */
  Map<String, Object> read(String text) {
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new IllegalArgumentException(where + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("a configuration must be a JSON object { \"key\": value, ... }");
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String key = field.getKey();
      try {
        JsonTypes.TypedKey typed = JsonTypes.split(key);
        if (typed.name().isEmpty()) {
          throw new IllegalArgumentException("empty property name");
        }
        if (properties.containsKey(typed.name())) {
          throw new IllegalArgumentException("property \"" + typed.name() + "\" is given twice");
        }
        properties.put(typed.name(), JsonTypes.read(typed.type(), plain(field.getValue())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("property \"" + key + "\": " + e.getMessage(), e);
      }
    }
    return properties;
  }

  /**
   * Writes a configuration, keys in the given order, two-space indented, ending with a newline.
   *
   * @throws IllegalArgumentException naming the key, for a number that is not finite
   */
  String write(Map<String, ?> properties) {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = mapper.getFactory().createGenerator(text)) {
      out.setPrettyPrinter(layout);
      out.writeStartObject();
      for (Map.Entry<String, ?> entry : properties.entrySet()) {
        String key = entry.getKey();
        Object value = entry.getValue();
        Optional<String> type = key.contains(":") ? Optional.of(JsonTypes.explicitTypeOf(value))
            : JsonTypes.typeOf(value);
        out.writeFieldName(type.map(t -> key + ":" + t).orElse(key));
        try {
          value(out, value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("'" + key + "': " + e.getMessage(), e);
        }
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text + "\n";
  }

  private static void value(JsonGenerator out, Object value) throws IOException {
    if (value instanceof Collection<?> collection) {
      sequence(out, collection.toArray());
    } else if (value != null && value.getClass().isArray()) {
      Object[] items = new Object[Array.getLength(value)];
      for (int i = 0; i < items.length; i++) {
        items[i] = Array.get(value, i);
      }
      sequence(out, items);
    } else {
      scalar(out, value);
    }
  }

  private static void sequence(JsonGenerator out, Object[] items) throws IOException {
    out.writeStartArray();
    for (Object item : items) {
      scalar(out, item);
    }
    out.writeEndArray();
  }

  private static void scalar(JsonGenerator out, Object value) throws IOException {
    if (value instanceof Boolean flag) {
      out.writeBoolean(flag);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      out.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (!Double.isFinite(number)) {
        throw new IllegalArgumentException(value + " is not a finite number and cannot be written as JSON");
      }
      if (value instanceof Float f) {
        out.writeNumber(f);
      } else {
        out.writeNumber(number);
      }
    } else {
      out.writeString(String.valueOf(value));
    }
  }

  /** A JSON tree value as String, Boolean, BigInteger, BigDecimal, List or Map, null for null. */
  private static Object plain(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>();
      node.forEach(item -> items.add(plain(item)));
      return items;
    }
    if (node.isObject()) {
      return Map.of();
    }
    return null;
  }
}
