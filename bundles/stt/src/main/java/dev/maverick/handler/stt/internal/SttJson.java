package dev.maverick.handler.stt.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * The JSON this bundle reads and writes, with Jackson (imported as bundles, as the network handler
 * does: one copy in the runtime, nothing of it in this bundle's API). One instance per component or
 * handler, never a static one: a mapper caches per-class serializers, and a shared one would keep
 * classes of other bundle revisions reachable.
 */
final class SttJson {
  private final ObjectMapper mapper = JsonMapper.builder()
      // "[...] garbage" is malformed, not a list
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // parse errors must not quote the input back (a server's message, a configuration value)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  /**
   * Parses a JSON text.
   *
   * @throws IllegalArgumentException saying what is wrong and where, without quoting the text
   */
  JsonNode read(String json) {
    try {
      JsonNode node = mapper.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("not valid JSON: there is no value");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + describe(e), e);
    }
  }

  /** A string field of a JSON object, such as Vosk's {@code {"text" : "..."}}; "" when absent or not text. */
  String text(String json, String field) {
    JsonNode value = read(json).get(field);
    return value != null && value.isTextual() ? value.textValue() : "";
  }

  /** Writes a value (maps, lists, strings, numbers, booleans) as JSON text. */
  String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
          + describe(e), e);
    }
  }

  /** A list of phrases as the JSON array Vosk takes as a grammar. */
  String phrases(List<String> phrases) {
    return write(phrases);
  }

  /** Jackson's own message and where, never the input. */
  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int newline = message == null ? -1 : message.indexOf('\n');
    String first = newline >= 0 ? message.substring(0, newline) : message;
    return e.getLocation() == null ? first
        : first + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
