package dev.maverick.handler.config.files.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Equality of configuration values as files and Config Admin hold them. */
final class Values {
  private Values() {}

  /**
   * Equal values, arrays and collections compared by their elements.
   *
   * @param untypedFile {@code fromFile} was read from an untyped file, where every value is a
   *     string: a scalar then equals the string it is written as ({@code "7"} and 7)
   */
  static boolean same(Object fromFile, Object configured, boolean untypedFile) {
    Object a = comparable(fromFile);
    Object b = comparable(configured);
    if (Objects.equals(a, b)) {
      return true;
    }
    return untypedFile && fromFile instanceof String text && configured != null && !(b instanceof List)
        && text.equals(String.valueOf(configured));
  }

  /** Equal keys and values, strictly (see {@link #same}). */
  static boolean sameValues(Map<String, ?> a, Map<String, ?> b) {
    return sameValues(a, b, false);
  }

  /** Equal keys and values; see {@link #same} for {@code untypedFile}. */
  static boolean sameValues(Map<String, ?> fromFile, Map<String, ?> configured, boolean untypedFile) {
    if (!fromFile.keySet().equals(configured.keySet())) {
      return false;
    }
    for (Map.Entry<String, ?> entry : fromFile.entrySet()) {
      if (!same(entry.getValue(), configured.get(entry.getKey()), untypedFile)) {
        return false;
      }
    }
    return true;
  }

  private static Object comparable(Object value) {
    if (value != null && value.getClass().isArray()) {
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        items.add(Array.get(value, i));
      }
      return items;
    }
    return value instanceof Collection<?> collection ? new ArrayList<>(collection) : value;
  }
}
