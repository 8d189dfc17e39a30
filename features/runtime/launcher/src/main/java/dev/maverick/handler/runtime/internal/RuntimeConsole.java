package dev.maverick.handler.runtime.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's main thread. The bnd launcher calls the {@code main.thread} service on the JVM's
 * main thread once every bundle is installed; this one leads the start in stages (see
 * {@link StartLevels}): it waits until the handlers are active ({@link Readiness}) and prints the
 * first lines of the banner with that time, raises the start level to let Jetty, the admin and the
 * health checks start (and Gogo, when there will be a console), waits until HTTP is ready and
 * prints the rest (where the admin page is, where the configuration and the log are), runs the
 * Gogo console when there is a terminal, and returns when the runtime should stop: the console
 * ended, SIGTERM or SIGINT arrived, or the framework is stopping. The launcher then stops the
 * framework (DS deactivates the handler components, which close and drain their handlers) and
 * exits with the code returned here, 0.
 *
 * <p>This bundle is the console's user interface: the banner goes to standard output (and to the
 * log), because the log itself is in a file.
 */
@Component(service = Callable.class, property = "main.thread=true", immediate = true)
public final class RuntimeConsole implements Callable<Integer>, FrameworkListener, AllServiceListener,
    SynchronousBundleListener {
  static final String NO_SHELL = "--no-shell";
  static final String SHELL = "--shell";
  /** Handled before the framework starts (by the jar's main class): the bundle cache is started afresh. */
  static final String CLEAN = "--clean";
  private static final Set<String> KNOWN_ARGUMENTS = Set.of(NO_SHELL, SHELL, CLEAN);
  static final String STARTUP_TIMEOUT = "maverick.startup.timeout";
  static final String SHUTDOWN_TIMEOUT = Activator.SHUTDOWN_TIMEOUT;
  static final String ADMIN_BUNDLE = "dev.maverick.handler.admin";
  private static final String USAGE = String.join("\n",
      "usage: java [-Dmaverick.etc=DIR] [-Dmaverick.deploy=DIR] [-Dorg.osgi.service.http.port=PORT]",
      "            -jar maverick-runtime.jar [--no-shell | --shell] [--clean]",
      "  --no-shell  run as a service: no console; stop with SIGTERM or Ctrl-C",
      "  --shell     run the Gogo console even when standard input is not a terminal",
      "  --clean     start with an empty bundle cache (felix-cache/), as on a first start",
      "  (default: the console when there is a terminal, otherwise as with --no-shell)");
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeConsole.class);
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final BundleContext context;
  private final Layout layout;
  private final List<String> arguments;
  private final Readiness readiness;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Set<Bundle> failedBundles = ConcurrentHashMap.newKeySet();
  private final List<Runnable> undo = new ArrayList<>();
  private volatile String stopReason = "the framework is stopping";
  private volatile boolean stopping;
  private volatile long lastEvent = System.nanoTime();

  /**
   * Listens for bundle failures and installs the SIGTERM/SIGINT handling. Active only under the
   * bnd launcher, which registers itself with the command line's arguments.
   */
  @Activate
  public RuntimeConsole(BundleContext context, @Reference Layout layout, @Reference ConfigurationAdmin configAdmin,
      @Reference ServiceComponentRuntime scr,
      @Reference(name = "launcher", service = Object.class, target = "(launcher.arguments=*)")
      Map<String, Object> launcher) {
    this.context = context;
    this.layout = layout;
    this.arguments = launcher.get("launcher.arguments") instanceof String[] given ? List.of(given) : List.of();
    this.readiness = new Readiness(context, layout, configAdmin, scr, failedBundles);
    context.addFrameworkListener(this);
    context.addServiceListener(this);
    context.addBundleListener(this);
    installSignalHandlers();
  }

  @Deactivate
  void deactivate() {
    context.removeFrameworkListener(this);
    context.removeServiceListener(this);
    context.removeBundleListener(this);
    undo.forEach(Runnable::run);
    stop.countDown();
  }

  @Override
  public void serviceChanged(ServiceEvent event) {
    lastEvent = System.nanoTime();
  }

  @Override
  public void bundleChanged(BundleEvent event) {
    lastEvent = System.nanoTime();
  }

  @Override
  public void frameworkEvent(FrameworkEvent event) {
    lastEvent = System.nanoTime();
    if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null && event.getBundle().getBundleId() != 0) {
      failedBundles.add(event.getBundle());
    }
  }

  /** Runs on the launcher's main thread; returns the process's exit code. */
  @Override
  public Integer call() throws InterruptedException {
    List<String> unknown = arguments.stream().filter(a -> !KNOWN_ARGUMENTS.contains(a)).toList();
    if (!unknown.isEmpty()) {
      boolean help = unknown.contains("-h") || unknown.contains("--help");
      (help ? System.out : Activator.terminal()).println((help ? "" : "unknown argument(s) " + unknown + "\n") + USAGE);
      return help ? 0 : 2;
    }
    boolean shell = !arguments.contains(NO_SHELL) && (arguments.contains(SHELL) || isTerminal());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds(STARTUP_TIMEOUT, 30));
    Stage handlers = settle(StartLevels.HANDLERS, deadline);
    if (handlers == null) {
      return 0;
    }
    List<String> lines = new ArrayList<>();
    lines.add("Maverick Handlers runtime: " + (handlers.pending().isEmpty() ? "handlers active in " : "started in ")
        + handlers.millis() + " ms (Java " + Runtime.version().feature() + ", pid " + ProcessHandle.current().pid() + ")");
    handlerLines(lines, handlers.pending());
    print(lines);
    raiseStartLevel(shell ? StartLevels.CONSOLE : StartLevels.SERVICES);
    Stage services = settle(StartLevels.SERVICES, deadline);
    if (services == null) {
      return 0;
    }
    print(serviceLines(services, shell));
    for (String bundle : readiness.unmediated()) {
      LOG.warn("{} needs a Service Loader Mediator, which this runtime does not have (its SLF4J binding stands in"
          + " for one for SLF4J only): java.util.ServiceLoader lookups in that bundle are not mediated", bundle);
    }
    if (shell) {
      startConsole();
    }
    stop.await();
    LOG.info("stopping: {}", stopReason);
    return 0;
  }

  /** A stage of the start that has settled (or timed out), and when, in ms since the JVM started. */
  private record Stage(List<String> pending, long millis) {}

  /**
   * Waits until nothing up to {@code level} is pending and nothing happened (no bundle, service or
   * framework event) for {@link #QUIET_NANOS}. The quiet period closes the gap SCR leaves: it
   * reports a component ACTIVE while its constructor, which registers the handler, may still be
   * running. Returns null if the runtime is asked to stop meanwhile.
   */
  private Stage settle(int level, long deadline) throws InterruptedException {
    List<String> pending = readiness.pending(level);
    List<String> reported = List.of();
    while ((!pending.isEmpty() || System.nanoTime() - lastEvent < QUIET_NANOS) && System.nanoTime() < deadline) {
      if (!pending.equals(reported)) {
        LOG.debug("starting; waiting for: {}", pending.isEmpty() ? "quiet" : pending);
        reported = pending;
      }
      if (stop.await(10, TimeUnit.MILLISECONDS)) {
        return null;
      }
      pending = readiness.pending(level);
    }
    // the moment the stage settled: its last event, not the end of the quiet period
    long settledNanosAgo = pending.isEmpty() ? Math.max(0, System.nanoTime() - lastEvent) : 0;
    return new Stage(pending, System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(settledNanosAgo)
        - ManagementFactory.getRuntimeMXBean().getStartTime());
  }

  private void raiseStartLevel(int level) {
    FrameworkStartLevel startLevel = context.getBundle(0).adapt(FrameworkStartLevel.class);
    if (startLevel.getStartLevel() < level) {
      startLevel.setStartLevel(level);
    }
  }

  private void handlerLines(List<String> lines, List<String> pending) {
    Map<String, String> handlers = readiness.handlers();
    lines.add("  handlers:   " + (handlers.isEmpty() ? "none active"
        : handlers.size() + " active: " + String.join(", ", handlers.entrySet().stream()
            .map(e -> e.getKey() + " (" + e.getValue() + ")").toList())));
    readiness.failures().forEach((pid, why) -> lines.add("  failed:     " + pid + ": " + why));
    if (!pending.isEmpty()) {
      lines.add("  still waiting after " + seconds(STARTUP_TIMEOUT, 30) + " s for: " + String.join("; ", pending));
    }
  }

  private List<String> serviceLines(Stage services, boolean shell) {
    List<String> lines = new ArrayList<>();
    String http = readiness.httpEndpoint().map(RuntimeConsole::displayable).orElse(null);
    String admin = http == null ? null : readiness.adminPath(ADMIN_BUNDLE).map(path -> join(http, path)).orElse(null);
    lines.add("  " + (services.pending().isEmpty() ? "HTTP ready in " : "HTTP not ready after ") + services.millis()
        + " ms" + (services.pending().isEmpty() ? "" : ", waiting for: " + String.join("; ", services.pending())));
    lines.add("  admin page: " + (admin != null ? admin
        : http != null ? "none (the admin bundle is not installed); HTTP at " + http : "none (no HTTP server)"));
    lines.add("  config:     " + layout.etc() + (layout.defaultsWritten().isEmpty() ? ""
        : " (created with " + String.join(", ", layout.defaultsWritten()) + ")"));
    lines.add("  deploy:     " + layout.deploy());
    lines.add("  log:        " + layout.logDescription(context::getProperty));
    lines.add("  shell:      " + (shell ? "Gogo console; 'lb' lists bundles, Ctrl-D stops the runtime"
        : "none (service mode); SIGTERM or Ctrl-C stops the runtime"));
    return lines;
  }

  /** The banner goes to standard output (the log is in a file) and to the log. */
  private static void print(List<String> lines) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    lines.forEach(out::println);
    lines.forEach(line -> LOG.info("{}", line.trim()));
  }

  private static String displayable(String endpoint) {
    // Jetty reports a wildcard host; people need an address they can open
    return endpoint.replace("://0.0.0.0:", "://localhost:").replace("://[::]:", "://localhost:");
  }

  private static String join(String endpoint, String path) {
    return (endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint) + path;
  }

  /** Runs {@code gosh} on the process's own terminal, as Gogo's shell bundle would. */
  private void startConsole() {
    Thread console = new Thread(() -> {
      try {
        CommandProcessor processor = waitForGosh();
        if (processor == null) {
          LOG.warn("no Gogo shell appeared within 30 s: running without a console");
          return;
        }
        CommandSession session = processor.createSession(new FileInputStream(FileDescriptor.in),
            new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
        session.execute("gosh --login --noshutdown");
        requestStop("the console ended");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.error("the console failed: {}", e.toString(), e);
        requestStop("the console failed");
      }
    }, "maverick-console");
    console.setDaemon(true); // a read of standard input cannot be interrupted: never wait for it
    console.start();
  }

  private CommandProcessor waitForGosh() throws InterruptedException, InvalidSyntaxException {
    ServiceTracker<Object, Object> gosh = new ServiceTracker<>(context,
        context.createFilter("(&(osgi.command.scope=gogo)(osgi.command.function=gosh))"), null);
    ServiceTracker<CommandProcessor, CommandProcessor> processors =
        new ServiceTracker<>(context, CommandProcessor.class, null);
    gosh.open();
    processors.open();
    try {
      return gosh.waitForService(30_000) == null ? null : processors.waitForService(30_000);
    } finally {
      gosh.close();
      processors.close();
    }
  }

  private void requestStop(String reason) {
    stopReason = reason;
    stop.countDown();
  }

  /**
   * SIGTERM and SIGINT make {@link #call} return, so the launcher stops the framework and exits 0.
   * A second signal, or a stop that takes longer than {@value #SHUTDOWN_TIMEOUT} seconds, halts.
   * Uses {@code sun.misc.Signal} (module jdk.unsupported) reflectively; without it, the JVM's
   * default handling runs the runtime bundle's shutdown hook instead (exit code 143).
   */
  private void installSignalHandlers() {
    try {
      ClassLoader loader = RuntimeConsole.class.getClassLoader();
      Class<?> signal = loader.loadClass("sun.misc.Signal");
      Class<?> handlerType = loader.loadClass("sun.misc.SignalHandler");
      Method handle = signal.getMethod("handle", signal, handlerType);
      Object handler = Proxy.newProxyInstance(loader, new Class<?>[] {handlerType}, (proxy, method, args) -> {
        return switch (method.getName()) {
          case "handle" -> {
            onSignal("SIG" + args[0].toString().replace("SIG", ""));
            yield null;
          }
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "maverick runtime stop";
        };
      });
      for (String name : List.of("TERM", "INT")) {
        Object which = signal.getConstructor(String.class).newInstance(name);
        Object previous = handle.invoke(null, which, handler);
        undo.add(() -> {
          try {
            handle.invoke(null, which, previous);
          } catch (ReflectiveOperationException e) {
            LOG.debug("cannot restore the {} handler: {}", name, e.toString());
          }
        });
      }
    } catch (ReflectiveOperationException | LinkageError | IllegalArgumentException e) {
      LOG.info("no signal handling ({}); SIGTERM stops the runtime through the JVM's shutdown hooks", e.toString());
    }
  }

  private synchronized void onSignal(String signal) {
    if (stopping) {
      Activator.terminal().println("maverick: " + signal + " again: halting now");
      Runtime.getRuntime().halt(130);
    }
    stopping = true;
    long timeout = seconds(SHUTDOWN_TIMEOUT, 60);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(timeout)); // a deadline, not a wait for a condition
        Activator.terminal().println("maverick: the runtime did not stop within " + timeout + " s; halting");
        Runtime.getRuntime().halt(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "maverick-shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    requestStop(signal + " received");
  }

  private long seconds(String property, long fallback) {
    String value = context.getProperty(property);
    try {
      return value == null ? fallback : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      LOG.warn("{}={} is not a whole number of seconds; using {}", property, value, fallback);
      return fallback;
    }
  }

  /** True when standard input and output are a terminal (Java 22+ has a console even when not). */
  static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException beforeJava22) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
