package dev.maverick.handler.release;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * README "Releasing" and {@code .ci/release} say the same: the Maven commands the README gives for a release of
 * v1.2.3 are, for v{@value Rehearsal#VERSION}, the ones the rehearsal's run of {@code .ci/release} printed before
 * it ran them ("+ mvn ...", the tests' run marked "not run" there: this build's own tests stand for it), and there
 * are no others.
 */
public class ReadmeReleasingStepsTest {
  private static final String MARKER = "<!-- release-test:release-commands -->";
  private static final String README_VERSION = "1.2.3";

  private static Rehearsal release;

  @BeforeClass
  public static void release() throws Throwable {
    release = Rehearsal.release();
  }

  @Test
  public void theReadmesReleaseCommandsAreTheOnesTheReleaseJobRuns() throws Exception {
    String commands = Trees.readmeBlock(MARKER, "sh");
    List<String> documented = Arrays.stream(commands.split("\n")).map(String::trim)
        .filter(line -> line.startsWith("mvn ")).map(line -> line.replace(README_VERSION, Rehearsal.VERSION))
        .toList();
    List<String> ran = Files.readAllLines(release.log, StandardCharsets.UTF_8).stream()
        .filter(line -> line.startsWith("+ mvn ")).map(line -> line.substring(2).replaceFirst("\\s+#.*$", ""))
        .toList();
    assertEquals("README \"Releasing\" gives the commands .ci/release runs, in order", ran, documented);
  }
}
