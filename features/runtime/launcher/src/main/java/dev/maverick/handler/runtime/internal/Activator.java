package dev.maverick.handler.runtime.internal;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

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
  /** Held: java.util.logging keeps loggers weakly, and would forget the level. */
  private static final java.util.logging.Logger SPIFLY = java.util.logging.Logger.getLogger("org.apache.aries.spifly");
  private ServiceRegistration<Layout> layout;
  private HandlerJournal journal;

  @Override
  public void start(BundleContext context) throws Exception {
    // SPI Fly reports each provider it registers through java.util.logging, at INFO, before the
    // JUL-to-SLF4J bridge exists: that would print to the console, so keep only its warnings
    SPIFLY.setLevel(java.util.logging.Level.WARNING);
    Layout prepared = Layout.prepare(context::getProperty, Layout.Defaults.of(context.getBundle()));
    layout = context.registerService(Layout.class, prepared, null);
    journal = new HandlerJournal(context);
    journal.open();
  }

  @Override
  public void stop(BundleContext context) {
    journal.close();
    layout.unregister();
  }
}
