package dev.maverick.handler.release;

import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The README's Java example, exactly as written there, in a plain Maven project outside this build that depends on
 * the released core by its coordinates (as "Releasing" tells a user to), compiled and run.
 */
public class ReadmeJavaExampleTest {
  private static final String MARKER = "<!-- release-test:java-example -->";

  private static Rehearsal release;

  @BeforeClass
  public static void release() throws Throwable {
    release = Rehearsal.release();
  }

  @Test
  public void theReadmesJavaExampleCompilesAndRunsAgainstTheReleasedCore() throws Exception {
    String example = Trees.readmeBlock(MARKER, "java");
    Matcher className = Pattern.compile("public class (\\w+)").matcher(example);
    assertTrue("the example is a public class with a main method", className.find()
        && example.contains("public static void main("));

    Path project = release.directory.resolve("readme-example");
    Trees.deleteRecursively(project);
    Path source = project.resolve("src/main/java/" + className.group(1) + ".java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, example, StandardCharsets.UTF_8);
    Files.writeString(project.resolve("pom.xml"), pom(), StandardCharsets.UTF_8);

    // a local repository of its own: the baseline's builds (BaselineTest) may be writing the rehearsal's now
    Path localRepository = release.directory.resolve("m2-readme-example");
    Trees.seedLocalRepository(Path.of(System.getProperty("maverick.m2")), localRepository);
    Path log = release.directory.resolve("readme-example.log");
    release.maven(localRepository, project, "compile", "exec:java", "-Dexec.mainClass=" + className.group(1))
        .succeed(log, 5);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue("the released core's jar was used:\n" + Command.tail(log),
        Files.isRegularFile(localRepository.resolve(Rehearsal.GROUP_PATH + "/core/" + Rehearsal.VERSION
            + "/core-" + Rehearsal.VERSION + ".jar")));
    assertTrue("the example prints what the README says:\n" + Command.tail(log),
        output.contains("fed: 20, generated: 42, processed: 2") && output.contains("echo=hello"));
  }

  /**
   * A user's POM: the released core by its coordinates from the release repository, SLF4J with a binding, and the
   * plugin versions this build already uses (so that nothing needs downloading).
   */
  private static String pom() throws Exception {
    String root = Files.readString(Trees.root().resolve("pom.xml"), StandardCharsets.UTF_8);
    return String.join("\n",
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">",
        "  <modelVersion>4.0.0</modelVersion>",
        "  <groupId>example</groupId><artifactId>readme-example</artifactId><version>1</version>",
        "  <properties>",
        "    <maven.compiler.release>17</maven.compiler.release>",
        "    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>",
        "  </properties>",
        "  <repositories>",
        "    <repository><id>maverick-release</id><url>" + release.repository.toUri() + "</url></repository>",
        "  </repositories>",
        "  <dependencies>",
        "    <dependency><groupId>dev.maverick.handler</groupId><artifactId>core</artifactId><version>"
            + Rehearsal.VERSION + "</version></dependency>",
        "    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>"
            + System.getProperty("maverick.example.slf4j") + "</version></dependency>",
        "  </dependencies>",
        "  <build><plugins>",
        plugin(root, "org.apache.maven.plugins", "maven-resources-plugin"),
        plugin(root, "org.apache.maven.plugins", "maven-compiler-plugin"),
        plugin(root, "org.codehaus.mojo", "exec-maven-plugin"),
        "  </plugins></build>",
        "</project>", "");
  }

  private static String plugin(String rootPom, String groupId, String artifactId) {
    Matcher version = Pattern.compile("<artifactId>" + artifactId + "</artifactId><version>([^<]+)</version>")
        .matcher(rootPom);
    assertTrue("the root POM's pluginManagement names " + artifactId + "'s version", version.find());
    return "    <plugin><groupId>" + groupId + "</groupId><artifactId>" + artifactId + "</artifactId><version>"
        + version.group(1) + "</version></plugin>";
  }
}
