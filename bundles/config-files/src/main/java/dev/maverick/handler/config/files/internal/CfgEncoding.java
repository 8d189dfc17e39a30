package dev.maverick.handler.config.files.internal;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a key and a value are written in a {@code .cfg} file so that FileInstall 3.7.4 reads back
 * exactly what was stored. FileInstall reads a file in three layers, and each needs its escapes:
 *
 * <ol>
 *   <li>the properties layer (felix utils' {@code Properties}): lines, comments ({@code #} or
 *       {@code !} first), a key up to an unescaped '=', ':' or blank, continuation lines ending in
 *       '\', leading blanks of a value dropped; in an untyped file Java escapes are undone;
 *   <li>interpolation ({@code InterpolationHelper}), on every value of every file:
 *       <code>${name}</code> is replaced by another key of the file, a framework or system property
 *       or (<code>${env:NAME}</code>) an environment variable, and afterwards {@code \{}, {@code \}}
 *       and {@code \\} lose their backslash and every {@code $__} becomes {@code $};
 *   <li>in a typed file (every value typed, {@code I"7"}, {@code ["a", "b"]}), the typed format
 *       ({@code ConfigurationHandler}): quoted strings with Java-like escapes, {@code \}uXXXX
 *       included.
 * </ol>
 *
 * <p>So a value is escaped for the layers in reverse. An untyped value escapes braces and
 * backslashes for interpolation (no <code>${</code> is left for it to find), then Java-escapes the
 * result, with a leading blank or bracket escaped. A typed string writes '$', '{', '}' and every
 * character outside printable ASCII as {@code \}uXXXX (interpolation never sees a '$'), then doubles
 * every backslash for interpolation to undo. {@code $__} cannot be written untyped at all (no escape
 * survives the {@code $__} rule): such a value needs a typed file. Keys take no interpolation; a
 * character outside {@code [A-Za-z0-9._-]} is written as {@code \}uXXXX, so no key can end a line,
 * start a comment or hold a separator.
 */
final class CfgEncoding {
  /**
   * FileInstall 3.7.4's rule (felix utils 1.11.2, which it shades): a file is typed when every
   * value matches this; otherwise every value is a plain string.
   */
  static final Pattern TYPED_VALUE =
      Pattern.compile("\\s*[TILFDXSCBilfdxscb]?(\\[[\\S\\s]*\\]|\\{[\\S\\s]*\\}|\"[\\S\\s]*\")\\s*");
  /** The characters a key is written with as they are. */
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9._-]");
  /** What interpolation turns into '$' whatever precedes or follows it. */
  private static final String INTERPOLATION_MARKER = "$__";
  private static final Map<Class<?>, Character> TYPE_CODES = Map.ofEntries(
      Map.entry(Integer.class, 'I'), Map.entry(Long.class, 'L'), Map.entry(Float.class, 'F'),
      Map.entry(Double.class, 'D'), Map.entry(Byte.class, 'X'), Map.entry(Short.class, 'S'),
      Map.entry(Character.class, 'C'), Map.entry(Boolean.class, 'B'),
      Map.entry(int.class, 'i'), Map.entry(long.class, 'l'), Map.entry(float.class, 'f'),
      Map.entry(double.class, 'd'), Map.entry(byte.class, 'x'), Map.entry(short.class, 's'),
      Map.entry(char.class, 'c'), Map.entry(boolean.class, 'b'));

  private CfgEncoding() {}

  /** A key as it is written before the {@code " = "}. */
  static String key(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (PLAIN_KEY.matcher(String.valueOf(c)).matches()) {
        out.append(c);
      } else {
        unicode(out, c);
      }
    }
    return out.toString();
  }

  /** True if FileInstall reads a value written like this as typed. */
  static boolean looksTyped(String rawValue) {
    return rawValue.length() >= 2 && TYPED_VALUE.matcher(rawValue).matches();
  }

  /**
   * A string as an untyped value, or empty if an untyped file cannot hold it (it contains
   * {@code $__}). Scalars of other types are written with {@code String.valueOf} by the caller,
   * where the reader knows their type.
   */
  static Optional<String> untyped(String value) {
    if (value.contains(INTERPOLATION_MARKER)) {
      return Optional.empty();
    }
    StringBuilder interpolated = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == '{' || c == '}') {
        interpolated.append('\\');
      }
      interpolated.append(c);
    }
    StringBuilder out = new StringBuilder(interpolated.length() + 8);
    boolean leading = true;
    for (int i = 0; i < interpolated.length(); i++) {
      char c = interpolated.charAt(i);
      leading &= c == ' ';
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\f' -> out.append("\\f");
        case '\b' -> out.append("\\b");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            unicode(out, c);
          } else if (leading || (c == '[' || c == '(') && i <= 1) {
            // a leading blank would be dropped; a leading bracket could make the file read as typed
            out.append('\\').append(c);
          } else {
            out.append(c);
          }
        }
      }
    }
    return Optional.of(out.toString());
  }

  /**
   * A value in the typed format: {@code "text"}, {@code I"7"}, {@code ["a", "b"]}, {@code i["1"]};
   * a collection as an array of its first element's type (FileInstall 3.7.4 reads a file holding
   * the collection form {@code (...)} as untyped).
   *
   * @throws IllegalArgumentException for a number that is not finite, or a type the format lacks
   */
  static String typed(Object value) {
    StringBuilder out = new StringBuilder();
    if (value instanceof Collection<?> collection) {
      Object first = collection.isEmpty() ? "" : collection.iterator().next();
      sequence(out, first.getClass(), collection.toArray());
    } else if (value != null && value.getClass().isArray()) {
      Object[] items = new Object[Array.getLength(value)];
      for (int i = 0; i < items.length; i++) {
        items[i] = Array.get(value, i);
      }
      sequence(out, value.getClass().getComponentType(), items);
    } else {
      typeCode(out, value == null ? Object.class : value.getClass());
      quoted(out, value);
    }
    // interpolation removes one backslash of each pair: give it pairs
    return out.toString().replace("\\", "\\\\");
  }

  private static void sequence(StringBuilder out, Class<?> elementType, Object[] items) {
    typeCode(out, elementType);
    out.append('[');
    for (int i = 0; i < items.length; i++) {
      out.append(i == 0 ? "" : ", ");
      if (items[i] != null && !elementType.isPrimitive() && items[i].getClass() != elementType) {
        throw new IllegalArgumentException("an array of " + elementType.getSimpleName() + " holding "
            + items[i].getClass().getSimpleName() + " cannot be written to a .cfg file");
      }
      quoted(out, items[i]);
    }
    out.append(']');
  }

  private static void typeCode(StringBuilder out, Class<?> type) {
    if (type == String.class) {
      return;
    }
    Character code = TYPE_CODES.get(type);
    if (code == null) {
      throw new IllegalArgumentException("a value of type " + type.getName() + " cannot be written to a .cfg file;"
          + " allowed: String, Integer, Long, Float, Double, Byte, Short, Character, Boolean, arrays and collections of them");
    }
    out.append(code);
  }

  private static void quoted(StringBuilder out, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("a null value cannot be written to a .cfg file");
    }
    if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
      throw new IllegalArgumentException(value + " is not a finite number and cannot be written to a .cfg file");
    }
    String text = String.valueOf(value);
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' || c == '"') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e || c == '$' || c == '{' || c == '}') {
        unicode(out, c);
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static void unicode(StringBuilder out, char c) {
    out.append(String.format("\\u%04x", (int) c));
  }
}
