package dev.maverick.handler.bench;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The start benchmark's second baseline: Apache Felix with Declarative Services (SCR and the three
 * bundles it needs, the same jars the runtime embeds) and nothing else, started as fast as the
 * framework can, in a JVM of its own. Prints "bare Felix + SCR started in N ms" (from the JVM's
 * start to SCR active) and stops. Run as
 * {@code java -cp felix.jar:benchmarks.jar dev.maverick.handler.bench.BareFelix CACHE BUNDLE...}.
 *
 * <p>The framework API is used reflectively: the benchmarks are no OSGi module, and the framework
 * jar comes from the runtime jar at run time.
 */
public final class BareFelix {
  private BareFelix() {}

  public static void main(String[] args) throws Exception {
    Class<?> factoryType = Class.forName("org.osgi.framework.launch.FrameworkFactory");
    Class<?> bundleType = Class.forName("org.osgi.framework.Bundle");
    Class<?> contextType = Class.forName("org.osgi.framework.BundleContext");
    Object factory = ServiceLoader.load(factoryType).findFirst().orElseThrow();
    Object framework = factoryType.getMethod("newFramework", Map.class).invoke(factory,
        Map.of("org.osgi.framework.storage", args[0], "org.osgi.framework.storage.clean", "onFirstInit"));
    Method start = bundleType.getMethod("start");
    start.invoke(framework);
    Object context = bundleType.getMethod("getBundleContext").invoke(framework);
    List<Object> bundles = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      bundles.add(contextType.getMethod("installBundle", String.class).invoke(context, Path.of(args[i]).toUri().toString()));
    }
    for (Object bundle : bundles) {
      start.invoke(bundle);
    }
    long millis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println("bare Felix + SCR started in " + millis + " ms");
    bundleType.getMethod("stop").invoke(framework);
    framework.getClass().getMethod("waitForStop", long.class).invoke(framework, 10_000L);
  }
}
