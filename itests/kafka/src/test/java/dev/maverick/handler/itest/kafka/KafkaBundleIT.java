package dev.maverick.handler.itest.kafka;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.jackson;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static dev.maverick.handler.itest.Osgi.properties;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.Osgi;
import dev.maverick.handler.testing.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;

/**
 * The Kafka bundle in Felix against a real broker: the module's one broker, started on the driver
 * side by {@link KafkaBroker#shared()} when Pax Exam asks for the configuration, stopped when the
 * test JVM exits; the test that needs the broker gone stops and restarts it from inside the
 * container, through its directory.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KafkaBundleIT {
  private static final String BSN = "dev.maverick.handler.kafka";
  private static final String SINK_PID = "dev.maverick.handler.kafka_sink";
  private static final String SOURCE_PID = "dev.maverick.handler.kafka_source";
  private static final String SOURCE_COMPONENT = "dev.maverick.handler.kafka.internal.KafkaSourceComponent";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject MetaTypeService metaType;
  @Inject ServiceComponentRuntime scr;

  @Configuration
  public Option[] config() {
    KafkaBroker broker = KafkaBroker.shared(); // on the driver side, once per test JVM
    return options(platform(), jackson(), bundleOf("core"), bundleOf("kafka"), bundleOf("itest-kafka-support"),
        systemProperty(KafkaBroker.SHARED_BOOTSTRAP_PROPERTY).value(broker.bootstrapServers()),
        systemProperty(KafkaBroker.SHARED_DIRECTORY_PROPERTY).value(broker.directory().toString()));
  }

  @After
  public void deleteConfigurations() throws Exception {
    org.osgi.service.cm.Configuration[] left = configAdmin.listConfigurations(
        "(|(service.factoryPid=" + SINK_PID + ")(service.factoryPid=" + SOURCE_PID + "))");
    if (left != null) {
      for (org.osgi.service.cm.Configuration configuration : left) {
        configuration.delete();
      }
    }
    Await.noService(context, Handler.class, "(|(handler.kind=kafka_sink)(handler.kind=kafka_source))");
  }

  @Test
  public void theBundleEmbedsKafkaExportsNothingAndDescribesBothKinds() {
    Bundle bundle = Osgi.bundle(context, BSN);
    assertEquals(Bundle.ACTIVE, bundle.getState());
    BundleWiring wiring = bundle.adapt(BundleWiring.class);
    assertTrue("the kafka bundle exports nothing", wiring.getCapabilities("osgi.wiring.package").isEmpty());
    assertEquals(SINK_PID, Await.service(context, HandlerKind.class, "(handler.kind=kafka_sink)").pid());
    assertEquals(SOURCE_PID, Await.service(context, HandlerKind.class, "(handler.kind=kafka_source)").pid());
    MetaTypeInformation information = metaType.getMetaTypeInformation(bundle);
    assertTrue(Arrays.asList(information.getFactoryPids()).containsAll(List.of(SINK_PID, SOURCE_PID)));
  }

  @Test
  public void aSourceWithoutItsGroupIsRejectedNamingTheKey() throws Exception {
    org.osgi.service.cm.Configuration bad = configAdmin.getFactoryConfiguration(SOURCE_PID, "nogroup", "?");
    bad.update(properties("name", "nogroup", "bootstrap_servers", bootstrap(), "topic", "t"));
    String failure = Await.value("the failed activation", () -> failure(bad.getPid()));
    assertTrue(failure, failure.contains("configuration " + bad.getPid() + ": missing required key 'group'"));
  }

  @Test
  public void itemsGoThroughASinkATopicAndASourceInOrderPerKey() throws Exception {
    String topic = "round-trip";
    // the feeding loop waits for room in the sink's queue rather than dropping
    Handler<Object, Object> sink = sink("to-work", topic, "key", "robot", "overflow_policy", "block", "offer_timeout", 0);
    Handler<Object, Object> source = source("from-work", topic, "workers");
    int robots = 5;
    int each = 100;
    for (int seq = 0; seq < each; seq++) {
      for (int robot = 0; robot < robots; robot++) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("robot", "r" + robot);
        item.put("seq", seq);
        assertTrue(sink.feed(item));
      }
    }
    Map<Object, Integer> next = new HashMap<>();
    for (int i = 0; i < robots * each; i++) {
      Map<?, ?> result = (Map<?, ?>) source.getResult(WAIT).orElseThrow(() -> new AssertionError("a result"));
      int expected = next.getOrDefault(result.get("robot"), 0);
      assertEquals("the order of " + result.get("robot"), expected, result.get("seq"));
      next.put(result.get("robot"), expected + 1);
    }
    assertEquals(robots, next.size());
    Await.until("every item acknowledged", () -> sink.stats().processedCount() == robots * each);
    Await.until("every record settled", () -> ((Number) source.stats().details().get("settled")).longValue()
        == robots * each && ((Number) source.stats().details().get("in_flight")).longValue() == 0);
    assertEquals(0L, sink.stats().errorCount());
    assertEquals(0L, source.stats().droppedCount());
    assertEquals(0L, ((Number) source.stats().details().get("redelivered")).longValue());
  }

  @Test
  public void aSourceWhoseResultsAreNotTakenPausesAndThenDeliversEveryRecordOnce() throws Exception {
    String topic = "backpressure";
    Handler<Object, Object> sink = sink("to-slow", topic, "overflow_policy", "block", "offer_timeout", 0);
    Handler<Object, Object> source = source("from-slow", topic, "slow", "max_in_flight", 10,
        "client_properties", "max.poll.records=5");
    int count = 200;
    for (int i = 0; i < count; i++) {
      assertTrue(sink.feed(Map.of("n", i)));
    }
    Await.until("paused with ten results in flight", () -> "paused".equals(source.stats().details().get("state"))
        && source.stats().resultQueueSize() == 10);
    assertEquals(0L, source.stats().droppedCount());

    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      Map<?, ?> result = (Map<?, ?>) source.getResult(WAIT).orElseThrow(() -> new AssertionError("a result"));
      assertTrue("once: " + result, seen.add(result.get("n")));
    }
    assertEquals(count, seen.size());
    HandlerStats stats = source.stats();
    assertEquals(0L, stats.droppedCount());
    // it paused at least once (waited for above); how often depends on how fast the sink produces
    assertTrue(stats.details().toString(), ((Number) stats.details().get("pauses")).longValue() >= 1);
    Await.until("running again", () -> "running".equals(source.stats().details().get("state")));
  }

  @Test
  public void aBrokerThatGoesAwayIsReportedAndNothingIsLostWhenItComesBack() throws Exception {
    String topic = "outage";
    Handler<Object, Object> sink = sink("to-outage", topic);
    Handler<Object, Object> source = source("from-outage", topic, "outage");
    assertTrue(sink.feed("before"));
    assertEquals("a string item comes back a string", "before", source.getResult(WAIT).orElseThrow());

    KafkaBroker broker = KafkaBroker.attachShared();
    broker.stop();
    try {
      Await.until("the source reports it", () -> warned(source, "broker unreachable"));
      assertTrue(sink.feed("during"));
      Await.until("the sink reports it", () -> warned(sink, "broker unreachable"));
      assertEquals("nothing acknowledged while the broker is away", 1L, sink.stats().processedCount());
    } finally {
      broker.start();
    }
    Optional<Object> during = source.getResult(Duration.ofSeconds(60));
    assertTrue("the item fed during the outage arrives", during.isPresent());
    assertEquals("during", during.get());
    Await.until("the sink acknowledged it", () -> sink.stats().processedCount() == 2);
    Await.until("no warning left", () -> source.stats().details().get("warnings").equals(List.of())
        && sink.stats().details().get("warnings").equals(List.of()));
    assertEquals(0L, sink.stats().errorCount());
  }

  private static boolean warned(Handler<?, ?> handler, String what) {
    Object warnings = handler.stats().details().get("warnings");
    return warnings instanceof List<?> list && list.stream().anyMatch(w -> String.valueOf(w).contains(what));
  }

  /** A sink at the end of the graph: nobody reads its results, so it keeps the latest ones. */
  private Handler<Object, Object> sink(String name, String topic, Object... more) throws Exception {
    List<Object> settings = new ArrayList<>(List.of("result_overflow_policy", "drop_oldest"));
    settings.addAll(Arrays.asList(more));
    return handler(SINK_PID, name, topic, settings.toArray());
  }

  private Handler<Object, Object> source(String name, String topic, String group, Object... more) throws Exception {
    List<Object> settings = new ArrayList<>(List.of("group", group));
    settings.addAll(Arrays.asList(more));
    return handler(SOURCE_PID, name, topic, settings.toArray());
  }

  @SuppressWarnings("unchecked")
  private Handler<Object, Object> handler(String pid, String name, String topic, Object... more) throws Exception {
    List<Object> settings = new ArrayList<>(List.of("name", name, "bootstrap_servers", bootstrap(), "topic", topic));
    settings.addAll(Arrays.asList(more));
    configAdmin.getFactoryConfiguration(pid, name, "?").update(properties(settings.toArray()));
    Handler<Object, Object> handler = Await.service(context, Handler.class, "(handler.name=" + name + ")");
    assertNotNull(handler);
    return handler;
  }

  private static String bootstrap() {
    return System.getProperty(KafkaBroker.SHARED_BOOTSTRAP_PROPERTY);
  }

  private String failure(String configurationPid) {
    for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(Osgi.bundle(context, BSN))) {
      if (!description.name.equals(SOURCE_COMPONENT)) {
        continue;
      }
      for (ComponentConfigurationDTO dto : scr.getComponentConfigurationDTOs(description)) {
        if (dto.state == ComponentConfigurationDTO.FAILED_ACTIVATION
            && configurationPid.equals(dto.properties.get("service.pid")) && dto.failure != null) {
          return dto.failure;
        }
      }
    }
    return null;
  }
}
