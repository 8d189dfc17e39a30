package dev.maverick.handler.ds.testing;

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
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Holds a handler bundle's published description to what the handler really does: reads the
 * metatype XML that bnd generated from the {@code @ObjectClassDefinition} (in
 * {@code target/classes}, made before the tests run), so that a test can check every default
 * against the handler's effective configuration and every key against the README.
 */
public final class MetatypeContract {
  /** The generated classes folder of the module under test, as Maven lays it out. */
  public static final Path CLASSES = Path.of("target", "classes");

  /** One {@code <AD>} of the generated metatype. */
  public record Attribute(String id, String type, String defaultValue, boolean required, List<String> options) {}

  /** One generated OCD and how it is designated. */
  public record Description(String id, boolean factory, List<Attribute> attributes) {
    /** The attribute keys, in declaration order. */
    public List<String> keys() {
      return attributes.stream().map(Attribute::id).toList();
    }

    /** The attribute with this key. */
    public Attribute attribute(String key) {
      return attributes.stream().filter(a -> a.id().equals(key)).findFirst()
          .orElseThrow(() -> new AssertionError("metatype " + id + " has no attribute " + key + "; it has " + keys()));
    }
  }

  private MetatypeContract() {}

  /** Reads {@code OSGI-INF/metatype/<pid>.xml} under {@link #CLASSES}. */
  public static Description read(String pid) {
    Path file = CLASSES.resolve("OSGI-INF/metatype/" + pid + ".xml");
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("no generated metatype " + file.toAbsolutePath() + " (bnd-process runs before the tests)");
    }
    Document document;
    try (InputStream in = Files.newInputStream(file)) {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      DocumentBuilder builder = factory.newDocumentBuilder();
      document = builder.parse(in);
    } catch (IOException | ParserConfigurationException | SAXException e) {
      throw new AssertionError("cannot read " + file, e);
    }
    List<Attribute> attributes = new ArrayList<>();
    NodeList ads = document.getElementsByTagNameNS("*", "AD");
    if (ads.getLength() == 0) {
      ads = document.getElementsByTagName("AD");
    }
    for (int i = 0; i < ads.getLength(); i++) {
      Element ad = (Element) ads.item(i);
      List<String> options = new ArrayList<>();
      NodeList optionNodes = ad.getElementsByTagName("Option");
      for (int j = 0; j < optionNodes.getLength(); j++) {
        options.add(((Element) optionNodes.item(j)).getAttribute("value"));
      }
      attributes.add(new Attribute(ad.getAttribute("id"), ad.getAttribute("type"),
          ad.hasAttribute("default") ? ad.getAttribute("default") : null,
          !"false".equals(ad.getAttribute("required")), List.copyOf(options)));
    }
    Element designate = (Element) document.getElementsByTagName("Designate").item(0);
    boolean factory = designate != null && !designate.getAttribute("factoryPid").isEmpty();
    return new Description(pid, factory, List.copyOf(attributes));
  }

  /**
   * Fails unless every attribute with a default has exactly that value in {@code effective} (the
   * configuration a handler runs with when the key is not set), compared as text.
   */
  public static void assertDefaultsAreEffective(Description description, Map<String, ?> effective) {
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
