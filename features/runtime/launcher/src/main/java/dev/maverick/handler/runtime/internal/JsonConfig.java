package dev.maverick.handler.runtime.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes one configuration in the {@code .cfg.json} format (the OSGi Configurator's
 * resource format for a single PID, as Apache Sling and Felix use it): a JSON object of properties,
 * comments allowed, where a key may carry its type, {@code "max_queue_size:Integer": 8}.
 *
 * <p>Without a type, a string is a {@code String}, an integral number a {@code Long}, any other
 * number a {@code Double}, a boolean a {@code Boolean}, and an array an array of the same (all
 * elements of one kind). With a type: {@code String}, {@code Integer}, {@code Long}, {@code Float},
 * {@code Double}, {@code Byte}, {@code Short}, {@code Character}, {@code Boolean}, their primitive
 * names ({@code int}, ...), any of them followed by {@code []}, or {@code Collection<T>}.
 * Writing adds the type only where reading would not give the same Java type back.
 */
final class JsonConfig {
  private JsonConfig() {}

  /**
   * Parses a configuration.
   *
   * @throws IllegalArgumentException naming the line and column, what was found and what is allowed
   */
  static Map<String, Object> read(String text) {
    Parser parser = new Parser(text);
    Object root = parser.document();
    if (!(root instanceof Map<?, ?> object)) {
      throw new IllegalArgumentException("a configuration must be a JSON object { \"key\": value, ... }");
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : object.entrySet()) {
      String key = (String) entry.getKey();
      int colon = key.indexOf(':');
      String name = colon < 0 ? key : key.substring(0, colon);
      String type = colon < 0 ? null : key.substring(colon + 1).trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty property name in key \"" + key + "\"");
      }
      if (properties.containsKey(name)) {
        throw new IllegalArgumentException("property \"" + name + "\" is given twice");
      }
      try {
        properties.put(name, type == null ? untyped(entry.getValue()) : typed(type, entry.getValue()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("property \"" + key + "\": " + e.getMessage(), e);
      }
    }
    return properties;
  }

  /** Writes a configuration, keys in the given order, two-space indented, ending with a newline. */
  static String write(Map<String, ?> properties) {
    StringBuilder out = new StringBuilder("{");
    String separator = "\n";
    for (Map.Entry<String, ?> entry : properties.entrySet()) {
      out.append(separator).append("  ");
      string(out, entry.getKey() + typeSuffix(entry.getValue()));
      out.append(": ");
      value(out, entry.getValue());
      separator = ",\n";
    }
    return out.append(properties.isEmpty() ? "}\n" : "\n}\n").toString();
  }

  // ---- reading: types

  private static Object untyped(Object json) {
    if (json instanceof List<?> list) {
      if (list.isEmpty()) {
        return new String[0];
      }
      Object first = list.get(0);
      String kind = first instanceof String ? "String" : first instanceof Boolean ? "Boolean"
          : first instanceof BigInteger && list.stream().allMatch(BigInteger.class::isInstance) ? "Long"
          : first instanceof BigInteger || first instanceof BigDecimal ? "Double" : null;
      if (kind == null) {
        throw new IllegalArgumentException("arrays may hold strings, numbers or booleans, not " + describe(first));
      }
      return array(kind, list);
    }
    if (json instanceof BigInteger) {
      return scalar("Long", json);
    }
    if (json instanceof BigDecimal) {
      return scalar("Double", json);
    }
    if (json instanceof String || json instanceof Boolean) {
      return json;
    }
    throw new IllegalArgumentException("a value must be a string, number, boolean or array, not " + describe(json));
  }

  private static Object typed(String type, Object json) {
    if (type.endsWith("[]")) {
      return array(type.substring(0, type.length() - 2).trim(), list(type, json));
    }
    if (type.startsWith("Collection<") && type.endsWith(">")) {
      String element = type.substring("Collection<".length(), type.length() - 1).trim();
      List<Object> values = new ArrayList<>();
      for (Object item : list(type, json)) {
        values.add(scalar(boxed(element), item));
      }
      return values;
    }
    if (type.equals("Collection")) {
      List<Object> values = new ArrayList<>();
      Object array = untyped(list(type, json));
      for (int i = 0; i < Array.getLength(array); i++) {
        values.add(Array.get(array, i));
      }
      return values;
    }
    return scalar(boxed(type), json);
  }

  private static List<?> list(String type, Object json) {
    if (json instanceof List<?> list) {
      return list;
    }
    throw new IllegalArgumentException("type " + type + " needs a JSON array, not " + describe(json));
  }

