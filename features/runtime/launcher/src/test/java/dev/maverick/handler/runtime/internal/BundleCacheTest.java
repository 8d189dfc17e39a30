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

/**
 * A kept bundle cache loses the bundles of an earlier jar that the running jar no longer has, and
 * those deployed from a jar that was removed while the runtime was stopped.
 */
class BundleCacheTest {
  @TempDir Path cache;

  @Test
  void bundlesOfTheLauncherThatTheJarNoLongerHoldsAndDeployedBundlesWhoseJarIsGoneAreUninstalledAndNoOthers() throws Exception {
    Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(Map.of(
        "org.osgi.framework.storage", cache.toString(), BundleCache.LAUNCH_BUNDLES, "jar/kept-2.0.jar, jar/other.jar"));
    framework.start();
    try {
      BundleContext context = framework.getBundleContext();
      Bundle kept = context.installBundle("jar/kept-2.0.jar", bundle("kept"));
      Bundle stale = context.installBundle("jar/kept-1.0.jar", bundle("stale"));
      Path deploy = java.nio.file.Files.createDirectories(cache.resolve("deploy"));
      Path there = java.nio.file.Files.writeString(deploy.resolve("there.jar"), "a jar");
      Bundle deployed = context.installBundle(there.toUri().toString(), bundle("deployed"));
      Bundle removed = context.installBundle(deploy.resolve("removed.jar").toUri().toString(), bundle("removed"));
      Bundle elsewhere = context.installBundle(cache.resolve("elsewhere.jar").toUri().toString(), bundle("elsewhere"));
      assertThat(BundleCache.forgetBundlesNoLongerThere(context, deploy)).containsExactly(stale, removed);
      assertThat(Arrays.asList(context.getBundles())).contains(kept, deployed, elsewhere).doesNotContain(stale, removed);
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
