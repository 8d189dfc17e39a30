package dev.maverick.handler.config.files;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The naming rules of configuration files, the same as FileInstall's: {@code pid.cfg} for a
 * singleton configuration and {@code factoryPid-name.cfg} for a factory instance (whose PID then is
 * {@code factoryPid~name}); the same for {@code .cfg.json}. They live in one directory, {@code etc}
 * unless the property {@value #ETC_PROPERTY} names another.
 */
public final class ConfigFileNames {
  /** The extension of FileInstall's typed properties format. */
  public static final String CFG = ".cfg";
  /** The extension of the OSGi Configurator's JSON format for one configuration. */
  public static final String CFG_JSON = ".cfg.json";
  /** System or framework property: the configuration directory; default {@code etc}. */
  public static final String ETC_PROPERTY = "maverick.etc";
  /** FileInstall's property naming the file a configuration comes from (an absolute file URI). */
  public static final String FILENAME_PROPERTY = "felix.fileinstall.filename";

  private ConfigFileNames() {}

  /**
   * The configuration a file name stands for.
   *
   * @param pid the PID: {@code factoryPid~name} for a factory instance
   * @param factoryPid the factory PID, null for a singleton configuration
   * @param name the instance name, null for a singleton configuration
   */
  public record Target(String pid, String factoryPid, String name) {
    /** True for a factory instance ({@code factoryPid-name}). */
    public boolean isFactory() {
      return factoryPid != null;
    }
  }

  /**
   * The configuration directory, absolute: the value of {@value #ETC_PROPERTY}, or {@code etc},
   * relative to the working directory.
   *
   * @param property the framework's view of properties ({@code BundleContext::getProperty})
   */
  public static Path configDirectory(UnaryOperator<String> property) {
    String value = property.apply(ETC_PROPERTY);
    return Path.of(value == null || value.isBlank() ? "etc" : value.trim()).toAbsolutePath().normalize();
  }

  /** True for {@code *.cfg} and {@code *.cfg.json}. */
  public static boolean isConfigFile(Path path) {
    String name = path.getFileName().toString();
    return name.endsWith(CFG) || name.endsWith(CFG_JSON);
  }

  /** True for {@code *.cfg.json}. */
  public static boolean isJson(String fileName) {
    return fileName.endsWith(CFG_JSON);
  }

  /**
   * The configuration a file stands for: {@code a.b.cfg} is PID {@code a.b}; {@code a.b-x.cfg} is
   * the instance {@code x} of factory {@code a.b}, split at the first '-' as FileInstall does.
   *
   * @throws IllegalArgumentException if the name is not a configuration file name
   */
  public static Target parse(String fileName) {
    String base;
    if (fileName.endsWith(CFG_JSON)) {
      base = fileName.substring(0, fileName.length() - CFG_JSON.length());
    } else if (fileName.endsWith(CFG)) {
      base = fileName.substring(0, fileName.length() - CFG.length());
    } else {
      throw new IllegalArgumentException(fileName + " is not a configuration file: expected *.cfg or *.cfg.json");
    }
    int dash = base.indexOf('-');
    if (dash == 0 || base.isEmpty()) {
      throw new IllegalArgumentException(fileName + ": the name must start with a PID");
    }
    if (dash < 0) {
      return new Target(base, null, null);
    }
    String factoryPid = base.substring(0, dash);
    String name = base.substring(dash + 1);
    if (name.isEmpty()) {
      throw new IllegalArgumentException(fileName + ": a factory configuration needs a name after the '-'");
    }
    return new Target(factoryPid + "~" + name, factoryPid, name);
  }

  /**
   * The file name for a configuration: {@code pid.cfg}, or {@code factoryPid-name.cfg} where the
   * name is taken from a named PID ({@code factoryPid~name}), else the {@code name} property, else
   * the generated part of the PID; characters other than letters, digits, '.', '_' and '-' become
   * '_'.
   */
  public static String fileName(String pid, String factoryPid, Optional<String> nameProperty, String extension) {
    if (factoryPid == null) {
      return pid + extension;
    }
    String name;
    if (pid.startsWith(factoryPid + "~") && pid.length() > factoryPid.length() + 1) {
      name = pid.substring(factoryPid.length() + 1);
    } else if (nameProperty.isPresent() && !nameProperty.get().isBlank()) {
      name = nameProperty.get();
    } else if (pid.startsWith(factoryPid + ".") && pid.length() > factoryPid.length() + 1) {
      name = pid.substring(factoryPid.length() + 1);
    } else {
      name = pid;
    }
    return factoryPid + "-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + extension;
  }

  /** The key FileInstall stores in {@value #FILENAME_PROPERTY}: the file's absolute URI. */
  public static String configKey(Path file) {
    return file.toFile().getAbsoluteFile().toURI().toString();
  }

  /** The file behind a {@value #FILENAME_PROPERTY} key, if it is a file URI. */
  public static Optional<Path> fromConfigKey(String key) {
    try {
      return Optional.of(new File(URI.create(key)).toPath());
    } catch (IllegalArgumentException notAFileUri) {
      return Optional.empty();
    }
  }
}
