package dev.maverick.handler.release;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Domain;
import aQute.bnd.osgi.repository.ResourcesRepository;
import aQute.bnd.osgi.repository.XMLResourceParser;
import aQute.bnd.osgi.resource.ResourceUtils;
import aQute.bnd.osgi.resource.ResourceUtils.ContentCapability;
import aQute.bnd.osgi.resource.ResourceUtils.IdentityCapability;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.BeforeClass;
import org.junit.Test;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

/**
 * The released OSGi repository index, read by bnd's own parser as bnd, and the resolvers built on it, read it from
 * the repository (its relative URLs resolved against the index's own location).
 */
public class OsgiIndexTest {
  private static Rehearsal release;
  private static Path index;
  private static List<Resource> resources;
  /** Bundle-SymbolicName of every bundle jar in the release, with its manifest. */
  private static final Map<String, Manifest> RELEASED_BUNDLES = new HashMap<>();

  @BeforeClass
  public static void readIndex() throws Throwable {
    release = Rehearsal.release();
    index = release.artifact("osgi-repository", "index", "xml");
    resources = XMLResourceParser.getResources(index.toUri());
    try (Stream<Path> dirs = Files.list(release.repository.resolve(Rehearsal.GROUP_PATH))) {
      for (Path dir : dirs.collect(Collectors.toList())) {
        Path jar = release.artifact(dir.getFileName().toString(), null, "jar");
        if (Files.isRegularFile(jar)) {
          try (JarFile jarFile = new JarFile(jar.toFile())) {
            Manifest manifest = jarFile.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn != null) {
              RELEASED_BUNDLES.put(bsn.split(";")[0].trim(), manifest);
            }
          }
        }
      }
    }
  }

  @Test
  public void theIndexListsEveryReleasedBundleAtTheTagsVersionWithItsContentInTheRepository() throws Exception {
    Set<String> indexed = new TreeSet<>();
    for (Resource resource : resources) {
      IdentityCapability identity = ResourceUtils.getIdentityCapability(resource);
      indexed.add(identity.osgi_identity());
      assertEquals(identity.osgi_identity() + "'s version", Rehearsal.VERSION, identity.version().toString());

      ContentCapability content = ResourceUtils.getContentCapability(resource);
      Path file = Path.of(content.url());
      assertTrue(identity.osgi_identity() + ": " + content.url() + " is a file of the release",
          file.startsWith(release.repository) && Files.isRegularFile(file));
      assertEquals(content.url() + "'s size", Files.size(file), content.size());
      assertEquals(content.url() + "'s SHA-256", ReleasedArtifactsTest.digest(file, "SHA-256"),
          content.osgi_content().toLowerCase(java.util.Locale.ROOT));
    }
    assertEquals("every released bundle is in the index, and nothing else (a new bundle adds itself to "
        + Modules.INDEX_POM + ")", new TreeSet<>(RELEASED_BUNDLES.keySet()), indexed);
    // the bundles that release/index/pom.xml names, by their own symbolic names
    Set<String> named = new TreeSet<>();
    for (String artifactId : Modules.indexed()) {
      Path jar = release.artifact(artifactId, null, "jar");
      assertTrue(Modules.INDEX_POM + " names " + artifactId + ", which is not released", Files.isRegularFile(jar));
      try (JarFile jarFile = new JarFile(jar.toFile())) {
        named.add(jarFile.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim());
      }
    }
    assertEquals("the index holds the bundles " + Modules.INDEX_POM + " names", named, indexed);
    assertTrue("the core's API is indexed", indexed.contains("dev.maverick.handler.core"));
  }

  @Test
  public void eachBundlesExportedPackagesAndServicesAreCapabilitiesInTheIndex() {
    for (Resource resource : resources) {
      String bsn = ResourceUtils.getIdentityCapability(resource).osgi_identity();
      Parameters exports = Domain.domain(RELEASED_BUNDLES.get(bsn)).getExportPackage();
      Set<String> indexedPackages = resource.getCapabilities("osgi.wiring.package").stream()
          .map(capability -> (String) capability.getAttributes().get("osgi.wiring.package"))
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(bsn + "'s exported packages", new TreeSet<>(exports.keySet()), indexedPackages);
    }
    Resource core = byIdentity("dev.maverick.handler.core");
    Capability api = core.getCapabilities("osgi.wiring.package").get(0);
    assertEquals("the core's API package", "dev.maverick.handler", api.getAttributes().get("osgi.wiring.package"));
    assertFalse("the echo bundle's components are described (osgi.service, osgi.extender requirement)",
        byIdentity("dev.maverick.handler.echo").getRequirements("osgi.extender").isEmpty());
  }

  @Test
  public void everyImportOfTheProjectsOwnPackagesIsSatisfiedWithinTheIndex() {
    ResourcesRepository repository = new ResourcesRepository(resources);
    int checked = 0;
    for (Resource resource : resources) {
      for (Requirement requirement : resource.getRequirements("osgi.wiring.package")) {
        String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
        boolean optional = Namespace.RESOLUTION_OPTIONAL.equals(
            requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
        if (filter != null && filter.contains("osgi.wiring.package=dev.maverick.handler") && !optional) {
          List<Capability> providers = repository.findProvider(requirement);
          assertFalse(ResourceUtils.getIdentityCapability(resource).osgi_identity() + " needs " + filter
              + ", which no bundle of the index provides", providers.isEmpty());
          checked++;
        }
      }
    }
    assertTrue("the handler bundles import the core's API (" + checked + " imports checked)", checked >= 4);
  }

  @Test
  public void theGzippedIndexIsTheSameIndex() throws Exception {
    Path gzipped = release.artifact("osgi-repository", "index", "xml.gz");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gzipped))) {
      assertArrayEquals(Files.readAllBytes(index), in.readAllBytes());
    }
  }

  private static Resource byIdentity(String bsn) {
    return resources.stream().filter(r -> bsn.equals(ResourceUtils.getIdentityCapability(r).osgi_identity()))
        .findFirst().orElseThrow(() -> new AssertionError(bsn + " is not in the index"));
  }
}
