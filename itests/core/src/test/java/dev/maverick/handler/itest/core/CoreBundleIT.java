package dev.maverick.handler.itest.core;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Admission;
import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.ResultReader;
import dev.maverick.handler.ResultsClaimedException;
import dev.maverick.handler.TakenResult;
import dev.maverick.handler.itest.Await;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
  public void coreBundleIsActiveAndExportsTheApiAtOneTwo() {
    Bundle core = bundle("dev.maverick.handler.core");
    assertEquals(Bundle.ACTIVE, core.getState());
    BundleWiring wiring = core.adapt(BundleWiring.class);
    Map<String, Version> exports = new java.util.HashMap<>();
    for (BundleCapability capability : wiring.getCapabilities("osgi.wiring.package")) {
      exports.put((String) capability.getAttributes().get("osgi.wiring.package"),
          (Version) capability.getAttributes().get("version"));
    }
    assertEquals("exactly one exported package", Map.of("dev.maverick.handler", new Version(1, 2, 0)), exports);
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
  public void aBadConfigurationIsRejectedWithItsPidAndTheLastGoodOneStays() throws Exception {
    @SuppressWarnings("unchecked")
    Handler<Object, Object> upper = Await.service(context, Handler.class, UPPER);
    org.osgi.service.cm.Configuration configuration =
        configAdmin.getConfiguration("dev.maverick.handler.itest.upper", "?");
    Dictionary<String, Object> good = new Hashtable<>();
    good.put("max_queue_size", "9");
    configuration.update(good);
    Await.until("good configuration applied", () -> upper.stats().inputQueueCapacity() == 9);
    Dictionary<String, Object> bad = new Hashtable<>();
    bad.put("max_queue_size", "-4");
    configuration.update(bad);
    org.osgi.framework.ServiceReference<?> reference = Await.value("the rejection on the service", () -> {
      org.osgi.framework.ServiceReference<?> ref = context.getServiceReference(Handler.class);
      return ref != null && ref.getProperty("handler.config.error") != null ? ref : null;
    });
    assertEquals("configuration dev.maverick.handler.itest.upper: invalid value for 'max_queue_size': '-4' (String);"
        + " allowed: an integer >= 0 (0 = unbounded)", reference.getProperty("handler.config.error"));
    assertEquals("the last good configuration stays", 9, upper.stats().inputQueueCapacity());
    assertTrue(upper.feed("still serving"));
    configuration.delete();
    Await.until("defaults restored", () -> {
      @SuppressWarnings("unchecked")
      Handler<Object, Object> current = Await.service(context, Handler.class, UPPER);
      return current.stats().inputQueueCapacity() == 128;
    });
  }

  @Test
  public void reinstallingTheHandlerBundleHandsQueuedWorkToTheNewInstance() throws Exception {
    Bundle fixture = bundle("dev.maverick.handler.fixture-handler");
    @SuppressWarnings("unchecked")
    Handler<Object, Object> old = Await.service(context, Handler.class, UPPER);
    assertTrue(old.feed("x"));
    Await.until("x processed by the old instance", () -> old.stats().resultQueueSize() == 1);
    String location = fixture.getLocation();
    fixture.uninstall();
    Await.noService(context, Handler.class, UPPER);
    Await.until("the old instance closed", () -> old.state() == dev.maverick.handler.HandlerState.CLOSED);
    assertEquals("its untaken result was handed over", 1, old.stats().resultsHandedOff());
    Bundle again = context.installBundle(location);
    again.start();
    @SuppressWarnings("unchecked")
    Handler<Object, Object> successor = Await.service(context, Handler.class, UPPER);
    assertEquals(Optional.of("X"), successor.getResult(Duration.ofSeconds(10)));
    assertEquals(1, successor.stats().resultsHandedIn());
    assertTrue(old.stats().isBalanced());
    assertTrue(successor.stats().isBalanced());
  }

  @Test
  public void oneHandlersResultsReachAnotherThroughAClaimAnOfferAndASettle() throws Exception {
    @SuppressWarnings("unchecked")
    Handler<Object, Object> upper = Await.service(context, Handler.class, UPPER);
    org.osgi.service.cm.Configuration lowerConfig =
        configAdmin.createFactoryConfiguration("dev.maverick.handler.itest.lower", "?");
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put("name", "low-reader");
    lowerConfig.update(properties);
    try {
      @SuppressWarnings("unchecked")
      Handler<Object, Object> lower = Await.service(context, Handler.class, "(" + Handler.NAME_PROPERTY + "=low-reader)");
      java.util.List<Throwable> failures = new CopyOnWriteArrayList<>();
      try (ResultReader<Object> reader = upper.claimResults("wire 'it'")) {
        assertEquals(Optional.of("wire 'it'"), upper.resultReader());
        ResultsClaimedException refused = assertThrows(ResultsClaimedException.class, () -> upper.getResult(Duration.ZERO));
        assertEquals("the results of 'upper' are read by wire 'it'", refused.getMessage());
        // what earlier tests left for upper to do, taken and settled first
        Await.until("upper idle", () -> upper.stats().inputQueueSize() == 0 && upper.stats().inFlight() == 0);
        java.util.List<TakenResult<Object>> leftovers = new java.util.ArrayList<>();
        reader.drainTo(leftovers, Integer.MAX_VALUE);
        leftovers.forEach(TakenResult::settle);

        assertTrue(upper.feed("Hello", Map.of("n", 1)));
        TakenResult<Object> taken = reader.take(Duration.ofSeconds(10)).orElseThrow();
        assertEquals("HELLO", taken.result());
        assertEquals(Map.of("n", 1), taken.extra());
        assertEquals(1, upper.stats().resultsUnsettled());

        long fedBefore = lower.stats().fedCount();
        Admission invalid = lower.offer(42, Map.of(), Duration.ZERO, failures::add);
        assertEquals(Admission.Outcome.INVALID, invalid.outcome());
        assertTrue(invalid.message().orElseThrow(), invalid.message().orElseThrow().contains("expected java.lang.String"));
        assertEquals("a refused offer is not counted", fedBefore, lower.stats().fedCount());
        assertEquals(Admission.ACCEPTED, lower.offer(taken.result(), taken.extra(), Duration.ofSeconds(10), failures::add));
        taken.settle();
        assertEquals(0, upper.stats().resultsUnsettled());
        assertEquals(Optional.of("hello"), lower.getResult(Duration.ofSeconds(10)));
      }
      assertEquals(Optional.empty(), upper.resultReader());
      assertEquals(Optional.empty(), upper.getResult(Duration.ZERO));
      assertEquals(java.util.List.of(), failures);
      Await.until("both books balance", () -> upper.stats().isBalanced() && lower.stats().isBalanced());
    } finally {
      lowerConfig.delete();
    }
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
