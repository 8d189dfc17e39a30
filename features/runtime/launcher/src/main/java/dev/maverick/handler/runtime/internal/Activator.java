package dev.maverick.handler.runtime.internal;

import org.osgi.annotation.bundle.Header;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;

/**
 * Prepares the working directories before anything else runs, and reports the handlers closed when
 * the runtime stops.
 *
 * <p>The runtime bundle has start level 1, below the logging backend (2) and everything else (3):
 * its {@code start} creates {@code etc/}, {@code deploy/} and the log directory, writes the
 * default configurations on a first start and points FileInstall at the directories, all before
 * FileInstall or SLF4J initialise. It must therefore not log here. Its {@code stop} runs after
 * every other bundle has stopped, so the handlers it saw go have been closed by then.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class Activator implements BundleActivator {
  static final String SHUTDOWN_TIMEOUT = "maverick.shutdown.timeout";
  private ServiceRegistration<Layout> layout;
  private HandlerJournal journal;
  private Thread shutdownHook;

  @Override
  public void start(BundleContext context) throws Exception {
    Layout prepared = Layout.prepare(context::getProperty, Layout.Defaults.of(context.getBundle()));
    layout = context.registerService(Layout.class, prepared, null);
    journal = new HandlerJournal(context);
    journal.open();
    shutdownHook = shutdownHook((Framework) context.getBundle(0), context.getProperty(SHUTDOWN_TIMEOUT));
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  @Override
  public void stop(BundleContext context) {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it is what stops the framework now
    }
    journal.close();
    layout.unregister();
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
        System.err.println("maverick: stopping the framework at JVM exit failed: " + e);
      }
    }, "maverick-shutdown");
  }
}
