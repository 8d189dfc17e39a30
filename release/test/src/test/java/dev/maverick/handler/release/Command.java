package dev.maverick.handler.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An external command (git, bash, Maven) run in a directory with a controlled environment, its output kept in a
 * log file for the failure message and for whoever looks at target/ afterwards.
 */
final class Command {
  /**
   * Variables of the outer environment that would change what a release does (a CI job's tag, a real key or
   * token): the rehearsal never inherits them.
   */
  private static final List<String> RELEASE_VARIABLES = List.of("RELEASE_TAG", "RELEASE_SKIP_TESTS", "CI_COMMIT_TAG",
      "GITHUB_REF_TYPE", "GITHUB_REF_NAME", "MAVEN_REPOSITORY_URL", "MAVEN_REPOSITORY_USERNAME",
      "MAVEN_REPOSITORY_PASSWORD", "CENTRAL_TOKEN_USERNAME", "CENTRAL_TOKEN_PASSWORD", "MAVEN_GPG_KEY",
      "MAVEN_GPG_PASSPHRASE", "MAVEN_OPTS", "MAVEN_ARGS", "MAVEN_CONFIG");

  /**
   * The JVM options of the Mavens the tests start, before their local repository: short builds (the release's is
   * about a minute of CPU) spend a third less CPU with the client compiler alone and the serial collector (78 s
   * against 52 s for the release build, measured twice each). The release job itself takes its MAVEN_OPTS from CI.
   */
  static final String MAVEN_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  private final Path directory;
  private final List<String> arguments;
  private final Map<String, String> environment = new HashMap<>();

  private Command(Path directory, List<String> arguments) {
    this.directory = directory;
    this.arguments = arguments;
    environment.putAll(System.getenv());
    RELEASE_VARIABLES.forEach(environment::remove);
    // the same Maven as the build that runs this test, first on the PATH of whatever this command starts
    Path mavenBin = Path.of(System.getProperty("maverick.maven.home"), "bin");
    environment.put("PATH", mavenBin + java.io.File.pathSeparator + environment.getOrDefault("PATH", ""));
    environment.put("JAVA_HOME", System.getProperty("java.home"));
  }

  static Command in(Path directory, String... arguments) {
    return new Command(directory, new ArrayList<>(Arrays.asList(arguments)));
  }

  /** Maven from the build that runs this test, with a local repository of its own. */
  static Command maven(Path directory, Path localRepository, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("maverick.maven.home"), "bin", "mvn").toString());
    command.add("-B");
    command.addAll(Arrays.asList(arguments));
    return new Command(directory, command).env("MAVEN_OPTS", mavenOptions(localRepository));
  }

  /** MAVEN_OPTS for a Maven the tests start: {@link #MAVEN_JVM_OPTIONS} and the given local repository. */
  static String mavenOptions(Path localRepository) {
    return MAVEN_JVM_OPTIONS + " -Dmaven.repo.local=" + localRepository;
  }

  Command env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Runs to the end (or the timeout) with stdout and stderr in {@code log}; returns the exit code. */
  int run(Path log, long timeoutMinutes) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(arguments).directory(directory.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", arguments) + " did not end within " + timeoutMinutes
          + " minutes; its output: " + log + "\n" + tail(log));
    }
    return process.exitValue();
  }

  /** Runs and fails the test, with the end of the output, unless the command succeeds. */
  void succeed(Path log, long timeoutMinutes) throws IOException, InterruptedException {
    int exit = run(log, timeoutMinutes);
    if (exit != 0) {
      throw new AssertionError(String.join(" ", arguments) + " in " + directory + " exited with " + exit
          + "; its output: " + log + "\n" + tail(log));
    }
  }

  /** The last lines of a log, for failure messages. */
  static String tail(Path log) throws IOException {
    List<String> lines = List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
