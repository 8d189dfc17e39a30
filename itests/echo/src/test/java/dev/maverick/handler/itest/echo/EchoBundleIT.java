package dev.maverick.handler.itest.echo;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.jackson;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static dev.maverick.handler.itest.Osgi.properties;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.Bystanders;
import dev.maverick.handler.itest.JsonServer;
import dev.maverick.handler.itest.Osgi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EchoBundleIT {
  private static final String PID = "dev.maverick.handler.echo";
  private static final String BSN = "dev.maverick.handler.echo";
  private static final String ECHO = "(&(handler.name=echo)(handler.kind=echo))";
  private static final Duration WAIT = Await.DEFAULT_TIMEOUT;

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject MetaTypeService metaType;

  @Configuration
  public Option[] config() {
    return options(platform(), jackson(), bundleOf("core"), bundleOf("echo"), bundleOf("network"),
        bundleOf("fixture-handler"));
  }

  @After
  public void deleteConfigurations() throws Exception {
    org.osgi.service.cm.Configuration[] left = configAdmin.listConfigurations(
        "(|(service.pid=" + PID + ")(service.factoryPid=" + PID + ")(service.factoryPid=dev.maverick.handler.network))");
    if (left != null) {
      for (org.osgi.service.cm.Configuration configuration : left) {
        configuration.delete();
      }
    }
    Await.until("the default echo handler with its defaults", () -> {
      Handler<Object, Object> echo = echo();
      return echo != null && echo.config().maxQueueSize() == 128 && echo.config().expectedTypes().isEmpty()
          && !echo.config().disableThread();
    });
  }

  @Test
  public void withoutConfigurationOneEchoHandlerRunsWithTheDefaults() throws Exception {
    Handler<Object, Object> echo = Await.service(context, Handler.class, ECHO);
    assertEquals(Map.of("echo", "hello", "meta", Map.of("tag", 1)), echo.generate("hello", Map.of("tag", 1)));
    assertTrue(echo.feed("world"));
    assertEquals(Optional.of(Map.of("echo", "world", "meta", Map.of())), echo.getResult(WAIT));
    assertEquals(128, echo.config().maxQueueSize());
    assertEquals(0L, echo.stats().details().get("delay_ms"));
    assertEquals(PID, reference(ECHO).getProperty("handler.pid"));

    HandlerKind kind = Await.service(context, HandlerKind.class, "(handler.kind=echo)");
    assertEquals(PID, kind.pid());
    assertFalse(kind.factoryOnly());

    Bundle bundle = Osgi.bundle(context, BSN);
    MetaTypeInformation information = metaType.getMetaTypeInformation(bundle);
    assertTrue(Arrays.asList(information.getPids()).contains(PID));
    ObjectClassDefinition ocd = information.getObjectClassDefinition(PID, null);
    List<String> keys = new ArrayList<>();
    for (AttributeDefinition attribute : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
      keys.add(attribute.getID());
      if (attribute.getID().equals("delay_ms")) {
        assertEquals(List.of("0"), Arrays.asList(attribute.getDefaultValue()));
      }
    }
    assertTrue(keys.toString(), keys.containsAll(List.of("name", "delay_ms", "max_queue_size", "overflow_policy",
        "worker_threads", "shutdown_timeout", "expected_type")));
    assertTrue("the echo bundle exports nothing",
        bundle.adapt(BundleWiring.class).getCapabilities("osgi.wiring.package").isEmpty());
  }

  @Test
  public void aConfigAdminUpdateChangesTheLiveHandlerAndKeepsQueuedItems() throws Exception {
    Handler<Object, Object> echo = Await.service(context, Handler.class, ECHO);
    Object serviceId = reference(ECHO).getProperty(Constants.SERVICE_ID);
    HandlerStats before = echo.stats();
    org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration(PID, "?");
    configuration.update(properties("disable_thread", "true"));
    Await.until("threads disabled", () -> echo.config().disableThread() && echo.stats().workersAlive() == 0);
    for (int i = 0; i < 3; i++) {
      assertTrue(echo.feed("item-" + i));
    }
    assertEquals("nothing runs: all three wait", 3, echo.stats().inputQueueSize());

    configuration.update(properties("disable_thread", "true", "expected_type", "java.lang.String",
        "max_queue_size", "8", "delay_ms", "5"));
    // the core's keys apply first, the echo's own (delay_ms) last: wait for the last
    Await.until("the update applied", () -> !echo.config().expectedTypes().isEmpty()
        && Long.valueOf(5).equals(echo.stats().details().get("delay_ms")));
    assertSame("the same handler, reconfigured in place", echo, Await.service(context, Handler.class, ECHO));
    assertEquals(serviceId, reference(ECHO).getProperty(Constants.SERVICE_ID));
    assertEquals("the queued items are kept", 3, echo.stats().inputQueueSize());
    assertEquals(8, echo.stats().inputQueueCapacity());
    assertEquals(5L, echo.stats().details().get("delay_ms"));
    assertFalse("expected_type applies now", echo.feed(42));
    assertTrue(echo.feed("item-3"));

    // threads back on: what waited is processed at once, without another feed to start it
    configuration.update(properties("expected_type", "java.lang.String", "max_queue_size", "8", "delay_ms", "5"));
    List<Object> echoed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      echoed.add(((Map<?, ?>) echo.getResult(WAIT).orElseThrow()).get("echo"));
    }
    assertEquals(List.of("item-0", "item-1", "item-2", "item-3"), echoed);
    HandlerStats after = Bystanders.balanced(echo);
    assertEquals(4, after.processedCount() - before.processedCount());
    assertEquals(1, after.dropped(DropReason.INVALID) - before.dropped(DropReason.INVALID));
    assertEquals(before.droppedCount() + 1, after.droppedCount());
  }

  @Test
  public void aBadUpdateIsRejectedNamingThePidKeyValueAndRuleAndTheLastGoodConfigurationStays() throws Exception {
    Handler<Object, Object> echo = Await.service(context, Handler.class, ECHO);
    org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration(PID, "?");
    configuration.update(properties("max_queue_size", "16"));
    Await.until("max_queue_size=16", () -> echo.config().maxQueueSize() == 16);

    configuration.update(properties("max_queue_size", "4", "delay_ms", "-5"));
    Await.until("the error published", () -> reference(ECHO).getProperty("handler.config.error") != null);
    String error = (String) reference(ECHO).getProperty("handler.config.error");
    assertTrue(error, error.contains("configuration " + PID + ": invalid value for 'delay_ms': '-5'"));
    assertTrue(error, error.contains("allowed: an integer from 0 to 3600000"));
    assertEquals("nothing of the bad update applied", 16, echo.config().maxQueueSize());
    assertEquals(Map.of("echo", "still", "meta", Map.of()), echo.generate("still"));
    assertNotEquals(HandlerState.CLOSED, echo.state());

    configuration.update(properties("max_queue_size", "32"));
    Await.until("the good update applied and the error cleared", () -> echo.config().maxQueueSize() == 32
        && reference(ECHO).getProperty("handler.config.error") == null);
    assertSame(echo, Await.service(context, Handler.class, ECHO));
  }

  @Test
  public void factoryInstancesLiveSideBySide() throws Exception {
    org.osgi.service.cm.Configuration a = configAdmin.getFactoryConfiguration(PID, "a", "?");
    a.update(properties("name", "echo-a", "expected_type", "java.lang.String"));
    org.osgi.service.cm.Configuration b = configAdmin.getFactoryConfiguration(PID, "b", "?");
    b.update(properties("name", "echo-b", "max_queue_size", "3", "delay_ms", "1"));
    Handler<Object, Object> echoA = Await.service(context, Handler.class, "(handler.name=echo-a)");
    Handler<Object, Object> echoB = Await.service(context, Handler.class, "(handler.name=echo-b)");

    assertEquals(Map.of("echo", "a", "meta", Map.of()), echoA.generate("a"));
    assertThrows(InvalidItemException.class, () -> echoA.generate(1));
    assertEquals(Map.of("echo", 1, "meta", Map.of()), echoB.generate(1));
    assertEquals(128, echoA.stats().inputQueueCapacity());
    assertEquals(3, echoB.stats().inputQueueCapacity());
    assertEquals("echo", reference("(handler.name=echo-a)").getProperty("handler.kind"));
    assertEquals(PID + "~a", reference("(handler.name=echo-a)").getProperty("handler.pid"));
    assertEquals(PID + "~b", reference("(handler.name=echo-b)").getProperty("handler.pid"));
    // DS: factory configurations of the component's PID replace its unconfigured instance (Felix SCR
    // reconfigures that instance with the first of them, so the handler called echo became echo-a)
    Await.noService(context, Handler.class, ECHO);

    a.delete();
    Await.noService(context, Handler.class, "(handler.name=echo-a)");
    Await.until("echoA closed", () -> echoA.state() == HandlerState.CLOSED); // the service goes first
    assertEquals("echo-b is untouched", Map.of("echo", "b", "meta", Map.of()), echoB.generate("b"));
    b.delete();
    Await.noService(context, Handler.class, "(handler.name=echo-b)");
    assertNotNull("the unconfigured echo handler is back", Await.service(context, Handler.class, ECHO));
  }

  @Test
  public void stoppingUpdatingAndUninstallingTheBundleLeavesTheOtherHandlersRunning() throws Exception {
    try (JsonServer server = JsonServer.start()) {
      org.osgi.service.cm.Configuration network = configAdmin.getFactoryConfiguration(
          "dev.maverick.handler.network", "bystander", "?");
      network.update(properties("name", "net-bystander", "host", "127.0.0.1", "port", String.valueOf(server.port())));
      Handler<Object, Object> net = Await.service(context, Handler.class, "(handler.name=net-bystander)");
      Handler<Object, Object> upper = Await.service(context, Handler.class, "(handler.name=upper)");
      assertEquals(200, ((Map<?, ?>) net.generate("ping")).get("status"));
      assertEquals("A", upper.generate("a"));
      assertTrue(upper.feed("b"));
      assertEquals(Optional.of("B"), upper.getResult(WAIT));
      List<String> others = List.of("(handler.name=net-bystander)", "(handler.name=upper)");
      Bystanders bystanders = Bystanders.watch(context, others);

      Handler<Object, Object> echo = Await.service(context, Handler.class, ECHO);
      assertTrue(echo.feed("queued before stop"));
      Bundle bundle = Osgi.bundle(context, BSN);
      bundle.stop();
      Await.noService(context, Handler.class, ECHO);
      Handler<Object, Object> stopped = echo;
      Await.until("the stopped echo closed", () -> stopped.state() == HandlerState.CLOSED);
      assertEquals("what was not taken is handed over, as an item or a result", 1,
          stopped.stats().handedOffCount() + stopped.stats().resultsHandedOff());
      bystanders.assertUndisturbed("echo stopped");
      bundle.start();
      echo = freshEcho(echo);
      assertEquals("the restarted echo took over the queued work", "queued before stop",
          ((Map<?, ?>) echo.getResult(WAIT).orElseThrow()).get("echo"));
      assertTrue(stopped.stats().isBalanced());
      assertTrue(echo.stats().isBalanced());
      bystanders.assertUndisturbed("echo started again");

      bundle.update();
      echo = freshEcho(echo);
      bystanders.assertUndisturbed("echo updated");

      String location = bundle.getLocation();
      bundle.uninstall();
      Await.noService(context, Handler.class, ECHO);
      assertNull("the bundle is gone", Osgi.bundleOrNull(context, BSN));
      bystanders.assertUndisturbed("echo uninstalled");
      context.installBundle(location).start();
      freshEcho(echo);
      bystanders.assertUndisturbed("echo installed again");

      assertEquals("C", upper.generate("c"));
      assertEquals(200, ((Map<?, ?>) net.generate("pong")).get("status"));
    }
  }

  /** Waits for an echo service other than {@code previous} and checks that it works. */
  private Handler<Object, Object> freshEcho(Handler<Object, Object> previous) {
    Await.until("a new echo handler", () -> {
      Handler<Object, Object> now = echo();
      return now != null && now != previous;
    });
    Handler<Object, Object> echo = echo();
    assertNotEquals(HandlerState.CLOSED, echo.state());
    assertEquals(Map.of("echo", "again", "meta", Map.of()), echo.generate("again"));
    return echo;
  }

  @SuppressWarnings("unchecked")
  private Handler<Object, Object> echo() {
    ServiceReference<?> reference = reference(ECHO);
    return reference == null ? null : (Handler<Object, Object>) context.getService(reference);
  }

  private ServiceReference<?> reference(String filter) {
    return Osgi.reference(context, Handler.class, filter);
  }
}
