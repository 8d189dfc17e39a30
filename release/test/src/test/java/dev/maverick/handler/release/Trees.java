package dev.maverick.handler.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Copies of this checkout and of the local repository for the builds the tests start. */
final class Trees {
  /** Never part of a copy of the checkout: build output, version control, IDE files, a CI job's local repository. */
  private static final Set<String> NOT_SOURCES = Set.of("target", ".git", ".idea", ".vscode", ".settings",
      ".classpath", ".project", ".flattened-pom.xml", ".m2");
  private static final Pattern REVISION = Pattern.compile("<revision>([^<]*)</revision>");

  private Trees() {}

  /** The checkout this build runs in (the root of the reactor). */
  static Path root() {
    return Path.of(System.getProperty("maverick.root")).toAbsolutePath().normalize();
  }

  /**
   * Copies the checkout's sources, as a fresh clone with the working tree's changes would hold them (build
   * output, version control and IDE files left out), to an empty {@code target}.
   */
  static void copySources(Path target) throws IOException {
    Path root = root();
    deleteRecursively(target);
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(root) && NOT_SOURCES.contains(dir.getFileName().toString())) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(target.resolve(root.relativize(dir)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String name = file.getFileName().toString();
        if (!NOT_SOURCES.contains(name) && !name.endsWith(".iml")) {
          Files.copy(file, target.resolve(root.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * Seeds an empty local repository from {@code from}, without the project's own artifacts (dev/maverick): hard
   * links where the file system allows them (no copy of hundreds of megabytes), copies where it does not. Files
   * that Maven rewrites in place (metadata, download bookkeeping) are always copied, so that nothing a build does
   * in the seeded repository reaches the original.
   */
  static void seedLocalRepository(Path from, Path to) throws IOException {
    deleteRecursively(to);
    Path own = from.resolve("dev").resolve("maverick");
    boolean[] linking = {true};
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (dir.equals(own)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(to.resolve(from.relativize(dir)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path copy = to.resolve(from.relativize(file));
        String name = file.getFileName().toString();
        boolean rewrittenInPlace = name.endsWith(".xml") || name.endsWith(".properties")
            || name.endsWith(".lastUpdated") || name.equals("_remote.repositories");
        if (linking[0] && !rewrittenInPlace) {
          try {
            Files.createLink(copy, file);
            return FileVisitResult.CONTINUE;
          } catch (UnsupportedOperationException | FileSystemException notOnThisFileSystem) {
            linking[0] = false;
          }
        }
        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(path)) {
      walk.forEach(all::add);
    }
    all.sort(Comparator.reverseOrder());
    for (Path each : all) {
      Files.delete(each);
    }
  }

  /**
   * The fenced block (```language) that follows {@code marker} in the checkout's README.md: what the README shows
   * a reader, as the tests take it.
   */
  static String readmeBlock(String marker, String language) throws IOException {
    String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile(Pattern.quote(marker) + "\\s*```" + language + "\\n(.*?)\\n\\s*```",
        Pattern.DOTALL).matcher(readme);
    if (!block.find()) {
      throw new AssertionError("README.md has no ```" + language + " block after " + marker);
    }
    return block.group(1);
  }

  /** The root POM's {@code <revision>}: the version the tree is heading for. */
  static String revision(Path pom) throws IOException {
    Matcher matcher = REVISION.matcher(Files.readString(pom, StandardCharsets.UTF_8));
    if (!matcher.find()) {
      throw new AssertionError(pom + " has no <revision>");
    }
    return matcher.group(1);
  }

  /** Sets the root POM's {@code <revision>}, as a maintainer does before tagging a release. */
  static void setRevision(Path pom, String revision) throws IOException {
    String text = Files.readString(pom, StandardCharsets.UTF_8);
    Matcher matcher = REVISION.matcher(text);
    if (!matcher.find()) {
      throw new AssertionError(pom + " has no <revision>");
    }
    Files.writeString(pom, text.substring(0, matcher.start(1)) + revision + text.substring(matcher.end(1)),
        StandardCharsets.UTF_8);
  }
}
