package dev.maverick.handler.network.internal;

import com.fasterxml.jackson.core.JsonPointer;
import dev.maverick.handler.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code response_pointer}: an RFC 6901 JSON pointer (Jackson's {@link JsonPointer}) choosing the
 * handler's result out of a parsed response, e.g. {@code /choices/0/message/content} for an
 * OpenAI-compatible chat endpoint. A pointer that matches nothing in a response says so, naming
 * the pointer and what the response had at the deepest point that matched (its keys, its length
 * or its kind: never more than an excerpt, masked before it is cut).
 */
final class ResponsePointer {
  static final String KEY = "response_pointer";
  static final String RULE = "an RFC 6901 JSON pointer: '/' before each key, '~0' for '~' and '~1' for '/' inside a "
      + "key, a number for an array element, e.g. /choices/0/message/content (empty: no pointer, the result is "
      + "{status, body})";
  private static final int SHOWN_CHARS = 120;

  /** The response has nothing where the pointer points. */
  static final class Miss extends Exception {
    private static final long serialVersionUID = 1L;

    Miss(String message) {
      super(message, null, false, false);
    }
  }

  private final String text;
  private final JsonPointer pointer;

  private ResponsePointer(String text, JsonPointer pointer) {
    this.text = text;
    this.pointer = pointer;
  }

  /**
   * Parses a pointer; surrounding spaces are ignored.
   *
   * @return the pointer, or null for a blank value (no pointer)
   * @throws InvalidConfigurationException naming {@value #KEY}, the value and the rule
   */
  static ResponsePointer parse(String value) {
    String text = value.strip();
    if (text.isEmpty()) {
      return null;
    }
    if (!text.startsWith("/")) {
      throw new InvalidConfigurationException(KEY, value, RULE + "; this one does not start with '/'");
    }
    for (int i = text.indexOf('~'); i >= 0; i = text.indexOf('~', i + 1)) {
      if (i + 1 >= text.length() || (text.charAt(i + 1) != '0' && text.charAt(i + 1) != '1')) {
        throw new InvalidConfigurationException(KEY, value, RULE + "; the '~' at character " + i
            + " is followed by neither 0 nor 1");
      }
    }
    try {
      return new ResponsePointer(text, JsonPointer.compile(text));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(KEY, value, RULE, e);
    }
  }

  /**
   * The value the pointer names in a parsed response (maps, lists and JSON scalars); a JSON
   * {@code null} there is {@code null}.
   *
   * @throws Miss naming the pointer and what the response had where it stopped matching
   */
  Object select(Object body, Secrets secrets) throws Miss {
    Object current = body;
    for (JsonPointer rest = pointer; !rest.matches(); rest = rest.tail()) {
      String key = rest.getMatchingProperty();
      if (current instanceof Map<?, ?> map) {
        Object next = map.get(key);
        if (next == null && !map.containsKey(key)) {
          throw miss(rest, current, "no key \"" + key + "\"", secrets);
        }
        current = next;
      } else if (current instanceof List<?> list) {
        int index = rest.getMatchingIndex();
        if (index < 0 || index >= list.size()) {
          throw miss(rest, current, "no element " + key, secrets);
        }
        current = list.get(index);
      } else {
        throw miss(rest, current, "nothing inside", secrets);
      }
    }
    return current;
  }

  private Miss miss(JsonPointer rest, Object matched, String lacking, Secrets secrets) {
    String deepest = text.substring(0, text.length() - rest.toString().length());
    String where = deepest.isEmpty() ? "the response" : deepest;
    return new Miss(KEY + " " + text + " matched nothing: " + where + " is " + describe(matched, secrets)
        + ", with " + lacking);
  }

  /** What a value is, for a person: its kind and an excerpt (keys of an object, the length of an array). */
  private static String describe(Object value, Secrets secrets) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return "an empty object";
      }
      List<String> keys = new ArrayList<>(map.size());
      map.keySet().forEach(key -> keys.add(String.valueOf(key)));
      return "an object with the keys [" + secrets.excerpt(String.join(", ", keys), false, SHOWN_CHARS) + "]";
    }
    if (value instanceof List<?> list) {
      return list.isEmpty() ? "an empty array" : "an array of " + list.size() + " element(s)";
    }
    if (value instanceof String string) {
      return "a string (\"" + secrets.excerpt(string, false, SHOWN_CHARS) + "\")";
    }
    if (value instanceof Boolean) {
      return "a boolean (" + value + ")";
    }
    return "a number (" + secrets.excerpt(String.valueOf(value), false, SHOWN_CHARS) + ")";
  }

  /** The pointer as configured, e.g. {@code /choices/0/message/content}. */
  @Override
  public String toString() {
    return text;
  }
}
