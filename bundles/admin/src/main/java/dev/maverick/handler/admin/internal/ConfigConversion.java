package dev.maverick.handler.admin.internal;

import dev.maverick.handler.InvalidConfigurationException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.osgi.service.metatype.AttributeDefinition;

/**
 * Turns a value from JSON or the shell into the value stored in Config Admin. The type comes from,
 * in order: the kind's metatype for the key; the type of the value already stored (so that a key
 * read from a {@code .cfg} file stays a string); the JSON value's own type. Whether the value is
 * allowed is the kind's {@code validate}'s decision, not this class's.
 */
final class ConfigConversion {
  private ConfigConversion() {}

  /**
   * Converts one value.
   *
   * @param definition the key's metatype attribute, or null
   * @param existing the value stored now, or null
   * @throws InvalidConfigurationException when the value cannot take the needed type
   */
  static Object toConfigValue(String key, Object value, AttributeDefinition definition, Object existing) {
    if (value == null) {
      return null;
    }
    if (definition != null) {
      return byDefinition(key, value, definition);
    }
    if (existing != null) {
      return likeExisting(key, value, existing);
    }
    return natural(key, value);
  }

  private static Object byDefinition(String key, Object value, AttributeDefinition definition) {
    int type = definition.getType();
    int cardinality = definition.getCardinality();
    if (cardinality == 0) {
      return scalar(key, single(key, value), type);
    }
    List<Object> converted = new ArrayList<>();
    for (Object element : elements(value)) {
      converted.add(scalar(key, element, type));
    }
    if (cardinality < 0) {
      return converted;
    }
    Object array = Array.newInstance(javaType(type), converted.size());
    for (int i = 0; i < converted.size(); i++) {
      Array.set(array, i, converted.get(i));
    }
    return array;
  }

  private static Object likeExisting(String key, Object value, Object existing) {
    if (existing instanceof String) {
      return text(key, single(key, value));
    }
    if (existing.getClass().isArray()) {
      Class<?> component = existing.getClass().getComponentType();
      List<Object> elements = elements(value);
      Object array = Array.newInstance(component.isPrimitive() ? boxed(component) : component, elements.size());
      for (int i = 0; i < elements.size(); i++) {
        Array.set(array, i, ofClass(key, elements.get(i), component));
      }
      return array;
    }
    if (existing instanceof Collection<?>) {
      List<Object> texts = new ArrayList<>();
      for (Object element : elements(value)) {
        texts.add(text(key, element));
      }
      return texts;
    }
    return ofClass(key, single(key, value), existing.getClass());
  }

  private static Object natural(String key, Object value) {
    if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof Double) {
      return value;
    }
    if (value instanceof BigInteger || value instanceof BigDecimal) {
      return value.toString();
    }
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof Collection<?> || value instanceof Object[]) {
      List<Object> elements = elements(value);
      String[] texts = new String[elements.size()];
      for (int i = 0; i < texts.length; i++) {
        texts[i] = text(key, elements.get(i));
      }
      return texts;
    }
    throw new InvalidConfigurationException(key, value, "a string, number, boolean or list of them");
  }

  /** The metatype type of each Java type a configuration value may have. */
  private static final Map<Class<?>, Integer> TYPES = Map.of(String.class, AttributeDefinition.STRING,
      Boolean.class, AttributeDefinition.BOOLEAN, Integer.class, AttributeDefinition.INTEGER,
      Long.class, AttributeDefinition.LONG, Double.class, AttributeDefinition.DOUBLE,
      Float.class, AttributeDefinition.FLOAT, Short.class, AttributeDefinition.SHORT,
      Byte.class, AttributeDefinition.BYTE, Character.class, AttributeDefinition.CHARACTER);

  private static Object ofClass(String key, Object value, Class<?> type) {
    Integer metatype = TYPES.get(type.isPrimitive() ? boxed(type) : type);
    if (metatype == null) {
      return natural(key, value);
    }
    return metatype == AttributeDefinition.STRING ? text(key, value) : scalar(key, value, metatype);
  }

  private static Object scalar(String key, Object value, int type) {
    try {
      return switch (type) {
        case AttributeDefinition.BOOLEAN -> bool(key, value);
        case AttributeDefinition.INTEGER -> Math.toIntExact(integral(value));
        case AttributeDefinition.LONG -> integral(value);
        case AttributeDefinition.SHORT -> (short) Math.toIntExact(checkRange(integral(value), Short.MIN_VALUE, Short.MAX_VALUE));
        case AttributeDefinition.BYTE -> (byte) Math.toIntExact(checkRange(integral(value), Byte.MIN_VALUE, Byte.MAX_VALUE));
        case AttributeDefinition.DOUBLE -> decimal(value);
        case AttributeDefinition.FLOAT -> (float) decimal(value);
        case AttributeDefinition.CHARACTER -> character(value);
        default -> text(key, value);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      String word = Metatypes.typeName(type);
      throw new InvalidConfigurationException(key, value, ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word, e);
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
    if (value instanceof Number number) {
      return new BigDecimal(number.toString()).longValueExact();
    }
    if (value instanceof String text) {
      return new BigDecimal(text.trim()).longValueExact();
    }
    throw new NumberFormatException("not a number");
  }

  private static long checkRange(long value, long min, long max) {
    if (value < min || value > max) {
      throw new ArithmeticException("out of range");
    }
    return value;
  }

  private static double decimal(Object value) {
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof String text) {
      return Double.parseDouble(text.trim());
    }
    throw new NumberFormatException("not a number");
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

  private static Class<?> javaType(int type) {
    return TYPES.entrySet().stream().filter(entry -> entry.getValue() == type).map(Map.Entry::getKey).findFirst()
        .orElse(String.class);
  }

  private static Class<?> boxed(Class<?> primitive) {
    return Array.get(Array.newInstance(primitive, 1), 0).getClass();
  }
}
