package dev.maverick.handler.kafka.internal;

import java.util.Map;

/**
 * Finds a sink's record key for an item, by the name in its {@code key} setting: an extra of that
 * name first (a wire's {@code extra}, a source's {@code key}), then a field of a map item, then a
 * path of fields separated by dots ({@code meta.robot}: the field {@code robot} of the map in the
 * field {@code meta}). Items of one key go to one partition, in the order they were fed.
 */
final class RecordKeys {
  private RecordKeys() {}

  /** The key's value for this item, or null when neither an extra nor a field has that name. */
  static Object find(String name, Object item, Map<String, ?> extra) {
    Object value = extra == null ? null : extra.get(name);
    if (value != null) {
      return value;
    }
    if (!(item instanceof Map<?, ?> fields)) {
      return null;
    }
    value = fields.get(name);
    if (value != null || name.indexOf('.') < 0) {
      return value;
    }
    Object current = item;
    for (String step : name.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(step);
    }
    return current;
  }
}