  private static Object array(String elementType, List<?> items) {
    Class<?> component = switch (elementType) {
      case "int" -> int.class;
      case "long" -> long.class;
      case "float" -> float.class;
      case "double" -> double.class;
      case "byte" -> byte.class;
      case "short" -> short.class;
      case "char" -> char.class;
      case "boolean" -> boolean.class;
      default -> javaType(boxed(elementType));
    };
    Object array = Array.newInstance(component, items.size());
    for (int i = 0; i < items.size(); i++) {
      Array.set(array, i, scalar(boxed(elementType), items.get(i)));
    }
    return array;
  }

  private static Object scalar(String type, Object json) {
    try {
      return switch (type) {
        case "String" -> text(json);
        case "Boolean" -> json instanceof Boolean flag ? flag : fail("Boolean needs true or false", json);
        case "Character" -> json instanceof String s && s.length() == 1 ? s.charAt(0)
            : fail("Character needs a string of one character", json);
        case "Long" -> integral(json).longValueExact();
        case "Integer" -> integral(json).intValueExact();
        case "Short" -> integral(json).shortValueExact();
        case "Byte" -> integral(json).byteValueExact();
        case "Double" -> number(json).doubleValue();
        case "Float" -> number(json).floatValue();
        default -> throw new IllegalArgumentException("unknown type " + type + "; allowed: String, Integer, Long,"
            + " Float, Double, Byte, Short, Character, Boolean (or int, long, ...), T[] and Collection<T>");
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(json + " does not fit in " + type, e);
    }
  }

  private static String text(Object json) {
    return json instanceof String s ? s : fail("String needs a JSON string", json);
  }

  private static BigDecimal integral(Object json) {
    BigDecimal number = number(json);
    if (number.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("needs a whole number, not " + json);
    }
    return number;
  }

  private static BigDecimal number(Object json) {
    if (json instanceof BigInteger integer) {
      return new BigDecimal(integer);
    }
    if (json instanceof BigDecimal decimal) {
      return decimal;
    }
    return fail("needs a number", json);
  }

  private static String boxed(String type) {
    return switch (type) {
      case "int" -> "Integer";
      case "long" -> "Long";
      case "float" -> "Float";
      case "double" -> "Double";
      case "byte" -> "Byte";
      case "short" -> "Short";
      case "char" -> "Character";
      case "boolean" -> "Boolean";
      default -> type;
    };
  }

  private static Class<?> javaType(String boxed) {
    return switch (boxed) {
      case "String" -> String.class;
      case "Integer" -> Integer.class;
      case "Long" -> Long.class;
      case "Float" -> Float.class;
      case "Double" -> Double.class;
      case "Byte" -> Byte.class;
      case "Short" -> Short.class;
      case "Character" -> Character.class;
      case "Boolean" -> Boolean.class;
      default -> throw new IllegalArgumentException("unknown type " + boxed);
    };
  }

  private static <T> T fail(String what, Object json) {
    throw new IllegalArgumentException(what + ", not " + describe(json));
  }

  private static String describe(Object json) {
    if (json == null) {
      return "null";
    }
    if (json instanceof Map) {
      return "an object";
    }
    if (json instanceof List) {
      return "an array";
    }
    return json instanceof String s ? "the string \"" + s + "\"" : String.valueOf(json);
  }

  // ---- writing

  /** The type annotation a value needs so that reading it gives the same Java type back. */
  private static String typeSuffix(Object value) {
    if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return "";
    }
    if (value instanceof Collection<?> collection) {
      String element = collection.isEmpty() ? "String" : simpleName(collection.iterator().next().getClass());
      return ":Collection<" + element + ">";
    }
    if (value != null && value.getClass().isArray()) {
      Class<?> component = value.getClass().getComponentType();
      // an empty array reads back as String[]; a non-empty one as the type of its elements
      boolean natural = component == String.class || Array.getLength(value) > 0
          && (component == Long.class || component == Double.class || component == Boolean.class);
      return natural ? "" : ":" + simpleName(component) + "[]";
    }
    return value == null ? "" : ":" + simpleName(value.getClass());
  }

  private static String simpleName(Class<?> type) {
    return type.isPrimitive() ? type.getName() : type.getSimpleName();
  }

  private static void value(StringBuilder out, Object value) {
    if (value instanceof Collection<?> collection) {
      sequence(out, collection.toArray());
    } else if (value != null && value.getClass().isArray()) {
      Object[] items = new Object[Array.getLength(value)];
      for (int i = 0; i < items.length; i++) {
        items[i] = Array.get(value, i);
      }
      sequence(out, items);
    } else {
      scalarValue(out, value);
    }
  }

  private static void sequence(StringBuilder out, Object[] items) {
    out.append('[');
    for (int i = 0; i < items.length; i++) {
      out.append(i == 0 ? "" : ", ");
      scalarValue(out, items[i]);
    }
    out.append(']');
  }

