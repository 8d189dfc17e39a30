package dev.maverick.handler.release;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.BeforeClass;
import org.junit.Test;

/** What the release job put into the repository, file by file, as a user of the release finds it. */
public class ReleasedArtifactsTest {
  private static Rehearsal release;

  @BeforeClass
  public static void release() throws Throwable {
    release = Rehearsal.release();
  }

  @Test
  public void everyBundleAndLibraryIsReleasedAtTheTagsVersionWithSourcesJavadocAndChecksums() throws Exception {
    Set<String> released = releasedArtifactIds();
    // every module under bundles/ and features/runtime/, read from the tree: a new one is expected at once
    for (String module : Modules.published()) {
      assertTrue(module + " is released (found " + released + "); a new bundle adds itself to "
          + Modules.INDEX_POM + ", which the release build (.ci/release) builds with all it depends on",
          released.contains(module));
    }
    // every jar module in the repository, including ones added after this test was written
    for (String artifactId : released) {
      Path jar = release.artifact(artifactId, null, "jar");
      Path pom = release.artifact(artifactId, null, "pom");
      assertTrue(pom + " exists", Files.isRegularFile(pom));
      assertChecksums(pom);
      String pomText = Files.readString(pom, StandardCharsets.UTF_8);
      assertTrue(pom + " names the version", pomText.contains("<version>" + Rehearsal.VERSION + "</version>"));
      assertFalse(pom + " is flattened: no ${revision} left", pomText.contains("${revision}"));
      if (!Files.isRegularFile(jar)) {
        continue; // a POM-packaged module: parent, features, runtime, index
      }
      for (String classifier : new String[] {null, "sources", "javadoc"}) {
        Path file = release.artifact(artifactId, classifier, "jar");
        assertTrue(file + " exists", Files.isRegularFile(file));
        assertChecksums(file);
        try (JarFile jarFile = new JarFile(file.toFile())) {
          assertTrue(file + " is not empty", jarFile.stream().anyMatch(entry -> !entry.isDirectory()));
        }
      }
    }
    for (String bundle : Modules.indexed()) {
      try (JarFile jar = new JarFile(release.artifact(bundle, null, "jar").toFile())) {
        Attributes manifest = jar.getManifest().getMainAttributes();
        assertEquals(bundle + "'s Bundle-Version follows the tag", Rehearsal.VERSION,
            manifest.getValue("Bundle-Version"));
      }
    }
    try (JarFile javadoc = new JarFile(release.artifact("core", "javadoc", "jar").toFile())) {
      assertTrue("the core's javadoc documents Handler",
          javadoc.getEntry("dev/maverick/handler/Handler.html") != null);
    }
  }

  @Test
  public void theParentTheFeaturesRepositoryTheRunnableJarAndTheIndexAreReleased() throws Exception {
    Path parent = release.artifact("parent", null, "pom");
    assertTrue(parent + " exists", Files.isRegularFile(parent));
    assertChecksums(parent);

    Path features = release.artifact("features", "features", "xml");
    assertChecksums(features);
    String featuresXml = Files.readString(features, StandardCharsets.UTF_8);
    assertTrue("the features name the released bundles",
        featuresXml.contains("mvn:dev.maverick.handler/core/" + Rehearsal.VERSION + "</bundle>"));
    assertFalse("no ${...} left in the features", featuresXml.contains("${"));

    Path runtime = release.artifact("maverick-runtime", "maverick-runtime", "jar");
    assertChecksums(runtime);
    try (JarFile jar = new JarFile(runtime.toFile())) {
      assertTrue("the runtime jar is runnable (java -jar)",
          jar.getManifest().getMainAttributes().getValue("Main-Class") != null);
      assertTrue("the runtime jar holds the released core",
          jar.stream().anyMatch(entry -> entry.getName().endsWith("core-" + Rehearsal.VERSION + ".jar")));
    }

    for (String extension : new String[] {"xml", "xml.gz"}) {
      assertChecksums(release.artifact("osgi-repository", "index", extension));
    }
  }

  @Test
  public void testsFixturesAndBenchmarksAreNotPublished() throws Exception {
    Set<String> all = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(release.repository.resolve(Rehearsal.GROUP_PATH))) {
      dirs.forEach(dir -> all.add(dir.getFileName().toString()));
    }
    Set<String> unpublished = Modules.unpublished();
    assertTrue("the tree's test modules were found (" + unpublished + ")",
        unpublished.containsAll(List.of("itests-core", "fixture-handler", "benchmarks", "release-test")));
    for (String artifactId : all) {
      assertFalse(artifactId + " is a test, fixture or benchmark module and must not be published",
          unpublished.contains(artifactId) || artifactId.startsWith("itest") || artifactId.startsWith("benchmarks"));
    }
  }

  @Test
  public void nothingAtTheReleasesVersionReachedTheLocalRepositoryOfThisBuild() throws Exception {
    Path own = Path.of(System.getProperty("maverick.m2")).resolve(Rehearsal.GROUP_PATH);
    if (!Files.isDirectory(own)) {
      return; // nothing of the project's at all
    }
    try (Stream<Path> artifacts = Files.list(own)) {
      for (Path artifact : artifacts.collect(Collectors.toList())) {
        Path atVersion = artifact.resolve(Rehearsal.VERSION);
        assertFalse(atVersion + " was written while the rehearsal ran", Files.exists(atVersion)
            && Files.getLastModifiedTime(atVersion).toMillis() >= release.started);
      }
    }
  }

  @Test
  public void everyReleasedFileIsSignedWithTheGivenKey() throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(release.repository)) {
      walk.filter(Files::isRegularFile).filter(ReleasedArtifactsTest::isReleasedFile).forEach(files::add);
    }
    assertTrue("the release holds files", files.size() > 30);
    for (Path file : files) {
      Path signature = file.resolveSibling(file.getFileName() + ".asc");
      assertTrue(file + " has a signature", Files.isRegularFile(signature));
      assertTrue(signature + " is the given key's valid signature", release.key.signed(file, signature));
    }
  }

  /** A file of the release itself: not a checksum, a signature or repository metadata. */
  private static boolean isReleasedFile(Path file) {
    String name = file.getFileName().toString();
    return !name.endsWith(".md5") && !name.endsWith(".sha1") && !name.endsWith(".asc")
        && !name.startsWith("maven-metadata");
  }

  /** The artifactIds released at the rehearsal's version with a jar of their own. */
  private static Set<String> releasedArtifactIds() throws IOException {
    try (Stream<Path> dirs = Files.list(release.repository.resolve(Rehearsal.GROUP_PATH))) {
      return dirs.map(dir -> dir.getFileName().toString())
          .filter(artifactId -> Files.isRegularFile(release.artifact(artifactId, null, "jar"))
              || Files.isRegularFile(release.artifact(artifactId, null, "pom")))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The .md5 and .sha1 beside a file exist and hold its digests. */
  static void assertChecksums(Path file) throws Exception {
    assertTrue(file + " exists", Files.isRegularFile(file));
    for (String[] algorithm : new String[][] {{"MD5", ".md5"}, {"SHA-1", ".sha1"}}) {
      Path checksum = file.resolveSibling(file.getFileName() + algorithm[1]);
      assertTrue(checksum + " exists", Files.isRegularFile(checksum));
      assertEquals(checksum + " matches the file", digest(file, algorithm[0]),
          Files.readString(checksum, StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
    }
  }

  static String digest(Path file, String algorithm) throws Exception {
    MessageDigest digest = MessageDigest.getInstance(algorithm);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int read; (read = in.read(buffer)) > 0;) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
