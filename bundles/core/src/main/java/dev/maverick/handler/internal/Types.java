package dev.maverick.handler.internal;

import java.util.List;
import java.util.Map;

/**
 * The one table of Java's primitive types and their boxes, and what is said about an item's type:
 * {@code expected_type} may name a primitive ({@code int}), which an item, always an object,
 * matches by its box.
 */
public final class Types {
  private static final Map<Class<?>, Class<?>> BOXES = Map.of(
      byte.class, Byte.class, short.class, Short.class, int.class, Integer.class, long.class, Long.class,
      float.class, Float.class, double.class, Double.class, boolean.class, Boolean.class, char.class, Character.class);

  private Types() {}

  /** The primitive type of this name ({@code int}, {@code boolean}, ...), or null. */
  public static Class<?> primitiveNamed(String name) {
    for (Class<?> primitive : BOXES.keySet()) {
      if (primitive.getName().equals(name)) {
        return primitive;
      }
    }
    return null;
  }

  /** The box of a primitive type; any other type as it is. */
  public static Class<?> boxed(Class<?> type) {
    return type.isPrimitive() ? BOXES.getOrDefault(type, type) : type; // an item's check: no lookup for a class
  }

  /** Whether {@code item} (not null) is an instance of one of {@code types}, primitives by their box. */
  public static boolean isInstanceOfAny(Object item, List<Class<?>> types) {
    for (Class<?> type : types) {
      if (boxed(type).isInstance(item)) {
        return true;
      }
    }
    return false;
  }

  /** Why an item does not fit: what {@code expected_type} allows and what the item is. */
  public static String mismatch(List<Class<?>> types, Object item) {
    String got = item == null ? "null" : item.getClass().getName();
    if (types.isEmpty()) {
      return "item rejected by validateItem (got " + got + ")";
    }
    StringBuilder expected = new StringBuilder();
    for (Class<?> type : types) {
      expected.append(expected.length() == 0 ? "" : " or ").append(type.getName());
    }
    return "item validation failed: expected " + expected + " (expected_type); got " + got;
  }

  /**
   * Whether {@code type} or a superclass below {@code base} declares a method {@code name} with
   * {@code parameters} parameters (bridges aside): a subclass overriding it.
   */
  public static boolean overrides(Class<?> type, Class<?> base, String name, int parameters) {
    for (Class<?> declaring = type; declaring != base && declaring != null; declaring = declaring.getSuperclass()) {
      for (java.lang.reflect.Method method : declaring.getDeclaredMethods()) {
        if (method.getName().equals(name) && method.getParameterCount() == parameters && !method.isBridge()) {
          return true;
        }
      }
    }
    return false;
  }
}
