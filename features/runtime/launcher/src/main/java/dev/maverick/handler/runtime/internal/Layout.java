package dev.maverick.handler.runtime.internal;

import dev.maverick.handler.config.files.ConfigFileNames;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Where the runtime keeps its files: the configuration directory ({@code etc/}), the hot-deploy
 * directory ({@code deploy/}) and the log file, all relative to the working directory unless
 * {@value #ETC_PROPERTY}, {@value #DEPLOY_PROPERTY} or the SLF4J log file property say otherwise.
 *
 * <p>Prepared once, by the bundle activator, before FileInstall and the logging backend start
 * (the runtime bundle has the lowest start level): the directories exist, a first start has
 * written the default configurations, and FileInstall knows what to watch.
 *
 * <p>The directories it creates are the owner's alone ({@code rwx------}): {@code etc/} holds
 * secrets, {@code deploy/} code that will run, the log what the runtime did. Directories that exist
 * keep their mode. The bundle cache (where Config Admin keeps its copy of every configuration) is
 * narrowed to the owner at every start.
 */
public final class Layout {
  /** System or framework property: the configuration directory; default {@code etc}. */
  public static final String ETC_PROPERTY = ConfigFileNames.ETC_PROPERTY;
  /** System or framework property: the hot-deploy directory; default {@code deploy}. */
  public static final String DEPLOY_PROPERTY = "maverick.deploy";
  /** slf4j-simple's property naming its output: a file, {@code System.err} or {@code System.out}. */
  public static final String LOG_FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";
  /** FileInstall's property: the directories it watches, comma-separated. */
  static final String FILEINSTALL_DIR = "felix.fileinstall.dir";
  /** Bundle entries copied into a new configuration directory. */
  static final String DEFAULTS = "defaults/etc";
  /** The framework's property naming the bundle cache. */
  static final String STORAGE_PROPERTY = "org.osgi.framework.storage";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private final Path etc;
  private final Path deploy;
  private final Path logFile;
  private final List<String> defaultsWritten;
  private final List<Path> initialConfigs;
  private final List<Path> initialBundles;

  private Layout(Path etc, Path deploy, Path logFile, List<String> defaultsWritten, List<Path> initialConfigs,
      List<Path> initialBundles) {
    this.etc = etc;
    this.deploy = deploy;
    this.logFile = logFile;
    this.defaultsWritten = List.copyOf(defaultsWritten);
    this.initialConfigs = List.copyOf(initialConfigs);
    this.initialBundles = List.copyOf(initialBundles);
  }

  /**
   * Creates the directories (with the default configurations when {@code etc/} is new) and points
   * FileInstall at them through the system property {@value #FILEINSTALL_DIR}, which the framework
   * hands to FileInstall when no framework property of that name is set.
   *
   * @param property the framework's view of properties ({@code BundleContext::getProperty})
   * @param defaults the default configuration files, by name, to write into a new {@code etc/}
   * @throws IOException if a directory or a default file cannot be written
   */
  static Layout prepare(UnaryOperator<String> property, Defaults defaults) throws IOException {
    Path etc = ConfigFileNames.configDirectory(property);
    Path deploy = directory(property, DEPLOY_PROPERTY, "deploy");
    List<String> written = new ArrayList<>();
    if (!Files.isDirectory(etc)) {
      createPrivateDirectories(etc);
      for (String name : defaults.names()) {
        try (InputStream in = defaults.open(name)) {
          Files.copy(in, etc.resolve(name));
        }
        written.add(name);
      }
    }
    createPrivateDirectories(deploy);
    Path logFile = logFile(property.apply(LOG_FILE_PROPERTY));
    if (logFile != null && logFile.getParent() != null) {
      createPrivateDirectories(logFile.getParent());
    }
    narrowToOwner(property.apply(STORAGE_PROPERTY));
    System.setProperty(FILEINSTALL_DIR, etc + "," + deploy);
    return new Layout(etc, deploy, logFile, written, list(etc, ConfigFileNames::isConfigFile),
        list(deploy, path -> path.getFileName().toString().endsWith(".jar")));
  }

  /** The configuration directory, absolute. */
  public Path etc() {
    return etc;
  }

  /** The hot-deploy directory, absolute. */
  public Path deploy() {
    return deploy;
  }

  /** The log file, absolute; null when the log goes to the console. */
  public Path logFile() {
    return logFile;
  }

  /** Where the log goes, for people: the file, or the console stream. */
  public String logDescription(UnaryOperator<String> property) {
    if (logFile != null) {
      return logFile.toString();
    }
    String target = property.apply(LOG_FILE_PROPERTY);
    return target == null ? "System.err" : target;
  }

  /** The default configuration files written because {@code etc/} did not exist; empty otherwise. */
  public List<String> defaultsWritten() {
    return defaultsWritten;
  }

  /** The configuration files in {@code etc/} when the runtime started. */
  public List<Path> initialConfigs() {
    return initialConfigs;
  }

  /** The bundle jars in {@code deploy/} when the runtime started. */
  public List<Path> initialBundles() {
    return initialBundles;
  }

  /** Creates a directory (and missing parents) owner-only; an existing one keeps its mode. */
  static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix()) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createDirectories(dir, new FileAttribute<?>[0]);
    }
  }

  /** Takes group and others' permissions off the bundle cache, if there is one. */
  private static void narrowToOwner(String storage) throws IOException {
    if (storage == null || storage.isBlank() || !posix()) {
      return;
    }
    Path cache = Path.of(storage.trim());
    if (Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS)) {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(cache, LinkOption.NOFOLLOW_LINKS);
      mode.retainAll(OWNER_ONLY);
      Files.setPosixFilePermissions(cache, mode);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static Path directory(UnaryOperator<String> property, String key, String fallback) {
    String value = property.apply(key);
    return Path.of(value == null || value.isBlank() ? fallback : value.trim()).toAbsolutePath().normalize();
  }

  private static Path logFile(String target) {
    if (target == null || target.isBlank() || target.equals("System.err") || target.equals("System.out")) {
      return null;
    }
    return Path.of(target.trim()).toAbsolutePath().normalize();
  }

  private static List<Path> list(Path dir, java.util.function.Predicate<Path> wanted) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).filter(wanted).sorted().toList();
    }
  }

  /** The default configuration files, as the runtime bundle carries them. */
  interface Defaults {
    /** The file names, in the order to write them. */
    List<String> names();

    /** The content of one file. */
    InputStream open(String name) throws IOException;

    /** The entries under {@value Layout#DEFAULTS} of a bundle. */
    static Defaults of(org.osgi.framework.Bundle bundle) {
      List<String> names = new ArrayList<>();
      Enumeration<URL> entries = bundle.findEntries(DEFAULTS, "*", false);
      if (entries != null) {
        for (URL url : Collections.list(entries)) {
          String path = url.getPath();
          if (!path.endsWith("/")) {
            names.add(path.substring(path.lastIndexOf('/') + 1));
          }
        }
      }
      Collections.sort(names);
      return new Defaults() {
        @Override
        public List<String> names() {
          return names;
        }

        @Override
        public InputStream open(String name) throws IOException {
          URL entry = bundle.getEntry(DEFAULTS + "/" + name);
          if (entry == null) {
            throw new IOException("no default configuration " + name + " in " + bundle.getSymbolicName());
          }
          return entry.openStream();
        }
      };
    }
  }
}
