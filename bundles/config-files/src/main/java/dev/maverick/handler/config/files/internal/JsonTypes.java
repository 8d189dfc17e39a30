package dev.maverick.handler.config.files.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The typed layer of the {@code .cfg.json} format (the OSGi Configurator's): a key may end with
 * {@code :Type}, where Type is {@code String}, {@code Integer}, {@code Long}, {@code Float},
 * {@code Double}, {@code Byte}, {@code Short}, {@code Character}, {@code Boolean}, a primitive name
 * ({@code int}, ...), any of them followed by {@code []}, or {@code Collection<T>} (or
 * {@code Collection}). Without a type, a string is a {@code String}, a whole number a {@code Long},
 * any other number a {@code Double}, a boolean a {@code Boolean}, an array an array of those.
 *
 * <p>The type is what follows the <em>last</em> ':' of a key, and only if it is a known type: a
 * key like {@code "jdbc:url"} is a key. A suffix that looks like a type but is none ({@code :Widget})
 * is an error, not a key. A key holding ':' is always written with its type, so it reads back whole.
 */
final class JsonTypes {
  private static final Map<String, Class<?>> SCALARS = Map.ofEntries(
      Map.entry("String", String.class), Map.entry("Integer", Integer.class), Map.entry("Long", Long.class),
      Map.entry("Float", Float.class), Map.entry("Double", Double.class), Map.entry("Byte", Byte.class),
      Map.entry("Short", Short.class), Map.entry("Character", Character.class), Map.entry("Boolean", Boolean.class));
  private static final Map<String, Class<?>> PRIMITIVES = Map.of("int", int.class, "long", long.class,
      "float", float.class, "double", double.class, "byte", byte.class, "short", short.class, "char", char.class,
      "boolean", boolean.class);
  private static final Pattern LOOKS_LIKE_A_TYPE = Pattern.compile("[A-Z][A-Za-z]*(\\[\\])?|Collection<.*>");
  static final String ALLOWED = "String, Integer, Long, Float, Double, Byte, Short, Character, Boolean"
      + " (or int, long, ...), T[] and Collection<T>";

  private JsonTypes() {}

  /** A key of the file split into the property's name and its type (empty: untyped). */
  record TypedKey(String name, Optional<String> type) {}

  /**
   * Splits a key of the file.
   *
   * @throws IllegalArgumentException if the suffix looks like a type but is none
   */
  static TypedKey split(String key) {
    int colon = key.lastIndexOf(':');
    if (colon <= 0) {
      return new TypedKey(key, Optional.empty());
    }
    String type = key.substring(colon + 1).trim();
    if (isKnown(type)) {
      return new TypedKey(key.substring(0, colon), Optional.of(type));
    }
    if (LOOKS_LIKE_A_TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("unknown type " + type + "; allowed: " + ALLOWED
          + " (a key that itself holds ':' is written with its type: \"" + key + ":String\")");
    }
    return new TypedKey(key, Optional.empty());
  }

  private static boolean isKnown(String type) {
    String element = type.endsWith("[]") ? type.substring(0, type.length() - 2).trim() : type;
    if (type.startsWith("Collection<") && type.endsWith(">")) {
      element = type.substring("Collection<".length(), type.length() - 1).trim();
    } else if (type.equals("Collection")) {
      return true;
    }
    return SCALARS.containsKey(element) || PRIMITIVES.containsKey(element);
  }

  /**
   * A JSON value (String, Boolean, BigInteger, BigDecimal or List of those) as the Java value the
   * type asks for.
   *
   * @throws IllegalArgumentException naming what was found and what the type allows
   */
  static Object read(Optional<String> type, Object json) {
    if (type.isEmpty()) {
      return untyped(json);
    }
    String t = type.get();
    if (t.endsWith("[]")) {
      return array(t.substring(0, t.length() - 2).trim(), list(t, json));
    }
    if (t.equals("Collection")) {
      Object array = untyped(list(t, json));
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < Array.getLength(array); i++) {
        values.add(Array.get(array, i));
      }
      return values;
    }
    if (t.startsWith("Collection<")) {
      String element = boxed(t.substring("Collection<".length(), t.length() - 1).trim());
      List<Object> values = new ArrayList<>();
      for (Object item : list(t, json)) {
        values.add(scalar(element, item));
      }
      return values;
    }
    return scalar(boxed(t), json);
  }

  /** The type a value must be written with so that it reads back as the same Java type; empty if none. */
  static Optional<String> typeOf(Object value) {
    if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return Optional.empty();
    }
    if (value instanceof Collection<?> collection) {
      String element = collection.isEmpty() ? "String" : simpleName(collection.iterator().next().getClass());
      return Optional.of("Collection<" + element + ">");
    }
    if (value != null && value.getClass().isArray()) {
      Class<?> component = value.getClass().getComponentType();
      // an empty array reads back as String[]; a non-empty one as the type of its elements
      boolean natural = component == String.class || Array.getLength(value) > 0
          && (component == Long.class || component == Double.class || component == Boolean.class);
      return natural ? Optional.empty() : Optional.of(simpleName(component) + "[]");
    }
    return value == null ? Optional.empty() : Optional.of(simpleName(value.getClass()));
  }

  /** The name a value's own type is written with ({@code String} for a string). */
  static String explicitTypeOf(Object value) {
    return typeOf(value).orElseGet(() -> value != null && value.getClass().isArray()
        ? simpleName(value.getClass().getComponentType()) + "[]" : simpleName(value.getClass()));
  }

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

  private static List<?> list(String type, Object json) {
    if (json instanceof List<?> list) {
      return list;
    }
    throw new IllegalArgumentException("type " + type + " needs a JSON array, not " + describe(json));
  }

  private static Object array(String elementType, List<?> items) {
    Class<?> component = PRIMITIVES.containsKey(elementType) ? PRIMITIVES.get(elementType) : javaType(elementType);
    Object array = Array.newInstance(component, items.size());
    for (int i = 0; i < items.size(); i++) {
      Array.set(array, i, scalar(boxed(elementType), items.get(i)));
    }
    return array;
  }

  private static Object scalar(String type, Object json) {
    try {
      return switch (type) {
        case "String" -> json instanceof String s ? s : fail("String needs a JSON string", json);
        case "Boolean" -> json instanceof Boolean flag ? flag : fail("Boolean needs true or false", json);
        case "Character" -> json instanceof String s && s.length() == 1 ? s.charAt(0)
            : fail("Character needs a string of one character", json);
        case "Long" -> integral(json).longValueExact();
        case "Integer" -> integral(json).intValueExact();
        case "Short" -> integral(json).shortValueExact();
        case "Byte" -> integral(json).byteValueExact();
        case "Double" -> finite(number(json).doubleValue(), json);
        case "Float" -> (float) finite(number(json).floatValue(), json);
        default -> throw new IllegalArgumentException("unknown type " + type + "; allowed: " + ALLOWED);
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(json + " does not fit in " + type, e);
    }
  }

  private static double finite(double value, Object json) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(json + " is too large: a value must be a finite number");
    }
    return value;
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
    Class<?> primitive = PRIMITIVES.get(type);
    return primitive == null ? type : simpleName(java.lang.invoke.MethodType.methodType(primitive).wrap().returnType());
  }

  private static Class<?> javaType(String boxed) {
    Class<?> type = SCALARS.get(boxed);
    if (type == null) {
      throw new IllegalArgumentException("unknown type " + boxed + "; allowed: " + ALLOWED);
    }
    return type;
  }

  private static String simpleName(Class<?> type) {
    return type.isPrimitive() ? type.getName() : type.getSimpleName();
  }

  private static <T> T fail(String what, Object json) {
    throw new IllegalArgumentException(what + ", not " + describe(json));
  }

  static String describe(Object json) {
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
}
