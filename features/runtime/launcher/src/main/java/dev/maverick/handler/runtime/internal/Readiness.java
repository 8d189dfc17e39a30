package dev.maverick.handler.runtime.internal;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.Handler;
import dev.maverick.handler.config.files.ConfigFileNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Decides when the runtime has finished starting: every bundle meant to run is active (or has
 * failed), FileInstall has applied every file that was in {@code etc/} and installed every jar that
 * was in {@code deploy/}, every configuration aimed at a component has reached it, and every
 * immediate component has been activated (or has failed). Until then {@link #check} lists what is
 * still pending.
 */
final class Readiness {
  static final String HTTP_RUNTIMES = "(|(objectClass=org.osgi.service.http.runtime.HttpServiceRuntime)"
      + "(objectClass=org.osgi.service.servlet.runtime.HttpServiceRuntime))";
  private static final String HTTP_BUNDLE = "org.apache.felix.http.jetty";
  private static final long UNRESOLVED_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

  private final BundleContext context;
  private final Layout layout;
  private final ConfigurationAdmin configAdmin;
  private final ServiceComponentRuntime scr;
  private final Set<Bundle> failedBundles;
  private final Map<Long, Long> unresolvedSince = new java.util.HashMap<>();

  /**
   * @param failedBundles bundles whose start failed (framework ERROR events), updated by the caller
   */
  Readiness(BundleContext context, Layout layout, ConfigurationAdmin configAdmin, ServiceComponentRuntime scr,
      Set<Bundle> failedBundles) {
    this.context = context;
    this.layout = layout;
    this.configAdmin = configAdmin;
    this.scr = scr;
    this.failedBundles = failedBundles;
  }

  /**
   * What is still pending before every bundle up to start level {@code level} has started and
   * every component of theirs is active; empty when that stage of the start is done. Level
   * {@link StartLevels#HANDLERS} is "handlers active"; {@link StartLevels#SERVICES} adds the HTTP
   * server, the admin and the health checks.
   */
  List<String> pending(int level) {
    List<String> pending = new ArrayList<>();
    bundles(pending, level);
    if (!pending.isEmpty()) {
      return pending; // the rest depends on the bundles
    }
    files(pending);
    components(pending, level);
    if (level >= StartLevels.SERVICES) {
      http(pending);
    }
    return pending;
  }

  /**
   * Bundles other than SLF4J's that need a Service Loader Mediator: the runtime has none (its SLF4J
   * binding fragment stands in for one for SLF4J alone), so their ServiceLoader lookups are not
   * mediated. Optional needs (Jetty's) are left out: those bundles work without.
   */
  List<String> unmediated() {
    List<String> found = new ArrayList<>();
    for (Bundle bundle : context.getBundles()) {
      BundleWiring wiring = bundle.adapt(BundleWiring.class);
      if (wiring == null || bundle.getSymbolicName() == null || bundle.getSymbolicName().startsWith("slf4j.")) {
        continue;
      }
      for (BundleWire wire : wiring.getRequiredWires("osgi.extender")) {
        Object extender = wire.getCapability().getAttributes().get("osgi.extender");
        boolean mandatory = !"optional".equals(wire.getRequirement().getDirectives().get("resolution"));
        if (mandatory && String.valueOf(extender).startsWith("osgi.serviceloader.")) {
          found.add(bundle.getSymbolicName() + " (" + extender + ")");
        }
      }
    }
    return found;
  }

  /** The active handlers, by name: their kinds. */
  Map<String, String> handlers() {
    Map<String, String> handlers = new TreeMap<>();
    for (ServiceReference<?> reference : references(Handler.class.getName(), null)) {
      handlers.put(String.valueOf(reference.getProperty(Handler.NAME_PROPERTY)),
          String.valueOf(reference.getProperty(Handler.KIND_PROPERTY)));
    }
    return handlers;
  }

  /** Component configurations that failed to activate: the PID (or component name) and why. */
  Map<String, String> failures() {
    Map<String, String> failures = new TreeMap<>();
    for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
      for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
        if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
          Object pid = configuration.properties.get("service.pid");
          failures.put(pid == null ? description.name : pid.toString(),
              Objects.requireNonNullElse(configuration.failure, "activation failed").lines().findFirst().orElse(""));
        }
      }
    }
    return failures;
  }

  private void bundles(List<String> pending, int level) {
    Bundle system = context.getBundle(0);
    int current = system.adapt(FrameworkStartLevel.class).getStartLevel();
    FrameworkWiring wiring = system.adapt(FrameworkWiring.class);
    List<String> deployed = layout.initialBundles().stream().map(Readiness::location).toList();
    for (Bundle bundle : context.getBundles()) {
      if (bundle.getBundleId() == 0 || isFragment(bundle) || failedBundles.contains(bundle)) {
        continue;
      }
      BundleStartLevel start = bundle.adapt(BundleStartLevel.class);
      boolean wanted = start.isPersistentlyStarted() || deployed.contains(bundle.getLocation());
      if (!wanted || start.getStartLevel() > level) {
        continue;
      }
      // a lazy bundle stays STARTING until its first class is loaded: that is as started as it gets
      boolean lazy = "lazy".equals(bundle.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY))
          && start.isActivationPolicyUsed();
      if (bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.STARTING && lazy) {
        continue;
      }
      if (bundle.getState() == Bundle.INSTALLED && unresolvable(wiring, bundle)) {
        continue; // cannot resolve: the framework logs why; nothing to wait for
      }
      pending.add("bundle " + bundle.getSymbolicName() + " starting");
    }
    if (current < level) {
      pending.add("start level " + current + " of " + level);
    }
    for (String location : deployed) {
      if (context.getBundle(location) == null) {
        pending.add(location + " not installed yet");
      }
    }
  }

  /**
   * True once a bundle has failed to resolve for {@link #UNRESOLVED_GRACE_NANOS}: a single failed
   * attempt proves nothing while FileInstall is still refreshing the bundles it just installed.
   */
  private boolean unresolvable(FrameworkWiring wiring, Bundle bundle) {
    if (wiring.resolveBundles(Set.of(bundle))) {
      unresolvedSince.remove(bundle.getBundleId());
      return false;
    }
    long since = unresolvedSince.computeIfAbsent(bundle.getBundleId(), id -> System.nanoTime());
    return System.nanoTime() - since > UNRESOLVED_GRACE_NANOS;
  }

  private void files(List<String> pending) {
    for (Path file : layout.initialConfigs()) {
      String key = ConfigFileNames.configKey(file);
      if (list("(" + ConfigFileNames.FILENAME_PROPERTY + "=" + ConfigKeys.ldapValue(key) + ")").isEmpty()) {
        pending.add(file.getFileName() + " not applied yet");
      }
    }
  }

  private void components(List<String> pending, int level) {
    for (Bundle bundle : context.getBundles()) {
      // SCR reads a bundle's components when the bundle has started, a moment after it is ACTIVE
      if (bundle.getState() == Bundle.ACTIVE && levelOf(bundle) <= level
          && bundle.getHeaders("").get("Service-Component") != null
          && scr.getComponentDescriptionDTOs(bundle).isEmpty()) {
        pending.add("components of " + bundle.getSymbolicName() + " loading");
      }
    }
    List<Configuration> configurations = list(null);
    for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
      Bundle owner = context.getBundle(description.bundle.id);
      if (description.factory != null || owner == null || levelOf(owner) > level) {
        continue;
      }
      if (!scr.isComponentEnabled(description)) {
        if (description.defaultEnabled) {
          // SCR publishes a bundle's descriptions first and enables them a moment later
          pending.add("component " + description.name + " enabling");
        }
        continue;
      }
      Collection<ComponentConfigurationDTO> instances = scr.getComponentConfigurationDTOs(description);
      if (instances.isEmpty() && !"require".equals(description.configurationPolicy)) {
        // loaded, not yet enabled: it will have a configuration (a DTO) in a moment
        pending.add("component " + description.name + " enabling");
      }
      for (ComponentConfigurationDTO instance : instances) {
        if (description.immediate && instance.state == ComponentConfigurationDTO.SATISFIED) {
          pending.add("component " + description.name + " activating");
        }
      }
      if ("ignore".equals(description.configurationPolicy)) {
        continue;
      }
      for (Configuration configuration : configurations) {
        String target = Optional.ofNullable(configuration.getFactoryPid()).orElse(configuration.getPid());
        if (Arrays.asList(description.configurationPid).contains(target)
            && instances.stream().noneMatch(i -> configuration.getPid().equals(i.properties.get("service.pid")))) {
          pending.add("configuration " + configuration.getPid() + " reaching " + description.name);
        }
      }
    }
  }

  private void http(List<String> pending) {
    for (Bundle bundle : context.getBundles()) {
      if (HTTP_BUNDLE.equals(bundle.getSymbolicName()) && bundle.getState() == Bundle.ACTIVE
          && references(null, HTTP_RUNTIMES).isEmpty()) {
        pending.add("HTTP server starting");
      }
    }
  }

  /** Where the admin page is: the HTTP endpoint plus the admin bundle's page, if both exist. */
  Optional<String> httpEndpoint() {
    return references(null, HTTP_RUNTIMES).stream()
        .map(reference -> first(reference.getProperty("osgi.http.endpoint")))
        .filter(Objects::nonNull)
        .findFirst();
  }

  /**
   * The path of the admin page: a whiteboard servlet or resource of the admin bundle marked
   * {@code maverick.admin.page}, else its shortest whiteboard pattern that is not an API path.
   */
  Optional<String> adminPath(String adminBundle) {
    List<ServiceReference<?>> registered = new ArrayList<>();
    for (Bundle bundle : context.getBundles()) {
      if (adminBundle.equals(bundle.getSymbolicName()) && bundle.getRegisteredServices() != null) {
        registered.addAll(Arrays.asList(bundle.getRegisteredServices()));
      }
    }
    Optional<String> marked = registered.stream()
        .filter(reference -> reference.getProperty("maverick.admin.page") != null)
        .flatMap(reference -> patterns(reference).stream()).findFirst();
    if (marked.isPresent()) {
      return marked;
    }
    return registered.stream().flatMap(reference -> patterns(reference).stream())
        .filter(pattern -> !pattern.contains("api"))
        .min(Comparator.comparingInt(String::length));
  }

  /** The paths a whiteboard servlet or resource serves, wildcards cut: {@code /ui/*} is {@code /ui/}. */
  private static List<String> patterns(ServiceReference<?> reference) {
    List<String> paths = new ArrayList<>();
    for (String key : List.of("osgi.http.whiteboard.resource.pattern", "osgi.http.whiteboard.servlet.pattern")) {
      for (String pattern : all(reference.getProperty(key))) {
        String path = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 1) : pattern;
        paths.add(path.startsWith("/") ? path : "/" + path);
      }
    }
    return paths;
  }

  private static List<String> all(Object value) {
    if (value instanceof String text) {
      return List.of(text);
    }
    if (value instanceof String[] texts) {
      return Arrays.asList(texts);
    }
    if (value instanceof Collection<?> texts) {
      return texts.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  private static String first(Object value) {
    List<String> values = all(value);
    return values.isEmpty() ? null : values.get(0);
  }

  private List<ServiceReference<?>> references(String type, String filter) {
    try {
      // all of them: only properties are read, so class-space compatibility does not matter
      ServiceReference<?>[] found = context.getAllServiceReferences(type, filter);
      return found == null ? List.of() : Arrays.asList(found);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException(filter, e);
    }
  }

  private List<Configuration> list(String filter) {
    try {
      Configuration[] found = configAdmin.listConfigurations(filter);
      return found == null ? List.of() : Arrays.asList(found);
    } catch (IOException | InvalidSyntaxException e) {
      throw new IllegalStateException("cannot list configurations: " + e, e);
    }
  }

  /** The location FileInstall gives a bundle it installs from a file. */
  static String location(Path jar) {
    return jar.toFile().toURI().normalize().toString();
  }

  private static int levelOf(Bundle bundle) {
    BundleStartLevel start = bundle.adapt(BundleStartLevel.class);
    return start == null ? 0 : start.getStartLevel();
  }

  private static boolean isFragment(Bundle bundle) {
    BundleRevision revision = bundle.adapt(BundleRevision.class);
    return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }
}
