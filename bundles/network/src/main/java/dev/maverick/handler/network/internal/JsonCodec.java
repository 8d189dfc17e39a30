package dev.maverick.handler.network.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maverick.handler.HandlerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON in and out of the network handler, with Jackson. Responses become plain Java values: a
 * {@code Map} for an object, a {@code List} for an array, {@code String}, {@code Number},
 * {@code Boolean}, or {@code null}. One instance per handler, so that Jackson's per-class caches
 * (which hold the item classes of other bundles) live no longer than the handler.
 */
final class JsonCodec {
  /** Stands for a secret in a body parsed again for its error message: a word, as the parser reads a key. */
  private static final String MARKER = "MASKEDSECRET";

  private final ObjectMapper mapper = JsonMapper.builder()
      // "{...} garbage" is malformed, not a map
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // parse errors must not quote the response body (it could echo a secret)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  /** The payload as JSON bytes. */
  byte[] encode(Object payload) throws JsonProcessingException {
    return mapper.writeValueAsBytes(payload);
  }

  /**
   * Parses a response body. An empty (or blank) body is {@code null}: a 204, or a server that
   * acknowledges with nothing.
   */
  Object decode(byte[] body) throws IOException {
    if (isBlank(body)) {
      return null;
    }
    return mapper.readValue(body, Object.class);
  }

  /** A value Jackson writes as an object or array (a bean, a primitive array) as the plain maps and lists it writes. */
  Object toPlain(Object value) {
    return mapper.convertValue(value, Object.class);
  }

  /**
   * A value as text inside a longer string: a string as it is, anything that Jackson writes as a
   * JSON string (a byte array as Base64, an enum, a UUID) as that string's content, anything else
   * as its JSON text ({@code 3}, {@code true}, {@code {"a":1}}, {@code null}).
   *
   * @throws IllegalArgumentException when the value cannot be written as JSON
   */
  String text(Object value) {
    if (value instanceof CharSequence || value instanceof Character) {
      return value.toString();
    }
    try {
      String json = mapper.writeValueAsString(value);
      return json.startsWith("\"") ? mapper.readValue(json, String.class) : json;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a value cannot be written as JSON: " + describe(e), e);
    }
  }

  /**
   * Why a response body is not JSON, without quoting a secret: when the body holds one, the
   * parser's message is taken from a second parse of the body with each secret replaced by a
   * word, and that word is then shown masked. (The parser cuts long tokens in its messages; a
   * secret straddling that cut would otherwise show its first characters.)
   */
  String describeNotJson(byte[] body, JsonProcessingException error, Secrets secrets) {
    if (secrets.isEmpty()) {
      return describe(error);
    }
    String text = new String(body, StandardCharsets.UTF_8);
    String marked = secrets.replace(text, MARKER);
    if (marked.equals(text)) {
      return secrets.mask(describe(error));
    }
    try {
      mapper.readValue(marked, Object.class);
      return "its parser's message is withheld, as it quoted a secret";
    } catch (JsonProcessingException again) {
      return secrets.mask(describe(again).replace(MARKER, HandlerConfig.MASK));
    }
  }

  /** What went wrong, without the input: Jackson's own message and where, never the content. */
  static String describe(JsonProcessingException e) {
    JsonLocation where = e.getLocation();
    String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    String message = e.getOriginalMessage();
    int newline = message == null ? -1 : message.indexOf('\n');
    return (newline >= 0 ? message.substring(0, newline) : message) + at;
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
