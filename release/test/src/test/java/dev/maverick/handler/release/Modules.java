package dev.maverick.handler.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The checkout's modules, read from their POMs, so that the tests' expectations follow the tree: a module added
 * under {@code bundles/} is expected in the release, one added under {@code itests/} or {@code benchmarks/} is
 * expected to stay out of it, and the bundles of the OSGi index are the dependencies of
 * {@code release/index/pom.xml} (the one line a new bundle adds: README "Releasing").
 */
final class Modules {
  static final String INDEX_POM = "release/index/pom.xml";

  private Modules() {}

  /** Published jar modules: every bundle and library under bundles/, and the runnable runtime's own jars. */
  static Set<String> published() throws Exception {
    Set<String> published = artifactIdsUnder("bundles");
    published.addAll(artifactIdsUnder("features/runtime"));
    return published;
  }

  /** Modules that are never published: every test, fixture and benchmark module, and this test. */
  static Set<String> unpublished() throws Exception {
    Set<String> unpublished = artifactIdsUnder("itests");
    unpublished.addAll(artifactIdsUnder("benchmarks"));
    unpublished.add(artifactId(Trees.root().resolve("itests/pom.xml")));
    unpublished.add(artifactId(Trees.root().resolve("benchmarks/pom.xml")));
    unpublished.add(artifactId(Trees.root().resolve("release/test/pom.xml")));
    return unpublished;
  }

  /** The project's artifacts that the OSGi index lists: the dependencies of release/index/pom.xml. */
  static Set<String> indexed() throws Exception {
    Element project = read(Trees.root().resolve(INDEX_POM));
    Set<String> indexed = new TreeSet<>();
    NodeList dependencies = child(project, "dependencies").getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      if ("dev.maverick.handler".equals(text(dependency, "groupId"))) {
        indexed.add(text(dependency, "artifactId"));
      }
    }
    return indexed;
  }

  /** The artifactId of every module one directory below {@code directory} (e.g. bundles/core/pom.xml). */
  private static Set<String> artifactIdsUnder(String directory) throws Exception {
    Set<String> artifactIds = new TreeSet<>();
    try (Stream<Path> children = Files.list(Trees.root().resolve(directory))) {
      for (Path pom : children.map(child -> child.resolve("pom.xml")).filter(Files::isRegularFile)
          .toList()) {
        artifactIds.add(artifactId(pom));
      }
    }
    return artifactIds;
  }

  private static String artifactId(Path pom) throws Exception {
    return text(read(pom), "artifactId");
  }

  private static Element read(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    try {
      return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    } catch (IOException e) {
      throw new AssertionError(pom + " cannot be read", e);
    }
  }

  /** The text of a direct child element (not one of a nested element, such as the parent's artifactId). */
  private static String text(Element element, String name) {
    return child(element, name).getTextContent().trim();
  }

  private static Element child(Element element, String name) {
    for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element child && name.equals(child.getTagName())) {
        return child;
      }
    }
    throw new AssertionError("<" + element.getTagName() + "> has no <" + name + ">");
  }
}
