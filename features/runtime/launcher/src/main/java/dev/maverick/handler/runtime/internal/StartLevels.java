package dev.maverick.handler.runtime.internal;

/**
 * The runtime starts in stages (the start levels of maverick-runtime.bndrun): the configuration
 * machinery first, then the handlers, then what serves people, then the console. The framework
 * begins at {@link #HANDLERS}; {@link RuntimeConsole} raises it to {@link #SERVICES} once the
 * handlers are active, and to {@link #CONSOLE} only when there is a console to run.
 */
final class StartLevels {
  /** This bundle: directories, log file. */
  static final int RUNTIME = 1;
  /** SLF4J, its binding, the OSGi Log Service and the JUL bridge. */
  static final int LOGGING = 2;
  /** Config Admin, Metatype, FileInstall, SCR and the configuration files. */
  static final int CONFIGURATION = 3;
  /** The core and the handler bundles, and every bundle installed later (deploy/). */
  static final int HANDLERS = 4;
  /** Jetty, the admin, health checks, Event Admin. */
  static final int SERVICES = 5;
  /** Gogo: started only when the console runs. */
  static final int CONSOLE = 6;

  private StartLevels() {}
}
