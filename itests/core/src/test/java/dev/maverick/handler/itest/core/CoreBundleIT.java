package dev.maverick.handler.itest.core;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.itest.Await;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreBundleIT {
  private static final String UPPER = "(" + Handler.NAME_PROPERTY + "=upper)";

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  @Configuration
  public Option[] config() {
    return options(platform(), bundleOf("core"), bundleOf("fixture-handler"));
  }

  @Test
  public void coreBundleIsActiveAndExportsTheApiAtOneZero() {
    Bundle core = bundle("dev.maverick.handler.core");
    assertEquals(Bundle.ACTIVE, core.getState());
    BundleWiring wiring = core.adapt(BundleWiring.class);
    Map<String, Version> exports = new java.util.HashMap<>();
    for (BundleCapability capability : wiring.getCapabilities("osgi.wiring.package")) {
      exports.put((String) capability.getAttributes().get("osgi.wiring.package"),
          (Version) capability.getAttributes().get("version"));
    }
    assertEquals("exactly one exported package", Map.of("dev.maverick.handler", new Version(1, 0, 0)), exports);
  }

  @Test
  public void aSubclassInAnotherBundleServesThroughTheHandlerService() {
    @SuppressWarnings("unchecked")
    Handler<Object, Object> upper = Await.service(context, Handler.class, UPPER);
    assertEquals("upper", upper.name());
    assertEquals("HELLO", upper.generate("hello"));
    assertTrue(upper.feed("world"));
    assertEquals(Optional.of("WORLD"), upper.getResult(Duration.ofSeconds(10)));
    // expected_type=java.lang.String came from the component's configuration
    assertFalse(upper.feed(42));
    HandlerStats stats = upper.stats();
    assertEquals(1, stats.dropped(dev.maverick.handler.DropReason.INVALID));
    assertTrue(stats.toString(), stats.isBalanced());
  }

  @Test
  public void configAdminChangesReachTheLiveHandler() throws Exception {
    @SuppressWarnings("unchecked")
    Handler<Object, Object> before = Await.service(context, Handler.class, UPPER);
    org.osgi.service.cm.Configuration configuration =
        configAdmin.getConfiguration("dev.maverick.handler.itest.upper", "?");
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put("max_queue_size", "7");
    configuration.update(properties);
    Await.until("max_queue_size=7 applied", () -> before.stats().inputQueueCapacity() == 7);
    assertEquals("the same instance, modified in place", before,
        Await.service(context, Handler.class, UPPER));
    configuration.delete();
    Await.until("defaults restored", () -> before.stats().inputQueueCapacity() == 128);
  }

  @Test
  public void uninstallingTheHandlerBundleRemovesItsServiceAndClosesIt() throws Exception {
    Bundle fixture = bundle("dev.maverick.handler.fixture-handler");
    @SuppressWarnings("unchecked")
    Handler<Object, Object> upper = Await.service(context, Handler.class, UPPER);
    assertTrue(upper.feed("x"));
    String location = fixture.getLocation();
    fixture.uninstall();
    Await.noService(context, Handler.class, UPPER);
    Await.until("the old instance closed", () -> upper.state() == dev.maverick.handler.HandlerState.CLOSED);
    // the queued item was processed during close, not lost
    assertEquals(Optional.of("X"), upper.getResult(Duration.ZERO));
    Bundle again = context.installBundle(location);
    again.start();
    assertNotNull(Await.service(context, Handler.class, UPPER));
  }

  private Bundle bundle(String symbolicName) {
    for (Bundle bundle : context.getBundles()) {
      if (bundle.getSymbolicName().equals(symbolicName)) {
        return bundle;
      }
    }
    throw new AssertionError("no bundle " + symbolicName);
  }
}
