package dev.maverick.handler.runtime.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes the OSGi Log Service (the framework's bundle, service and framework events, FileInstall,
 * SCR) and {@code java.util.logging} into SLF4J, so that the runtime has one log.
 *
 * <p>Entries logged before this component started are replayed from the log reader's history, in
 * order. The Log Service records every bundle and service event at INFO; those go to DEBUG here,
 * errors stay errors.
 */
@Component(service = {}, immediate = true)
public final class LogBridge implements LogListener {
  private static final String EVENTS = "Events.";
  private final LogReaderService reader;

  /** Replays the history and starts forwarding; installs the JUL bridge. */
  @Activate
  public LogBridge(@Reference LogReaderService reader) {
    this.reader = reader;
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    List<LogEntry> history = new ArrayList<>(Collections.list(reader.getLog()));
    Collections.reverse(history); // getLog() is newest first
    reader.addLogListener(this);
    history.forEach(this::logged);
  }

  @Deactivate
  void deactivate() {
    reader.removeLogListener(this);
    SLF4JBridgeHandler.uninstall();
  }

  @Override
  public void logged(LogEntry entry) {
    String loggerName = entry.getLoggerName();
    String bundle = entry.getBundle() == null ? "framework" : entry.getBundle().getSymbolicName();
    boolean event = loggerName != null && loggerName.startsWith(EVENTS);
    // the legacy LogService API, the R7 root logger and events name no logger of their own
    boolean unnamed = loggerName == null || loggerName.equals("LogService") || loggerName.equals("ROOT");
    Logger log = LoggerFactory.getLogger(unnamed || event ? "osgi." + bundle : loggerName);
    LogLevel level = entry.getLogLevel();
    if (event && level == LogLevel.INFO) {
      level = LogLevel.DEBUG; // bundle and service events: noise at INFO
    }
    String message = entry.getServiceReference() == null ? entry.getMessage()
        : entry.getMessage() + " " + entry.getServiceReference();
    Throwable error = entry.getException();
    switch (level) {
      case AUDIT, ERROR -> log.error(message, error);
      case WARN -> log.warn(message, error);
      case INFO -> log.info(message, error);
      case DEBUG -> log.debug(message, error);
      default -> log.trace(message, error);
    }
  }
}
