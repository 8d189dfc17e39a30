package dev.maverick.handler.ds.testing;

import dev.maverick.handler.ds.KindMetatype;
import dev.maverick.handler.ds.KindMetatype.Attribute;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Holds a handler bundle's published description to what the handler really does: reads the
 * metatype XML that bnd generated from the {@code @ObjectClassDefinition} (in
 * {@code target/classes}, made before the tests run), so that a test can check every default
 * against the handler's effective configuration and every key against the README.
 */
public final class MetatypeContract {
  /** The generated classes folder of the module under test, as Maven lays it out. */
  public static final Path CLASSES = Path.of("target", "classes");

  private MetatypeContract() {}

  /** Reads {@code OSGI-INF/metatype/<pid>.xml} under {@link #CLASSES}, with the reader the kinds use. */
  public static KindMetatype read(String pid) {
    Path file = CLASSES.resolve(KindMetatype.resourceName(pid));
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("no generated metatype " + file.toAbsolutePath() + " (bnd-process runs before the tests)");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return KindMetatype.parse(pid, in);
    } catch (IOException | IllegalStateException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /**
   * Fails unless every attribute with a default has exactly that value in {@code effective} (the
   * configuration a handler runs with when the key is not set), compared as text.
   */
  public static void assertDefaultsAreEffective(KindMetatype description, Map<String, ?> effective) {
    List<String> wrong = new ArrayList<>();
    for (Attribute attribute : description.attributes()) {
      if (attribute.defaultValue() == null) {
        continue;
      }
      if (!effective.containsKey(attribute.id())) {
        wrong.add(attribute.id() + ": documented default '" + attribute.defaultValue() + "' but no effective value");
      } else if (!Objects.equals(attribute.defaultValue(), String.valueOf(effective.get(attribute.id())))) {
        wrong.add(attribute.id() + ": documented default '" + attribute.defaultValue() + "', effective '"
            + effective.get(attribute.id()) + "'");
      }
    }
    if (!wrong.isEmpty()) {
      throw new AssertionError("metatype " + description.id() + " disagrees with the handler: " + wrong);
    }
  }

  /** Fails unless the README has a table row for each key, written {@code | `key` |}. */
  public static void assertDocumented(Path readme, Collection<String> keys) {
    String text;
    try {
      text = Files.readString(readme, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + readme.toAbsolutePath(), e);
    }
    List<String> missing = keys.stream().filter(key -> !text.contains("| `" + key + "` |")).toList();
    if (!missing.isEmpty()) {
      throw new AssertionError(readme + " documents no table row for " + missing);
    }
  }
}
