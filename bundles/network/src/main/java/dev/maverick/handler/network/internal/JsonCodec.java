package dev.maverick.handler.network.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * JSON in and out of the network handler, with Jackson. Responses become plain Java values: a
 * {@code Map} for an object, a {@code List} for an array, {@code String}, {@code Number},
 * {@code Boolean}, or {@code null}. One instance per handler, so that Jackson's per-class caches
 * (which hold the item classes of other bundles) live no longer than the handler.
 */
final class JsonCodec {
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
