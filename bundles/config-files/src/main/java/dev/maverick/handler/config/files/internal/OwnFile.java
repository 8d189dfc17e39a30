package dev.maverick.handler.config.files.internal;

import dev.maverick.handler.config.files.ConfigFileNames;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which file is a configuration's own, the only file the runtime writes for it or deletes with
 * it. FileInstall marks a configuration with its file in a property ({@value
 * ConfigFileNames#FILENAME_PROPERTY}) that any Config Admin client can set as well, to any path; so
 * that property only <em>names</em> a candidate, and the candidate is the configuration's own only
 * if it is a file directly in the configuration directory whose name stands for this
 * configuration: {@code pid.cfg} (or {@code .cfg.json}) for a singleton; {@code factoryPid-name.cfg}
 * for an instance {@code factoryPid~name}; for an instance with a generated PID (made with
 * {@code createFactoryConfiguration}), any {@code factoryPid-*.cfg} that no other configuration claims.
 */
final class OwnFile {
  private OwnFile() {}

  /**
   * The configuration's own file, if the marker names one.
   *
   * @param etc the configuration directory, absolute and normalized
   * @param marker the value of the configuration's {@value ConfigFileNames#FILENAME_PROPERTY}
   * @param claimedByOthers whether another configuration is marked with the same file, or is the
   *     configuration the file's name stands for
   */
  static Optional<Path> of(Path etc, String pid, String factoryPid, String marker, ClaimCheck claimedByOthers) {
    Optional<Path> named = ConfigFileNames.fromConfigKey(marker).map(p -> p.toAbsolutePath().normalize());
    if (named.isEmpty() || !etc.equals(named.get().getParent()) || !ConfigFileNames.isConfigFile(named.get())) {
      return Optional.empty();
    }
    Path file = named.get();
    ConfigFileNames.Target target;
    try {
      target = ConfigFileNames.parse(file.getFileName().toString());
    } catch (IllegalArgumentException notAConfigurationName) {
      return Optional.empty();
    }
    if (target.pid().equals(pid)) {
      return Optional.of(file);
    }
    boolean generatedInstance = factoryPid != null && target.isFactory() && factoryPid.equals(target.factoryPid())
        && !pid.startsWith(factoryPid + "~");
    return generatedInstance && !claimedByOthers.claimed(file, target.pid()) ? Optional.of(file) : Optional.empty();
  }

  /** Tells whether a file belongs to another configuration. */
  @FunctionalInterface
  interface ClaimCheck {
    /**
     * @param file the file
     * @param namedPid the PID the file's name stands for
     * @return true if a configuration with PID {@code namedPid} exists, or another configuration
     *     is marked with {@code file}
     */
    boolean claimed(Path file, String namedPid);
  }
}
