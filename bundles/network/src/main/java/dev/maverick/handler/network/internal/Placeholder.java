package dev.maverick.handler.network.internal;

import dev.maverick.handler.InvalidItemException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code {{...}}} of a {@code request_template}: what it names, and how that is found for one
 * request. The forms: {@code {{item}}}, {@code {{item.key}}} (dotted keys into nested maps, a
 * number for a list element: {@code {{item.turns.0.text}}}), {@code {{extra}}},
 * {@code {{extra.key}}}, {@code {{client_id}}} and {@code {{timestamp}}}, with optional spaces
 * inside the braces.
 *
 * <p>A placeholder that names nothing for an item (a key the map does not have, an element past
 * the end of a list, a key of a string) is an error of that item, naming the placeholder; it is
 * never sent as {@code null}. A key present with the value {@code null} is {@code null}.
 */
final class Placeholder {
  /** The forms, in words, for configuration errors. */
  static final String FORMS = "{{item}}, {{item.<key>}}, {{extra}}, {{extra.<key>}}, {{client_id}} or {{timestamp}}, "
      + "where <key> is one or more keys separated by '.' (letters, digits, '_' and '-'; a number picks a list "
      + "element, e.g. {{item.turns.0.text}})";

  private static final Pattern NAME = Pattern.compile("(item|extra)((?:\\.[A-Za-z0-9_-]+)*)|client_id|timestamp");
  private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,8}");
  /** What a map gives for a key it does not have (null is a value). */
  private static final Object ABSENT = new Object();

  /** What a template is filled from for one request. */
  record Scope(Object item, Map<String, ?> extra, String clientId, double timestamp, JsonCodec json) {}

  private enum Root { ITEM, EXTRA, CLIENT_ID, TIMESTAMP }

  private final String written;
  private final Root root;
  private final String[] keys;

  private Placeholder(String written, Root root, String[] keys) {
    this.written = written;
    this.root = root;
    this.keys = keys;
  }

  /**
   * The placeholder whose text between the braces is {@code inner}.
   *
   * @throws IllegalArgumentException saying why it is none of the {@link #FORMS}
   */
  static Placeholder parse(String inner) {
    String name = inner.strip();
    Matcher matcher = NAME.matcher(name);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("{{" + inner + "}} is not one of them");
    }
    String written = "{{" + name + "}}";
    return switch (name) {
      case "client_id" -> new Placeholder(written, Root.CLIENT_ID, new String[0]);
      case "timestamp" -> new Placeholder(written, Root.TIMESTAMP, new String[0]);
      default -> {
        String path = matcher.group(2);
        String[] keys = path.isEmpty() ? new String[0] : path.substring(1).split("\\.");
        yield new Placeholder(written, matcher.group(1).equals("item") ? Root.ITEM : Root.EXTRA, keys);
      }
    };
  }

  /** As written in the template, e.g. {@code {{item.text}}}. */
  @Override
  public String toString() {
    return written;
  }

  /**
   * The value this placeholder names for one request, as it is (a map stays a map).
   *
   * @throws InvalidItemException naming this placeholder when it names nothing for this item
   */
  Object resolve(Scope scope) {
    Object current;
    String where;
    switch (root) {
      case CLIENT_ID -> {
        return scope.clientId();
      }
      case TIMESTAMP -> {
        return scope.timestamp();
      }
      case ITEM -> {
        current = scope.item();
        where = "item";
      }
      default -> {
        current = scope.extra() == null ? Map.of() : scope.extra();
        where = "extra";
      }
    }
    for (String key : keys) {
      current = plain(current, scope.json());
      current = step(current, key, where);
      where = where + "." + key;
    }
    return current;
  }

  private Object step(Object current, String key, String where) {
    if (current instanceof Map<?, ?> map) {
      Object found = entry(map, key);
      if (found == ABSENT) {
        throw absent(where + " has no key '" + key + "'");
      }
      return found;
    }
    if (current instanceof List<?> list) {
      int index = index(key);
      if (index < 0 || index >= list.size()) {
        throw absent(where + " is a list of " + list.size() + " element(s), with no element " + key);
      }
      return list.get(index);
    }
    if (current instanceof Object[] array) {
      int index = index(key);
      if (index < 0 || index >= array.length) {
        throw absent(where + " is a list of " + array.length + " element(s), with no element " + key);
      }
      return array[index];
    }
    throw absent(where + (current == null ? " is null" : " is " + kind(current) + ", not a map or a list")
        + ", so it has no '" + key + "'");
  }

  private static Object entry(Map<?, ?> map, String key) {
    try {
      Object value = map.get(key);
      if (value != null || map.containsKey(key)) {
        return value;
      }
    } catch (ClassCastException | NullPointerException keysOfAnotherType) {
      // a map with keys of another type (a TreeMap of Integers): compare as JSON writes them
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (key.equals(String.valueOf(entry.getKey()))) {
        return entry.getValue();
      }
    }
    return ABSENT;
  }

  private static int index(String key) {
    return INDEX.matcher(key).matches() ? Integer.parseInt(key) : -1;
  }

  /** Maps, lists, arrays and JSON scalars as they are; anything else (a bean) as the map Jackson would write. */
  private Object plain(Object value, JsonCodec json) {
    if (value == null || value instanceof Map || value instanceof List || value instanceof Object[]
        || value instanceof CharSequence || value instanceof Number || value instanceof Boolean
        || value instanceof Character) {
      return value;
    }
    try {
      return json.toPlain(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidItemException("request_template: " + written + " cannot look into a "
          + value.getClass().getName() + ": it cannot be read as JSON", e);
    }
  }

  private static String kind(Object value) {
    if (value instanceof CharSequence || value instanceof Character) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return "a " + value.getClass().getSimpleName();
  }

  private InvalidItemException absent(String why) {
    return new InvalidItemException("request_template: " + written + " names nothing: " + why
        + "; a placeholder must name a value the item or its extras have");
  }
}
