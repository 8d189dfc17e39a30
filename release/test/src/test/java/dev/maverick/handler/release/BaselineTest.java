package dev.maverick.handler.release;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * bnd's baseline against the previous release: the rehearsal's {@value Rehearsal#VERSION} stands for it, and the
 * next everyday build (the root POM heading for 9.9.10) changes the core's exported API.
 */
public class BaselineTest {
  private static final Pattern PACKAGE_VERSION = Pattern.compile("@Version\\(\"(\\d+)\\.(\\d+)\\.(\\d+)\"\\)");
  private static final String API = "bundles/core/src/main/java/dev/maverick/handler/";

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
    int exit = build(tree, unbumped);
    String report = Files.readString(unbumped, StandardCharsets.UTF_8);
    assertNotEquals("the API change without a version bump fails the build:\n" + Command.tail(unbumped), 0, exit);
    assertTrue("the baseline compared with the release", report.contains("The baseline version was found to be "
        + Rehearsal.VERSION));
    Matcher mismatch = Pattern.compile("\\* dev\\.maverick\\.handler +PACKAGE +MINOR +(\\S+) +(\\S+) +(\\S+)")
        .matcher(report);
    assertTrue("the report names the package and the version it needs:\n" + Command.tail(unbumped), mismatch.find());
    assertEquals("the package kept its version", mismatch.group(1), mismatch.group(2));

    // the bump: the package's @Version to the suggested one, and the project to the next minor version
    Path packageInfo = tree.resolve(API + "package-info.java");
    String source = Files.readString(packageInfo, StandardCharsets.UTF_8);
    Matcher version = PACKAGE_VERSION.matcher(source);
    assertTrue(packageInfo + " has an @Version", version.find());
    String bumped = version.group(1) + "." + (Integer.parseInt(version.group(2)) + 1) + ".0";
    assertEquals("bnd suggests the next minor version", bumped, mismatch.group(3));
    Files.writeString(packageInfo, version.replaceFirst("@Version(\"" + bumped + "\")"), StandardCharsets.UTF_8);
    Trees.setRevision(tree.resolve("pom.xml"), "9.10.0-SNAPSHOT");

    Path withBump = release.directory.resolve("baseline-with-bump.log");
    exit = build(tree, withBump);
    assertEquals("with the bump the build passes:\n" + Command.tail(withBump), 0, exit);
    assertTrue(Files.readString(withBump, StandardCharsets.UTF_8).contains("Baseline check succeeded"));
  }

  /** The core alone, as an everyday build, reading the release repository as .ci/settings.xml configures it. */
  private static int build(Path tree, Path log) throws Exception {
    return release.maven(tree, "-s", ".ci/settings.xml", "-pl", "bundles/core", "-Dmaven.test.skip=true", "verify")
        .run(log, 10);
  }
}
