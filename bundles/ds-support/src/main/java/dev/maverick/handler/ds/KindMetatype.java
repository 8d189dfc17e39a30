package dev.maverick.handler.ds;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The metatype a kind's bundle publishes for its configuration PID, as bnd generated it from the
 * kind's {@code @ObjectClassDefinition} ({@code OSGI-INF/metatype/<pid>.xml} in the bundle). It
 * is read from the bundle's own class loader, so it works the same in Felix and in a unit test.
 *
 * @param id the OCD id: the kind's configuration PID
 * @param factory true when the PID is designated as a factory PID
 * @param attributes the attribute definitions, in declaration order
 */
public record KindMetatype(String id, boolean factory, List<Attribute> attributes) {

  /** Where bnd writes a PID's metatype inside a bundle. */
  public static String resourceName(String pid) {
    return "OSGI-INF/metatype/" + pid + ".xml";
  }

  /**
   * One attribute definition.
   *
   * @param id the configuration key
   * @param type its metatype type name ({@code String}, {@code Integer}, ...)
   * @param defaultValue its default as written in the metatype, or null
   * @param required whether a value is required
   * @param cardinality 0 for a single value, otherwise the most values an array may hold
   * @param options the allowed values, empty when any value of the type is allowed
   */
  public record Attribute(String id, String type, String defaultValue, boolean required, int cardinality,
      List<String> options) {}

  /** The attribute keys, in declaration order. */
  public List<String> keys() {
    return attributes.stream().map(Attribute::id).toList();
  }

  /**
   * The attribute with this key.
   *
   * @throws IllegalArgumentException naming the keys there are, when there is none
   */
  public Attribute attribute(String key) {
    return attributes.stream().filter(a -> a.id().equals(key)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("metatype " + id + " has no attribute " + key + "; it has " + keys()));
  }

  /**
   * The metatype of {@code pid} among the resources of {@code loader}, or empty when the bundle
   * publishes none for it.
   *
   * @throws IllegalStateException when the resource exists but is not a metatype document
   */
  public static Optional<KindMetatype> find(ClassLoader loader, String pid) {
    URL resource = loader == null ? null : loader.getResource(resourceName(pid));
    if (resource == null) {
      return Optional.empty();
    }
    try (InputStream in = resource.openStream()) {
      return Optional.of(parse(pid, in));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the metatype of " + pid + " at " + resource, e);
    }
  }

  /**
   * Parses a metatype document (no DTDs, no external entities).
   *
   * @throws IllegalStateException when it is not a metatype document
   */
  public static KindMetatype parse(String pid, InputStream in) throws IOException {
    Document document;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      document = factory.newDocumentBuilder().parse(in);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("the metatype of " + pid + " is not a metatype document: " + e.getMessage(), e);
    }
    List<Attribute> attributes = new ArrayList<>();
    NodeList ads = elements(document, "AD");
    for (int i = 0; i < ads.getLength(); i++) {
      Element ad = (Element) ads.item(i);
      List<String> options = new ArrayList<>();
      NodeList optionNodes = ad.getElementsByTagName("Option");
      for (int j = 0; j < optionNodes.getLength(); j++) {
        options.add(((Element) optionNodes.item(j)).getAttribute("value"));
      }
      attributes.add(new Attribute(ad.getAttribute("id"), ad.getAttribute("type"),
          ad.hasAttribute("default") ? ad.getAttribute("default") : null,
          !"false".equals(ad.getAttribute("required")), cardinality(ad), List.copyOf(options)));
    }
    Element designate = (Element) elements(document, "Designate").item(0);
    boolean factory = designate != null && !designate.getAttribute("factoryPid").isEmpty();
    return new KindMetatype(pid, factory, List.copyOf(attributes));
  }

  /** Elements by local name: bnd writes the metatype's inner elements without a namespace. */
  private static NodeList elements(Document document, String localName) {
    NodeList found = document.getElementsByTagNameNS("*", localName);
    return found.getLength() > 0 ? found : document.getElementsByTagName(localName);
  }

  private static int cardinality(Element ad) {
    String text = ad.getAttribute("cardinality");
    try {
      return text.isEmpty() ? 0 : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
