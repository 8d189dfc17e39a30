package dev.maverick.handler.runtime.internal;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The bundle cache is kept between starts ({@code felix-cache/}). The bnd launcher brings the
 * bundles of the jar up to date in it: a bundle whose content changed (its digest in the jar's
 * manifest) is updated, a new one installed. A bundle that an earlier jar had and this one has not
 * (renamed, or a new version with a new file name) would stay installed and start beside its
 * successor; this uninstalls it, so replacing the jar needs nothing from the user. Likewise a
 * bundle FileInstall installed from {@code deploy/} whose jar was removed while the runtime was
 * stopped (FileInstall only sees removals while it runs). {@code --clean} starts from an empty cache
 * instead.
 */
final class BundleCache {
  /** The launcher's property: the bundles of the jar, by location ({@code jar/name.jar}). */
  static final String LAUNCH_BUNDLES = "launch.bundles";
  /** Where the launcher installs the jar's bundles from. */
  static final String EMBEDDED_PREFIX = "jar/";

  private BundleCache() {}

  /**
   * Uninstalls the launcher's bundles that the running jar does not hold (nothing outside the
   * launcher), and the bundles installed from a jar in {@code deploy} that is gone.
   */
  static List<Bundle> forgetBundlesNoLongerThere(BundleContext context, Path deploy) throws BundleException {
    String launched = context.getProperty(LAUNCH_BUNDLES);
    Set<String> current = launched == null ? null
        : Set.copyOf(Arrays.stream(launched.split(",")).map(String::trim).toList());
    List<Bundle> removed = new ArrayList<>();
    for (Bundle bundle : context.getBundles()) {
      String location = bundle.getLocation();
      boolean leftByAnEarlierJar = current != null && location.startsWith(EMBEDDED_PREFIX) && !current.contains(location);
      if (bundle.getBundleId() != 0 && (leftByAnEarlierJar || deployedAndGone(location, deploy))) {
        bundle.uninstall();
        removed.add(bundle);
      }
    }
    if (!removed.isEmpty()) {
      context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(removed);
    }
    return removed;
  }

  private static boolean deployedAndGone(String location, Path deploy) {
    if (!location.startsWith("file:")) {
      return false;
    }
    try {
      Path jar = Path.of(URI.create(location)).toAbsolutePath().normalize();
      return jar.startsWith(deploy) && !Files.exists(jar);
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException notAFile) {
      return false;
    }
  }
}
