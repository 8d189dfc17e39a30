package dev.maverick.handler.release;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.Before;
import org.junit.Test;

/**
 * What .ci/release refuses before it builds anything, in a small git repository of its own (the rehearsal shows
 * the run that goes through).
 */
public class ReleaseScriptTest {
  private Path repository;
  private int run;

  @Before
  public void repository() throws Exception {
    repository = Path.of(System.getProperty("maverick.rehearsal.dir")).resolveSibling("release-script")
        .toAbsolutePath();
    Trees.deleteRecursively(repository);
    Files.createDirectories(repository.resolve(".ci"));
    for (String file : new String[] {".ci/release", ".ci/settings.xml"}) {
      Files.copy(Trees.root().resolve(file), repository.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
    }
    Files.writeString(repository.resolve("pom.xml"), String.join("\n", "<project>",
        "  <properties><revision>2.0.0-SNAPSHOT</revision></properties>", "</project>", ""), StandardCharsets.UTF_8);
    git("init", "-q");
    commit();
  }

  @Test
  public void aHeadWithoutAReleaseTagIsRefused() throws Exception {
    assertRefused("has no tag vX.Y.Z", Command.in(repository, "bash", ".ci/release"));
  }

  @Test
  public void aTagThatIsNotMajorMinorMicroIsRefused() throws Exception {
    git("tag", "v2.0");
    assertRefused("tag 'v2.0' is not vMAJOR.MINOR.MICRO", Command.in(repository, "bash", ".ci/release"));
  }

  @Test
  public void aTagThatDoesNotMatchThePomsVersionIsRefused() throws Exception {
    git("tag", "v1.9.0");
    assertRefused("tag v1.9.0 does not match the version in pom.xml (<revision>2.0.0-SNAPSHOT</revision>)",
        Command.in(repository, "bash", ".ci/release"));
  }

  @Test
  public void aTagOnAnotherCommitIsRefused() throws Exception {
    git("tag", "v2.0.0");
    Files.writeString(repository.resolve("later.txt"), "a later commit\n", StandardCharsets.UTF_8);
    commit();
    assertRefused("tag v2.0.0 is on", Command.in(repository, "bash", ".ci/release").env("RELEASE_TAG", "v2.0.0"));
  }

  @Test
  public void aDirtyTreeIsRefused() throws Exception {
    git("tag", "v2.0.0");
    Files.writeString(repository.resolve("pom.xml"), "<!-- edited -->\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    assertRefused("the tree has uncommitted changes", Command.in(repository, "bash", ".ci/release"));
  }

  @Test
  public void aModuleWithAFixedSnapshotVersionIsRefused() throws Exception {
    Files.createDirectories(repository.resolve("module"));
    Files.writeString(repository.resolve("module/pom.xml"),
        "<project><parent><version>2.0.0-SNAPSHOT</version></parent></project>\n", StandardCharsets.UTF_8);
    commit();
    git("tag", "v2.0.0");
    assertRefused("these POMs name a snapshot version", Command.in(repository, "bash", ".ci/release"));
  }

  @Test
  public void aReleaseWithNowhereToGoIsRefused() throws Exception {
    git("tag", "v2.0.0");
    assertRefused("no target repository", Command.in(repository, "bash", ".ci/release"));
  }

  @Test
  public void aReleaseToMavenCentralWithoutThePomMetadataCentralRequiresIsRefused() throws Exception {
    git("tag", "v2.0.0");
    assertRefused("Maven Central requires <url> in the root pom.xml", Command.in(repository, "bash", ".ci/release")
        .env("CENTRAL_TOKEN_USERNAME", "user").env("CENTRAL_TOKEN_PASSWORD", "token")
        .env("MAVEN_GPG_KEY", "a key").env("MAVEN_GPG_PASSPHRASE", "its passphrase"));
  }

  @Test
  public void anUnsignedReleaseToMavenCentralIsRefused() throws Exception {
    git("tag", "v2.0.0");
    assertRefused("Maven Central accepts signed releases only", Command.in(repository, "bash", ".ci/release")
        .env("CENTRAL_TOKEN_USERNAME", "user").env("CENTRAL_TOKEN_PASSWORD", "token"));
  }

  private void assertRefused(String reason, Command command) throws Exception {
    Path log = repository.resolveSibling("release-script-" + (++run) + ".log");
    int exit = command.run(log, 1);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals("refused:\n" + output, 1, exit);
    assertTrue("the refusal says why (" + reason + "):\n" + output,
        output.contains("release refused: ") && output.contains(reason));
    assertFalse("nothing was built:\n" + output, output.contains("== releasing"));
  }

  private void commit() throws Exception {
    git("add", "-A");
    git("commit", "-q", "-m", "a commit");
  }

  /** git, whatever the user's own configuration says about names and signing. */
  private void git(String... arguments) throws Exception {
    String[] settings = {"git", "-c", "user.name=Release Test", "-c", "user.email=release-test@maverick.invalid",
        "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"};
    String[] command = new String[settings.length + arguments.length];
    System.arraycopy(settings, 0, command, 0, settings.length);
    System.arraycopy(arguments, 0, command, settings.length, arguments.length);
    Command.in(repository, command).succeed(repository.resolveSibling("release-script-git.log"), 1);
  }
}
