package dev.maverick.handler.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One release of this checkout, done as CI does it on a tag and shared by the tests: a copy of the sources
 * becomes a git repository whose root POM heads for {@value #VERSION} ({@code <revision>9.9.9-SNAPSHOT}), tagged
 * {@value #TAG}; {@code .ci/release} then releases it, signed with a throwaway key, into a temporary {@code file:}
 * repository. It runs with a local repository of its own, seeded from this build's without the project's
 * artifacts: nothing at the pretend version ever reaches this build's local repository.
 *
 * <p>The tests that ran in this very build stand for the release job's own test run
 * ({@code RELEASE_SKIP_TESTS=true}).
 */
final class Rehearsal {
  static final String VERSION = "9.9.9";
  static final String TAG = "v" + VERSION;
  static final String GROUP_PATH = "dev/maverick/handler";

  private static Rehearsal done;
  private static Throwable failure;

  final Path directory;
  final Path checkout;
  final Path localRepository;
  final Path repository;
  final Path log;
  final SigningKey key;
  /** When the rehearsal began (epoch milliseconds). */
  final long started = System.currentTimeMillis();
  /**
   * The two builds of the next version that {@link BaselineTest} judges, started as soon as the release exists:
   * they need nothing else, and run while the other tests (Karaf's above all) do.
   */
  CompletableFuture<BaselineTest.Builds> baseline;

  private Rehearsal(Path directory, SigningKey key) {
    this.directory = directory;
    this.checkout = directory.resolve("checkout");
    this.localRepository = directory.resolve("m2");
    this.repository = directory.resolve("repository");
    this.log = directory.resolve("release.log");
    this.key = key;
  }

  /** The release, made by the first test that asks for it; a failure is reported to every test that asks. */
  static synchronized Rehearsal release() throws Throwable {
    if (done == null && failure == null) {
      try {
        done = perform();
      } catch (Throwable e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw new AssertionError("the release rehearsal failed", failure);
    }
    return done;
  }

  private static Rehearsal perform() throws Exception {
    Rehearsal rehearsal = new Rehearsal(Path.of(System.getProperty("maverick.rehearsal.dir")).toAbsolutePath(),
        SigningKey.generate("rehearsal passphrase"));
    Trees.deleteRecursively(rehearsal.directory);
    Trees.copySources(rehearsal.checkout);
    Trees.setRevision(rehearsal.checkout.resolve("pom.xml"), VERSION + "-SNAPSHOT");
    Path gitLog = rehearsal.directory.resolve("git.log");
    Command.in(rehearsal.checkout, "git", "init", "-q").succeed(gitLog, 1);
    Command.in(rehearsal.checkout, "git", "add", "-A").succeed(gitLog, 1);
    Command.in(rehearsal.checkout, "git", "-c", "user.name=Release Rehearsal", "-c",
        "user.email=release-test@maverick.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "-m",
        "release rehearsal").succeed(gitLog, 1);
    Command.in(rehearsal.checkout, "git", "-c", "tag.gpgsign=false", "tag", TAG).succeed(gitLog, 1);

    Trees.seedLocalRepository(Path.of(System.getProperty("maverick.m2")), rehearsal.localRepository);
    Files.createDirectories(rehearsal.repository);
    Command.in(rehearsal.checkout, "bash", ".ci/release")
        .env("MAVEN_OPTS", Command.mavenOptions(rehearsal.localRepository))
        .env("MAVEN_REPOSITORY_URL", rehearsal.repository.toUri().toString())
        .env("MAVEN_GPG_KEY", rehearsal.key.armoredSecretKey())
        .env("MAVEN_GPG_PASSPHRASE", rehearsal.key.passphrase())
        .env("RELEASE_SKIP_TESTS", "true")
        .succeed(rehearsal.log, 20);
    ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "release-rehearsal-baseline");
      thread.setDaemon(true);
      return thread;
    });
    rehearsal.baseline = CompletableFuture.supplyAsync(() -> {
      try {
        return BaselineTest.buildTheNextVersion(rehearsal);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, background);
    background.shutdown();
    return rehearsal;
  }

  /** A released file: {@code artifactId-9.9.9[-classifier].extension}. */
  Path artifact(String artifactId, String classifier, String extension) {
    String name = artifactId + "-" + VERSION + (classifier == null ? "" : "-" + classifier) + "." + extension;
    return repository.resolve(GROUP_PATH).resolve(artifactId).resolve(VERSION).resolve(name);
  }

  /** Maven, offline but for {@code file:} repositories (the release), with the rehearsal's local repository. */
  Command maven(Path directory, String... arguments) {
    return maven(localRepository, directory, arguments);
  }

  /** Maven, offline but for {@code file:} repositories (the release), with the given local repository. */
  Command maven(Path localRepository, Path directory, String... arguments) {
    boolean offline = System.getProperty("maverick.offline", "").equals("offline=true");
    Command command = offline
        ? Command.maven(directory, localRepository, prepend(arguments, "-o", "-Daether.offline.protocols=file"))
        : Command.maven(directory, localRepository, arguments);
    return command.env("MAVEN_REPOSITORY_URL", repository.toUri().toString());
  }

  private static String[] prepend(String[] arguments, String... first) {
    String[] all = new String[first.length + arguments.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(arguments, 0, all, first.length, arguments.length);
    return all;
  }
}
