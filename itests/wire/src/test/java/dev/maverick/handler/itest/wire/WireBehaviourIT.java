package dev.maverick.handler.itest.wire;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static dev.maverick.handler.itest.wire.WiredGraphUnderLoadIT.configure;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.ResultsClaimedException;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.Osgi;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireLedger;
import dev.maverick.handler.wire.WireState;
import dev.maverick.handler.wire.WireValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.MetaTypeService;

/**
 * Wires in Felix: fan-out to two targets, a full target under {@code block} slowing the source
 * without a drop, the source's results refused to everyone else, and wires refused for a cycle,
 * a second reader or a typo, named in their errors.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WireBehaviourIT {
  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject WireValidator validator;
  @Inject MetaTypeService metaType;

  private final List<org.osgi.service.cm.Configuration> configurations = new ArrayList<>();

  @Configuration
  public Option[] config() {
    return options(platform(), bundleOf("core"), bundleOf("echo"), bundleOf("fixture-handler"), bundleOf("wire"));
  }

  @After
  public void deleteConfigurations() throws Exception {
    Collections.reverse(configurations);
    for (org.osgi.service.cm.Configuration configuration : configurations) {
      configuration.delete();
    }
    configurations.clear();
  }

  private org.osgi.service.cm.Configuration wire(String name, Object... keysAndValues) throws Exception {
    org.osgi.service.cm.Configuration configuration = configAdmin.getFactoryConfiguration(Wire.FACTORY_PID, name, "?");
    configurations.add(configure(configuration, keysAndValues));
    return configuration;
  }

  private Wire awaitWire(String name, WireState state) {
    Wire wire = Await.service(context, Wire.class, "(wire.name=" + name + ")");
    Await.until("wire " + name + " " + state, () -> wire.state() == state);
    return wire;
  }

  @SuppressWarnings("unchecked")
  private Handler<Object, Object> handler(String name) {
    return Await.service(context, Handler.class, "(handler.name=" + name + ")");
  }

  @Test
  public void eachTargetGetsEveryResultAndAFullOneSlowsTheSourceWithoutADrop() throws Exception {
    configurations.add(configure(configAdmin.getConfiguration("dev.maverick.handler.itest.upper", "?"),
        "max_queue_size", "8", "result_queue_size", "8", "overflow_policy", "block", "offer_timeout", "0"));
    configurations.add(configure(configAdmin.getFactoryConfiguration("dev.maverick.handler.itest.lower", "lower", "?"),
        "name", "lower", "max_queue_size", "64", "result_queue_size", "1000"));
    org.osgi.service.cm.Configuration echoConfig = configAdmin.getConfiguration("dev.maverick.handler.echo", "?");
    configurations.add(configure(echoConfig, "max_queue_size", "4", "result_queue_size", "1000",
        "overflow_policy", "block", "offer_timeout", "0", "delay_ms", "50"));
    Handler<Object, Object> upper = handler("upper");
    Await.until("upper configured", () -> upper.config().maxQueueSize() == 8);
    Handler<Object, Object> echo = handler("echo");
    Await.until("echo slowed", () -> echo.config().maxQueueSize() == 4);
    Handler<Object, Object> lower = handler("lower");
    wire("fan", "name", "fan", "from", "upper", "to", new String[] {"lower", "echo"}, "buffer_size", "4");
    Wire fan = awaitWire("fan", WireState.RUNNING);

    try {
      upper.getResult(Duration.ZERO);
      fail("the wire holds upper's results");
    } catch (ResultsClaimedException expected) {
      assertEquals("the results of 'upper' are read by wire 'fan'", expected.getMessage());
    }

    int count = 300;
    List<Object> fed = Collections.synchronizedList(new ArrayList<>());
    Thread feeder = new Thread(() -> {
      for (int i = 0; i < count; i++) {
        String item = "item-" + i;
        if (!upper.feed(item)) {
          throw new AssertionError("refused under block: " + item);
        }
        fed.add(item);
      }
    }, "fan-feeder");
    feeder.start();
    // echo takes 50 ms an item: its queue, its buffer in the wire, upper's results and upper's input fill up
    Await.until("the feeder held back by upper's full input queue", () -> fan.ledger().blockedFor().toNanos() > 0
        && upper.stats().inputQueueSize() == 8 && upper.stats().resultQueueSize() == 8);
    assertTrue("the feeder is held back", feeder.isAlive());
    Await.until("lower got what fit in echo's buffer and queue", () -> fan.ledger().targets().get("lower").delivered() >= 8);
    assertNoDrop(upper, fan.ledger(), echo, lower);

    configure(echoConfig, "max_queue_size", "4", "result_queue_size", "1000", "overflow_policy", "block",
        "offer_timeout", "0", "delay_ms", "0");
    feeder.join(60_000);
    List<Object> fromEcho = new ArrayList<>();
    List<Object> fromLower = new ArrayList<>();
    Await.until("every result at both targets", Duration.ofSeconds(60), () -> {
      echo.getResult(Duration.ofMillis(1)).ifPresent(result -> fromEcho.add(((Map<?, ?>) result).get("echo")));
      lower.getResult(Duration.ofMillis(1)).ifPresent(fromLower::add);
      return fromEcho.size() == count && fromLower.size() == count;
    });
    List<Object> upperCased = fed.stream().map(item -> (Object) ((String) item).toUpperCase()).toList();
    assertEquals("echo got every result in order", upperCased, fromEcho);
    assertEquals("lower too", fed, fromLower);
    WireLedger ledger = fan.ledger();
    assertEquals(count, ledger.taken());
    assertEquals(2L * count, ledger.delivered());
    assertTrue(ledger.toString(), ledger.isBalanced());
    assertNoDrop(upper, ledger, echo, lower);
  }

  private static void assertNoDrop(Handler<?, ?> upper, WireLedger wire, Handler<?, ?> echo, Handler<?, ?> lower) {
    for (Handler<?, ?> handler : List.of(upper, echo, lower)) {
      HandlerStats stats = handler.stats();
      assertEquals(handler.name() + " dropped: " + stats, 0, stats.droppedCount());
    }
    assertEquals("the wire dropped: " + wire, 0, wire.droppedCount());
  }

  @Test
  public void aWireThatWouldCloseACycleIsRefusedNamingTheCycle() throws Exception {
    configurations.add(configure(configAdmin.getFactoryConfiguration("dev.maverick.handler.itest.lower", "lower", "?"),
        "name", "lower"));
    handler("lower");
    wire("there", "name", "there", "from", "upper", "to", "lower");
    awaitWire("there", WireState.RUNNING);
    wire("back", "name", "back", "from", "lower", "to", "upper");
    Wire back = awaitWire("back", WireState.INVALID);
    assertTrue(back.error().orElseThrow(), back.error().orElseThrow().contains(
        "invalid value for 'to'") && back.error().orElseThrow().contains("back: lower -> upper -> lower (through wire 'there')"));
    assertTrue(back.warnings().get(0), back.warnings().get(0).startsWith("configuration refused: "));
  }

  @Test
  public void aSecondWireFromOneSourceIsRefusedNamingTheFirst() throws Exception {
    wire("first", "name", "first", "from", "upper", "to", "echo");
    awaitWire("first", WireState.RUNNING);
    wire("second", "name", "second", "from", "upper", "to", "echo");
    Wire second = awaitWire("second", WireState.INVALID);
    assertTrue(second.error().orElseThrow(), second.error().orElseThrow()
        .contains("the results of 'upper' are read by wire 'first'; two wires from one source are one wire with two targets"));

    // the wire in the way goes: the refused one starts by itself
    configurations.remove(0).delete();
    Await.until("wire second running once first is gone", () -> {
      Wire now = Await.service(context, Wire.class, "(wire.name=second)");
      return now.state() == WireState.RUNNING;
    });
    assertEquals("wire 'second'", handler("upper").resultReader().orElse(""));
  }

  @Test
  public void aTypoIsAnErrorThatNamesTheNearestKey() throws Exception {
    wire("typo", "name", "typo", "from", "upper", "to", "echo", "bufer_size", "8");
    Wire typo = awaitWire("typo", WireState.INVALID);
    assertTrue(typo.error().orElseThrow(), typo.error().orElseThrow().contains("did you mean 'buffer_size'?"));
    assertEquals("typo", typo.name());
  }

  @Test
  public void theValidatorRefusesUnknownHandlersForARequestButNotForAFile() throws Exception {
    Map<String, Object> properties = Map.of("name", "later", "from", "upper", "to", "nowhere");
    assertEquals("nowhere", validator.validate(properties, false).to().get(0));
    try {
      validator.validate(properties, true);
      fail("an unknown handler must be refused for a request");
    } catch (InvalidConfigurationException expected) {
      assertEquals("to", expected.key());
      assertTrue(expected.getMessage(), expected.getMessage().contains("there is no handler 'nowhere'"));
    }
    wire("later", "name", "later", "from", "upper", "to", "nowhere");
    Wire later = awaitWire("later", WireState.WAITING);
    assertTrue(later.warnings().toString(), later.warnings().contains("waiting for handler 'nowhere' (a target)"));
  }

  @Test
  public void theWireBundlePublishesItsKeysThroughMetatype() {
    org.osgi.service.metatype.ObjectClassDefinition ocd = metaType
        .getMetaTypeInformation(Osgi.bundle(context, "dev.maverick.handler.wire"))
        .getObjectClassDefinition(Wire.FACTORY_PID, null);
    List<String> keys = new ArrayList<>();
    for (org.osgi.service.metatype.AttributeDefinition attribute
        : ocd.getAttributeDefinitions(org.osgi.service.metatype.ObjectClassDefinition.ALL)) {
      keys.add(attribute.getID());
    }
    assertEquals(dev.maverick.handler.wire.WireConfig.KEYS, keys);
  }
}