  private static void scalarValue(StringBuilder out, Object value) {
    if (value instanceof Boolean || value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (Double.isNaN(number) || Double.isInfinite(number)) {
        throw new IllegalArgumentException(number + " cannot be written as JSON");
      }
      String text = value instanceof Float f ? Float.toString(f) : Double.toString(number);
      out.append(text.toLowerCase(Locale.ROOT));
    } else {
      string(out, String.valueOf(value));
    }
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** A strict JSON parser (plus // and /* comments) that keeps numbers exact and reports positions. */
  private static final class Parser {
    private final String text;
    private int position;

    Parser(String text) {
      this.text = text;
    }

    Object document() {
      Object value = value();
      skip();
      if (position < text.length()) {
        throw error("unexpected " + found() + " after the end of the JSON value");
      }
      return value;
    }

    private Object value() {
      skip();
      if (position >= text.length()) {
        throw error("unexpected end of file; expected a value");
      }
      char c = text.charAt(position);
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield number();
          }
          throw error("unexpected " + found() + "; expected a value");
        }
      };
    }

    private Map<String, Object> object() {
      Map<String, Object> object = new LinkedHashMap<>();
      position++;
      skip();
      if (peek('}')) {
        position++;
        return object;
      }
      while (true) {
        skip();
        if (!peek('"')) {
          throw error("unexpected " + found() + "; expected a property name in double quotes");
        }
        String key = string();
        skip();
        expect(':');
        if (object.containsKey(key)) {
          throw error("key \"" + key + "\" is given twice");
        }
        object.put(key, value());
        skip();
        if (peek(',')) {
          position++;
          continue;
        }
        expect('}');
        return object;
      }
    }

    private List<Object> array() {
      List<Object> array = new ArrayList<>();
      position++;
      skip();
      if (peek(']')) {
        position++;
        return array;
      }
      while (true) {
        array.add(value());
        skip();
        if (peek(',')) {
          position++;
          continue;
        }
        expect(']');
        return array;
      }
    }

    private String string() {
      StringBuilder value = new StringBuilder();
      position++;
      while (position < text.length()) {
        char c = text.charAt(position++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\') {
          if (position >= text.length()) {
            break;
          }
          char escape = text.charAt(position++);
          switch (escape) {
            case '"', '\\', '/' -> value.append(escape);
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'u' -> {
              if (position + 4 > text.length()) {
                throw error("incomplete \\u escape");
              }
              try {
                value.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
              } catch (NumberFormatException e) {
                throw error("bad \\u escape \\u" + text.substring(position, position + 4));
              }
              position += 4;
            }
            default -> throw error("bad escape \\" + escape);
          }
        } else if (c < 0x20) {
          position--;
          throw error("control character in a string; write it as an escape such as \\n");
        } else {
          value.append(c);
        }
      }
      throw error("unterminated string");
    }

    private Object number() {
      int start = position;
      if (peek('-')) {
        position++;
      }
      digits();
      boolean integral = true;
      if (peek('.')) {
        integral = false;
        position++;
        digits();
      }
      if (peek('e') || peek('E')) {
        integral = false;
        position++;
        if (peek('+') || peek('-')) {
          position++;
        }
        digits();
      }
      String literal = text.substring(start, position);
      return integral ? new BigInteger(literal) : new BigDecimal(literal);
    }

    private void digits() {
      int start = position;
      while (position < text.length() && Character.isDigit(text.charAt(position))) {
        position++;
      }
      if (start == position) {
        throw error("unexpected " + found() + " in a number; expected a digit");
      }
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, position)) {
        throw error("unexpected " + found() + "; expected a value");
      }
      position += word.length();
      return value;
    }

    private void skip() {
      while (position < text.length()) {
        char c = text.charAt(position);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\uFEFF') {
          position++;
        } else if (text.startsWith("//", position)) {
          int end = text.indexOf('\n', position);
          position = end < 0 ? text.length() : end + 1;
        } else if (text.startsWith("/*", position)) {
          int end = text.indexOf("*/", position + 2);
          if (end < 0) {
            throw error("unterminated /* comment");
          }
          position = end + 2;
        } else {
          return;
        }
      }
    }

    private boolean peek(char c) {
      return position < text.length() && text.charAt(position) == c;
    }

    private void expect(char c) {
      skip();
      if (!peek(c)) {
        throw error("unexpected " + found() + "; expected '" + c + "'");
      }
      position++;
    }

    private String found() {
      return position >= text.length() ? "end of file" : "'" + text.charAt(position) + "'";
    }

    private IllegalArgumentException error(String message) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < Math.min(position, text.length()); i++) {
        if (text.charAt(i) == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      return new IllegalArgumentException("line " + line + ", column " + column + ": " + message);
    }
  }
}
