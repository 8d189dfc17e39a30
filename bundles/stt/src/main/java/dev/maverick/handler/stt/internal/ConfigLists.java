package dev.maverick.handler.stt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maverick.handler.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Reads a multi-valued key (a list of texts) in every form a configuration holds one: a
 * {@code String[]} (Config Admin), a list ({@code .cfg.json}, the admin's JSON), or one text. A
 * {@code .cfg} file holds no lists, so there a text that starts with {@code [} is the list written
 * as JSON; any other text is a list of one.
 */
final class ConfigLists {
  private ConfigLists() {}

  /**
   * The list's elements, each a non-blank text, trimmed; empty for no value, a blank text or
   * {@code []}.
   *
   * @param rule what the key allows, for the error
   * @throws InvalidConfigurationException naming the key, the value and {@code rule}
   */
  static List<String> texts(String key, Object value, String rule, SttJson json) {
    if (value == null) {
      return List.of();
    }
    Collection<?> elements;
    if (value instanceof CharSequence text) {
      String trimmed = text.toString().trim();
      if (trimmed.isEmpty()) {
        return List.of();
      }
      elements = trimmed.startsWith("[") ? jsonList(key, value, trimmed, rule, json) : List.of(trimmed);
    } else if (value instanceof Object[] array) {
      elements = Arrays.asList(array);
    } else if (value instanceof Collection<?> collection) {
      elements = collection;
    } else {
      throw new InvalidConfigurationException(key, value, rule);
    }
    List<String> texts = new ArrayList<>();
    for (Object element : elements) {
      if (!(element instanceof String text) || text.isBlank()) {
        throw new InvalidConfigurationException(key, value, rule + " (every element a non-blank string)");
      }
      texts.add(text.trim());
    }
    return texts;
  }

  private static List<Object> jsonList(String key, Object raw, String text, String rule, SttJson json) {
    JsonNode parsed;
    try {
      parsed = json.read(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(key, raw, rule + "; " + e.getMessage(), e);
    }
    if (!parsed.isArray()) {
      throw new InvalidConfigurationException(key, raw, rule);
    }
    List<Object> elements = new ArrayList<>();
    parsed.forEach(element -> elements.add(element.isTextual() ? element.textValue() : element)); // a non-text is refused
    return elements;
  }
}
