package dev.maverick.handler.release;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * bnd's baseline against the previous release: the rehearsal's {@value Rehearsal#VERSION} stands for it, and the
 * next everyday build (the root POM heading for 9.9.10) changes the core's exported API. The two builds of that
 * next version run beside the other tests (see {@link #buildTheNextVersion}); this test waits for them.
 */
public class BaselineTest {
  private static final Pattern PACKAGE_VERSION = Pattern.compile("@Version\\(\"(\\d+)\\.(\\d+)\\.(\\d+)\"\\)");
  private static final String API = "bundles/core/src/main/java/dev/maverick/handler/";
  private static final Pattern MISMATCH =
      Pattern.compile("\\* dev\\.maverick\\.handler +PACKAGE +MINOR +(\\S+) +(\\S+) +(\\S+)");

  private static Rehearsal release;

  @BeforeClass
  public static void release() throws Throwable {
    release = Rehearsal.release();
  }

  @Test
  public void theFirstReleaseHasNoEarlierReleaseToCompareWithAndSaysSo() throws Exception {
    String log = Files.readString(release.log, StandardCharsets.UTF_8);
    assertTrue("the release build ran the baseline and reported that no earlier release exists",
        log.contains("No previous version of dev.maverick.handler:core:jar:" + Rehearsal.VERSION
            + " could be found to baseline against"));
  }

  @Test
  public void anApiChangeWithoutAVersionBumpFailsTheBuildAndPassesWithTheBump() throws Exception {
    Builds builds = release.baseline.get(20, TimeUnit.MINUTES);
    String report = Files.readString(builds.unbumpedLog, StandardCharsets.UTF_8);
    assertNotEquals("the API change without a version bump fails the build:\n" + Command.tail(builds.unbumpedLog), 0,
        builds.unbumpedExit);
    assertTrue("the baseline compared with the release", report.contains("The baseline version was found to be "
        + Rehearsal.VERSION));
    Matcher mismatch = MISMATCH.matcher(report);
    assertTrue("the report names the package and the version it needs:\n" + Command.tail(builds.unbumpedLog),
        mismatch.find());
    assertEquals("the package kept its version", mismatch.group(1), mismatch.group(2));
    assertEquals("bnd suggests the next minor version", builds.bumpedTo, mismatch.group(3));

    assertEquals("with the bump the build passes:\n" + Command.tail(builds.bumpedLog), 0, builds.bumpedExit);
    assertTrue(Files.readString(builds.bumpedLog, StandardCharsets.UTF_8).contains("Baseline check succeeded"));
  }

  /** What the two builds of the next everyday version did: without the bump, then with it. */
  static final class Builds {
    final Path unbumpedLog;
    final int unbumpedExit;
    final String bumpedTo;
    final Path bumpedLog;
    final int bumpedExit;

    private Builds(Path unbumpedLog, int unbumpedExit, String bumpedTo, Path bumpedLog, int bumpedExit) {
      this.unbumpedLog = unbumpedLog;
      this.unbumpedExit = unbumpedExit;
      this.bumpedTo = bumpedTo;
      this.bumpedLog = bumpedLog;
      this.bumpedExit = bumpedExit;
    }
  }

  /**
   * The next everyday build after the release adds API to the core's exported package: built once as it is, then
   * with the package's @Version raised to the next minor version, which bnd names (the project moves to the next
   * minor version too). The rehearsal starts this as soon as the release exists, beside the other tests, since it
   * needs nothing of theirs: a tree and a log of its own, and the rehearsal's local repository, which nothing else
   * writes to by then.
   */
  static Builds buildTheNextVersion(Rehearsal release) throws Exception {
    Path tree = release.directory.resolve("baseline");
    Trees.copySources(tree);
    Trees.setRevision(tree.resolve("pom.xml"), "9.9.10-SNAPSHOT");
    Files.writeString(tree.resolve(API + "ReleaseRehearsalAddition.java"), String.join("\n",
        "package dev.maverick.handler;", "",
        "/** New API in the exported package: a minor change. */",
        "public final class ReleaseRehearsalAddition {",
        "  private ReleaseRehearsalAddition() {}",
        "}", ""), StandardCharsets.UTF_8);
    Path unbumped = release.directory.resolve("baseline-without-bump.log");
    int unbumpedExit = build(release, tree, unbumped);

    // the bump: the package's @Version to the next minor version, and the project to the next minor version
    Path packageInfo = tree.resolve(API + "package-info.java");
    String source = Files.readString(packageInfo, StandardCharsets.UTF_8);
    Matcher version = PACKAGE_VERSION.matcher(source);
    if (!version.find()) {
      throw new AssertionError(packageInfo + " has no @Version");
    }
    String bumped = version.group(1) + "." + (Integer.parseInt(version.group(2)) + 1) + ".0";
    Files.writeString(packageInfo, version.replaceFirst("@Version(\"" + bumped + "\")"), StandardCharsets.UTF_8);
    Trees.setRevision(tree.resolve("pom.xml"), "9.10.0-SNAPSHOT");
    Path withBump = release.directory.resolve("baseline-with-bump.log");
    return new Builds(unbumped, unbumpedExit, bumped, withBump, build(release, tree, withBump));
  }

  /** The core alone, as an everyday build, reading the release repository as .ci/settings.xml configures it. */
  private static int build(Rehearsal release, Path tree, Path log) throws Exception {
    return release.maven(tree, "-s", ".ci/settings.xml", "-pl", "bundles/core", "-Dmaven.test.skip=true", "verify")
        .run(log, 10);
  }
}
