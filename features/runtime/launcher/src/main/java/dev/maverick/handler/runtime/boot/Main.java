package dev.maverick.handler.runtime.boot;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The runnable jar's main class (set by features/runtime's build): does what must happen before
 * the framework opens its bundle cache, then hands over to bnd's launcher, which the jar embeds.
 *
 * <p>The bundle cache is {@code felix-cache/} in the working directory (the launcher would take the
 * path the build wrote into the jar), unless {@code -Dlaunch.storage.dir=DIR} says otherwise. The
 * launcher keeps it between starts; {@code --clean} sets {@code launch.keep=false}, with which it
 * deletes the cache first and starts as on a first start. The argument stays on the command line,
 * where the runtime bundle accepts it.
 *
 * <p>Not used inside OSGi: it rides in the runtime bundle only because that is where it is built.
 */
public final class Main {
  static final String CLEAN = "--clean";
  static final String LAUNCHER = "aQute.launcher.pre.EmbeddedLauncher";
  static final String STORAGE = "launch.storage.dir";
  static final String CACHE = "felix-cache";

  private Main() {}

  public static void main(String[] args) throws Throwable {
    if (System.getProperty(STORAGE) == null) {
      System.setProperty(STORAGE, Path.of(CACHE).toAbsolutePath().toString());
    }
    if (Arrays.asList(args).contains(CLEAN)) {
      System.setProperty("launch.keep", "false");
    }
    try {
      Class.forName(LAUNCHER).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
