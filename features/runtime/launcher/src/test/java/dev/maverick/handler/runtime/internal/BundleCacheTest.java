package dev.maverick.handler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** A kept bundle cache loses the bundles of an earlier jar that the running jar no longer has. */
class BundleCacheTest {
  @TempDir Path cache;

  @Test
  void bundlesOfTheLauncherThatTheJarNoLongerHoldsAreUninstalledAndNoOthers() throws Exception {
    Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(Map.of(
        "org.osgi.framework.storage", cache.toString(), BundleCache.LAUNCH_BUNDLES, "jar/kept-2.0.jar, jar/other.jar"));
    framework.start();
    try {
      BundleContext context = framework.getBundleContext();
      Bundle kept = context.installBundle("jar/kept-2.0.jar", bundle("kept"));
      Bundle stale = context.installBundle("jar/kept-1.0.jar", bundle("stale"));
      Bundle deployed = context.installBundle("file:/srv/deploy/mine.jar", bundle("deployed"));
      assertThat(BundleCache.forgetBundlesLeftByAnEarlierJar(context)).containsExactly(stale);
      assertThat(Arrays.asList(context.getBundles())).contains(kept, deployed).doesNotContain(stale);
    } finally {
      framework.stop();
      framework.waitForStop(10_000);
    }
  }

  private static ByteArrayInputStream bundle(String name) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
    manifest.getMainAttributes().putValue("Bundle-SymbolicName", "test." + name);
    ByteArrayOutputStream jar = new ByteArrayOutputStream();
    new JarOutputStream(jar, manifest).close();
    return new ByteArrayInputStream(jar.toByteArray());
  }
}
