package dev.maverick.handler.config.files.internal;

import dev.maverick.handler.ConfigKeys;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.felix.utils.properties.InterpolationHelper;
import org.apache.felix.utils.properties.Properties;
import org.apache.felix.utils.properties.TypedProperties;
import org.osgi.framework.BundleContext;

/**
 * A {@code .cfg} file as FileInstall reads it (its values, after interpolation) and as it is laid
 * out (comments, key order, the lines of each value, typed or untyped), so that a change can be
 * written back in the file's own style: lines of unchanged keys stay as they were written, changed
 * and new keys are written untyped in an untyped file where the reader knows their type, and the
 * whole file becomes typed only when a value needs it (see {@link CfgEncoding}).
 */
final class CfgFile {
  private final List<String> header;
  private final List<Entry> entries;
  private final List<String> footer;
  private final boolean typed;
  private final Map<String, Object> values;
  private final String text;

  /** One property as written: its comments, its physical lines and its raw value. */
  private record Entry(String key, List<String> comments, List<String> lines, String rawValue) {}

  private CfgFile(List<String> header, List<Entry> entries, List<String> footer, boolean typed,
      Map<String, Object> values, String text) {
    this.header = header;
    this.entries = entries;
    this.footer = footer;
    this.typed = typed;
    this.values = values;
    this.text = text;
  }

  /**
   * Reads a file's text as FileInstall does.
   *
   * @param context where interpolation looks up framework properties (null: system properties only)
   * @throws IOException if the text cannot be read as FileInstall reads it (a bad <code>${...}</code>)
   */
  static CfgFile parse(String text, BundleContext context) throws IOException {
    Map<String, Entry> byKey = new LinkedHashMap<>();
    boolean allTyped = true;
    List<String> trailing;
    try (Properties.PropertiesReader reader = new Properties.PropertiesReader(new StringReader(text), true)) {
      while (reader.nextProperty()) {
        String raw = reader.getPropertyValue();
        allTyped &= CfgEncoding.looksTyped(raw);
        // a key given twice: FileInstall takes the last; keep it where the first was
        byKey.merge(reader.getPropertyName(), new Entry(reader.getPropertyName(),
            List.copyOf(reader.getCommentLines()), List.copyOf(reader.getValueLines()), raw), (first, last) -> last);
      }
      trailing = List.copyOf(reader.getCommentLines());
    }
    InterpolationHelper.SubstitutionCallback lookup = new InterpolationHelper.BundleContextSubstitutionCallback(context);
    TypedProperties read = new TypedProperties((name, key, value) -> lookup.getValue(value));
    try {
      read.load(new StringReader(text));
    } catch (IllegalArgumentException badVariable) {
      throw new IOException(badVariable.getMessage(), badVariable);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (String key : read.keySet()) {
      values.put(key, read.get(key));
    }
    return new CfgFile(List.of(), List.copyOf(byKey.values()), trailing, allTyped && !byKey.isEmpty(), values, text);
  }

  /** A file that does not exist yet, to start with these comment lines. */
  static CfgFile create(List<String> header) {
    return new CfgFile(List.copyOf(header), List.of(), List.of(), false, Map.of(), "");
  }

  /** The values as FileInstall reads them, framework keys included. */
  Map<String, Object> values() {
    return Collections.unmodifiableMap(values);
  }

  /** True if FileInstall reads the file as typed. */
  boolean typed() {
    return typed;
  }

  /**
   * The file's text after the configuration changed to {@code configured}, or empty if the text
   * stays the same.
   *
   * @param configured the configuration's own keys (no framework keys), in their order
   * @param declaredScalars keys the configuration's metatype declares with one value of a known type:
   *     those may be written untyped, the reader converts them
   * @throws IllegalArgumentException naming the key, if a value cannot be written (not finite,
   *     of a type the format lacks), or if the file must become typed and would lose a variable
   */
  Optional<String> rewrite(Map<String, Object> configured, Set<String> declaredScalars) {
    Map<String, Object> wanted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    wanted.putAll(configured);
    Map<String, Object> onDisk = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    onDisk.putAll(values);
    boolean asTyped = typed;
    for (Map.Entry<String, Object> entry : configured.entrySet()) {
      String key = entry.getKey();
      checkWritable(key, entry.getValue());
      boolean unchanged = onDisk.containsKey(key) && Values.same(onDisk.get(key), entry.getValue(), !typed);
      if (!asTyped && !unchanged && untyped(entry.getValue(), declaredScalars.contains(key)).isEmpty()) {
        asTyped = true;
      }
    }
    List<String> out = new ArrayList<>(header);
    Set<String> written = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (Entry entry : entries) {
      boolean framework = ConfigKeys.isFrameworkKey(entry.key()) && !wanted.containsKey(entry.key());
      if (!framework && !wanted.containsKey(entry.key())) {
        continue; // removed from the configuration: its lines and comments go
      }
      Object value = framework ? onDisk.get(entry.key()) : wanted.get(entry.key());
      boolean unchanged = framework || Values.same(onDisk.get(entry.key()), value, !typed);
      out.addAll(entry.comments());
      if (unchanged && asTyped == typed) {
        out.addAll(entry.lines());
      } else {
        if (unchanged && entry.rawValue().contains("${")) {
          throw new IllegalArgumentException("'" + entry.key() + "' holds a ${...} variable, which would be lost: "
              + "another value needs the typed format, and a typed file is written whole");
        }
        out.add(line(entry.key(), value, asTyped, declaredScalars));
      }
      written.add(entry.key());
    }
    for (Map.Entry<String, Object> entry : configured.entrySet()) {
      if (!written.contains(entry.getKey())) {
        out.add(line(entry.getKey(), entry.getValue(), asTyped, declaredScalars));
      }
    }
    out.addAll(footer);
    String rewritten = String.join("\n", out) + "\n";
    return rewritten.equals(text) ? Optional.empty() : Optional.of(rewritten);
  }

  private static String line(String key, Object value, boolean typed, Set<String> declaredScalars) {
    String encoded = typed ? CfgEncoding.typed(value)
        : untyped(value, declaredScalars.contains(key)).orElseThrow(() -> new IllegalStateException(key));
    return CfgEncoding.key(key) + " = " + encoded;
  }

  /** A value in the untyped format, if an untyped file can hold it and its reader knows its type. */
  private static Optional<String> untyped(Object value, boolean declaredScalar) {
    if (value instanceof String text) {
      return CfgEncoding.untyped(text);
    }
    boolean scalar = value instanceof Number || value instanceof Boolean || value instanceof Character;
    return scalar && declaredScalar ? CfgEncoding.untyped(String.valueOf(value)) : Optional.empty();
  }

  private static void checkWritable(String key, Object value) {
    try {
      CfgEncoding.typed(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + key + "': " + e.getMessage(), e);
    }
  }
}
