package dev.maverick.handler.admin.internal;

import dev.maverick.handler.InvalidConfigurationException;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.metatype.AttributeDefinition;

/**
 * Turns a value from JSON or the shell into the value stored in Config Admin, in one step: first
 * the target (an element type, and whether it is one value, an array or a list), then the value
 * converted to it. The target comes from, in order: the kind's metatype for the key; the value
 * already stored (so that a key read from a {@code .cfg} file stays a string); the value's own
 * type. Whether the value is allowed is the kind's {@code validate}'s decision, not this class's.
 */
final class ConfigConversion {
  /** The Java type of each metatype type. */
  private static final Map<Integer, Class<?>> TYPES = Map.of(AttributeDefinition.STRING, String.class,
      AttributeDefinition.PASSWORD, String.class, AttributeDefinition.BOOLEAN, Boolean.class,
      AttributeDefinition.INTEGER, Integer.class, AttributeDefinition.LONG, Long.class,
      AttributeDefinition.DOUBLE, Double.class, AttributeDefinition.FLOAT, Float.class,
      AttributeDefinition.SHORT, Short.class, AttributeDefinition.BYTE, Byte.class,
      AttributeDefinition.CHARACTER, Character.class);

  private enum Shape { ONE, ARRAY, LIST }

  /** What a value becomes: elements of {@code type}, one or many. */
  private record Target(Class<?> type, Shape shape) {}

  private ConfigConversion() {}

  /**
   * Converts one value.
   *
   * @param definition the key's metatype attribute, or null
   * @param existing the value stored now, or null
   * @return null for null
   * @throws InvalidConfigurationException when the value cannot take the needed type
   */
  static Object toConfigValue(String key, Object value, AttributeDefinition definition, Object existing) {
    if (value == null) {
      return null;
    }
    Target target = definition != null ? byDefinition(definition)
        : existing != null ? likeExisting(existing) : natural(key, value);
    if (target.shape() == Shape.ONE) {
      return element(key, single(key, value), target.type());
    }
    List<Object> elements = new ArrayList<>();
    for (Object element : elements(value)) {
      elements.add(element(key, element, target.type()));
    }
    if (target.shape() == Shape.LIST) {
      return elements;
    }
    Object array = Array.newInstance(target.type(), elements.size());
    for (int i = 0; i < elements.size(); i++) {
      Array.set(array, i, elements.get(i));
    }
    return array;
  }

  private static Target byDefinition(AttributeDefinition definition) {
    int cardinality = definition.getCardinality();
    return new Target(TYPES.getOrDefault(definition.getType(), String.class),
        cardinality == 0 ? Shape.ONE : cardinality > 0 ? Shape.ARRAY : Shape.LIST);
  }

  private static Target likeExisting(Object existing) {
    if (existing.getClass().isArray()) {
      return new Target(known(boxed(existing.getClass().getComponentType())), Shape.ARRAY);
    }
    if (existing instanceof Collection<?>) {
      return new Target(String.class, Shape.LIST);
    }
    return new Target(known(existing.getClass()), Shape.ONE);
  }

  /** JSON's own types stay; big numbers become text; lists become string arrays, as a {@code .cfg} holds them. */
  private static Target natural(String key, Object value) {
    if (value instanceof Collection<?> || value instanceof Object[]) {
      return new Target(String.class, Shape.ARRAY);
    }
    if (value instanceof Map<?, ?>) {
      throw new InvalidConfigurationException(key, value, "a string, number, boolean or list of them");
    }
    return new Target(value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof Double ? value.getClass() : String.class, Shape.ONE);
  }

  private static Class<?> known(Class<?> type) {
    return TYPES.containsValue(type) ? type : String.class;
  }

  private static Class<?> boxed(Class<?> type) {
    return type.isPrimitive() ? MethodType.methodType(type).wrap().returnType() : type;
  }

  private static Object element(String key, Object value, Class<?> type) {
    try {
      if (type == Boolean.class) {
        return bool(key, value);
      } else if (type == Integer.class) {
        return Math.toIntExact(integral(value));
      } else if (type == Long.class) {
        return integral(value);
      } else if (type == Short.class) {
        return (short) within(integral(value), Short.MIN_VALUE, Short.MAX_VALUE);
      } else if (type == Byte.class) {
        return (byte) within(integral(value), Byte.MIN_VALUE, Byte.MAX_VALUE);
      } else if (type == Double.class) {
        return decimal(value);
      } else if (type == Float.class) {
        double number = decimal(value);
        if (Math.abs(number) > Float.MAX_VALUE) {
          throw new ArithmeticException("out of range");
        }
        return (float) number;
      } else if (type == Character.class) {
        return character(value);
      }
      return text(key, value);
    } catch (NumberFormatException | ArithmeticException e) {
      String word = type == Character.class ? "single character" : type.getSimpleName().toLowerCase(Locale.ROOT);
      String allowed = ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word
          + (type == Double.class || type == Float.class ? ", finite" : "");
      throw new InvalidConfigurationException(key, value, allowed, e);
    }
  }

  private static Object single(String key, Object value) {
    if (value instanceof Collection<?> || value instanceof Object[]) {
      List<Object> elements = elements(value);
      if (elements.size() == 1) {
        return elements.get(0);
      }
      throw new InvalidConfigurationException(key, value, "a single value");
    }
    if (value instanceof Map<?, ?>) {
      throw new InvalidConfigurationException(key, value, "a single value, not an object");
    }
    return value;
  }

  private static List<Object> elements(Object value) {
    if (value instanceof Collection<?> collection) {
      return new ArrayList<>(collection);
    }
    if (value != null && value.getClass().isArray()) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        list.add(Array.get(value, i));
      }
      return list;
    }
    if (value instanceof String text && text.contains(",")) {
      // the shell's and the form's way to write a list: a,b,c
      List<Object> list = new ArrayList<>();
      for (String part : text.split(",")) {
        list.add(part.trim());
      }
      return list;
    }
    return List.of(value);
  }

  private static String text(String key, Object value) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
      return String.valueOf(value);
    }
    throw new InvalidConfigurationException(key, value, "a single string, number or boolean");
  }

  private static Boolean bool(String key, Object value) {
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof String text && (text.trim().equalsIgnoreCase("true") || text.trim().equalsIgnoreCase("false"))) {
      return Boolean.valueOf(text.trim());
    }
    throw new InvalidConfigurationException(key, value, "true or false");
  }

  private static long integral(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number || value instanceof String) {
      return new BigDecimal(value.toString().trim()).longValueExact();
    }
    throw new NumberFormatException("not a number");
  }

  private static double decimal(Object value) {
    double number;
    if (value instanceof Number given) {
      number = given instanceof BigInteger || given instanceof BigDecimal ? new BigDecimal(given.toString()).doubleValue()
          : given.doubleValue();
    } else if (value instanceof String text) {
      number = Double.parseDouble(text.trim());
    } else {
      throw new NumberFormatException("not a number");
    }
    if (!Double.isFinite(number)) {
      // NaN and infinities cannot be written to a configuration file and read back
      throw new NumberFormatException("not finite");
    }
    return number;
  }

  private static long within(long value, long min, long max) {
    if (value < min || value > max) {
      throw new ArithmeticException("out of range");
    }
    return value;
  }

  private static Character character(Object value) {
    if (value instanceof Character c) {
      return c;
    }
    if (value instanceof String text && text.length() == 1) {
      return text.charAt(0);
    }
    throw new NumberFormatException("not a single character");
  }
}
