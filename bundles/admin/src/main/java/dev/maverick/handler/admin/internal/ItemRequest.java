package dev.maverick.handler.admin.internal;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.InvalidConfigurationException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An item and its extras as a feed or generate request carries them: a JSON body
 * {@code {"item": ..., "extra": {...}}}, or a binary body that is the item itself, a
 * {@code byte[]}, with its media type as the extra {@value #CONTENT_TYPE}:
 *
 * <ul>
 *   <li>{@code audio/wav}: WAV bytes; {@code ?sample_rate=N} optional;</li>
 *   <li>{@code application/octet-stream}: raw bytes; {@code ?sample_rate=N} required (8000 to
 *       48000), for raw audio is nothing without it.</li>
 * </ul>
 *
 * Other query parameters of a binary body become string extras, their names checked as keys
 * ({@link ConfigKeys#checkUserKey}); each may appear once.
 */
record ItemRequest(Object item, Map<String, Object> extra) {
  /** The extra naming a binary item's media type (lower case, without parameters). */
  static final String CONTENT_TYPE = "content_type";
  /** The extra holding a binary item's sample rate, an Integer. */
  static final String SAMPLE_RATE = "sample_rate";
  static final String JSON = "application/json";
  static final String WAV = "audio/wav";
  static final String OCTETS = "application/octet-stream";
  static final int MIN_SAMPLE_RATE = 8_000;
  static final int MAX_SAMPLE_RATE = 48_000;
  /** The media types a feed or generate body may have, in words. */
  static final String ITEM_TYPES = JSON + " ({\"item\": ..., \"extra\": {...}}), " + WAV + " (WAV bytes) or " + OCTETS
      + " (raw bytes, with ?sample_rate=N)";

  /** The media type of a Content-Type header: lower case, without parameters; empty when there is none. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** True for the media types a feed or generate body may have. */
  static boolean isItemType(String mediaType) {
    return List.of(JSON, WAV, OCTETS).contains(mediaType);
  }

  /**
   * Reads the item of a request.
   *
   * @param mediaType the body's media type, one of {@link #isItemType}
   * @param query the raw query string, or null
   * @throws AdminException 400 naming what is wrong
   */
  static ItemRequest of(String mediaType, byte[] body, String query, JsonCodec json) {
    if (mediaType.equals(JSON)) {
      if (query != null && !query.isEmpty()) {
        throw AdminException.badRequest("query parameters go with a binary body only; with JSON, give extras in "
            + "'extra'");
      }
      return ofJson(json.parseObject(body));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put(CONTENT_TYPE, mediaType);
    Map<String, String> parameters = parameters(query);
    String rate = parameters.remove(SAMPLE_RATE);
    if (rate != null) {
      extra.put(SAMPLE_RATE, sampleRate(rate));
    } else if (mediaType.equals(OCTETS)) {
      throw AdminException.invalidConfig(InvalidConfigurationException.missing(SAMPLE_RATE, "?sample_rate=N with a raw "
          + OCTETS + " body: the samples per second, " + MIN_SAMPLE_RATE + " to " + MAX_SAMPLE_RATE));
    }
    parameters.forEach(extra::put);
    return new ItemRequest(body, extra);
  }

  private static ItemRequest ofJson(Map<String, Object> body) {
    if (!body.containsKey("item")) {
      throw AdminException.badRequest("missing 'item'; expected {\"item\": <any JSON value>, \"extra\": {...}}");
    }
    Object extra = body.get("extra");
    if (extra != null && !(extra instanceof Map<?, ?>)) {
      throw AdminException.badRequest("'extra' must be a JSON object, got " + JsonCodec.describe(extra));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> extras = extra == null ? Map.of() : (Map<String, Object>) extra;
    return new ItemRequest(body.get("item"), extras);
  }

  private static int sampleRate(String text) {
    try {
      int rate = Integer.parseInt(text.trim());
      if (rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw AdminException.invalidConfig(new InvalidConfigurationException(SAMPLE_RATE, text,
        "an integer from " + MIN_SAMPLE_RATE + " to " + MAX_SAMPLE_RATE + " (samples per second)"));
  }

  /** The query's parameters, decoded, each name checked as a key and given once. */
  private static Map<String, String> parameters(String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decoded(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decoded(pair.substring(equals + 1));
      try {
        ConfigKeys.checkUserKey(name);
        ConfigKeys.checkUserValue(name, value);
        if (name.equals(CONTENT_TYPE)) {
          throw new InvalidConfigurationException(name, value, "the body's Content-Type, not a query parameter");
        }
        if (parameters.put(name, value) != null) {
          throw new InvalidConfigurationException(name, value, "one value per parameter");
        }
      } catch (InvalidConfigurationException e) {
        throw AdminException.invalidConfig(e);
      }
    }
    return parameters;
  }

  private static String decoded(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw AdminException.badRequest("malformed query parameter '" + text + "': " + e.getMessage());
    }
  }
}
