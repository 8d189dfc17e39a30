package dev.maverick.handler.runtime.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Prepares the working directories and the log before anything else runs, and reports the
 * handlers closed when the runtime stops.
 *
 * <p>The runtime bundle has start level 1, below the logging backend (2) and everything else: its
 * {@code start} creates {@code etc/}, {@code deploy/} and the log directory, writes the default
 * configurations on a first start, points FileInstall at the directories and gives the log its
 * rotating file ({@link RotatingLog}, as {@code System.err}, where slf4j-simple is pointed), all
 * before FileInstall or SLF4J initialise. It must therefore not log here. Its {@code stop} runs
 * after every other bundle has stopped, so the handlers it saw go have been closed by then.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class Activator implements BundleActivator {
  static final String SHUTDOWN_TIMEOUT = "maverick.shutdown.timeout";
  private ServiceRegistration<Layout> layout;
  private HandlerJournal journal;
  private Thread shutdownHook;
  private PrintStream originalErr;
  private RotatingLog log;

  @Override
  public void start(BundleContext context) throws Exception {
    Layout prepared = Layout.prepare(context::getProperty, Layout.Defaults.of(context.getBundle()));
    if (prepared.logFile() != null) {
      useRotatingLog(context, prepared);
    }
    // bundles installed from now on (deploy/, the shell) start with the handlers, not after the console
    context.getBundle(0).adapt(FrameworkStartLevel.class).setInitialBundleStartLevel(StartLevels.HANDLERS);
    BundleCache.forgetBundlesNoLongerThere(context, prepared.deploy());
    layout = context.registerService(Layout.class, prepared, null);
    journal = new HandlerJournal(context);
    journal.open();
    shutdownHook = shutdownHook((Framework) context.getBundle(0), context.getProperty(SHUTDOWN_TIMEOUT));
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  @Override
  public void stop(BundleContext context) throws IOException {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it is what stops the framework now
    }
    journal.close();
    layout.unregister();
    if (log != null) {
      System.err.flush();
      System.setErr(originalErr);
      log.close();
    }
  }

  /**
   * slf4j-simple writes to {@code System.err} (it looks the stream up for every line), and
   * {@code System.err} writes to the rotating log file: so does anything else printed there, such
   * as a thread's uncaught exception. The property is set before slf4j-simple reads it.
   */
  private void useRotatingLog(BundleContext context, Layout prepared) throws IOException {
    RotatingLog.Limits limits;
    try {
      limits = RotatingLog.Limits.of(context::getProperty);
    } catch (IllegalArgumentException e) {
      terminal().println("maverick: " + e.getMessage() + "; using " + RotatingLog.DEFAULT_MAX_BYTES + " bytes × "
          + RotatingLog.DEFAULT_FILES + " files");
      limits = new RotatingLog.Limits(RotatingLog.DEFAULT_MAX_BYTES, RotatingLog.DEFAULT_FILES);
    }
    log = new RotatingLog(prepared.logFile(), limits);
    originalErr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    System.setProperty(Layout.LOG_FILE_PROPERTY, "System.err");
  }

  /** The process's own standard error, for the few words meant for a person at the terminal. */
  static PrintStream terminal() {
    return new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
  }

  /**
   * When the JVM exits any other way than through the launcher (SIGTERM before the console is up or
   * without signal support, SIGHUP, System.exit), stop the framework first, so that the handler
   * components close and drain their handlers. Installed first thing, removed when the framework stops.
   */
  static Thread shutdownHook(Framework framework, String timeoutSeconds) {
    long timeout = TimeUnit.SECONDS.toMillis(timeoutSeconds == null ? 60 : Long.parseLong(timeoutSeconds.trim()));
    return new Thread(() -> {
      try {
        if (framework.getState() == Bundle.ACTIVE || framework.getState() == Bundle.STARTING) {
          framework.stop();
        }
        framework.waitForStop(timeout);
      } catch (BundleException | InterruptedException | IllegalStateException e) {
        terminal().println("maverick: stopping the framework at JVM exit failed: " + e);
      }
    }, "maverick-shutdown");
  }
}
