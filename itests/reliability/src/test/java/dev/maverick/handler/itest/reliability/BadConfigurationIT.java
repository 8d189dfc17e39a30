package dev.maverick.handler.itest.reliability;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.jackson;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.JsonServer;
import dev.maverick.handler.itest.Osgi;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Reliability suite 5: for every key of every handler kind, as its metatype lists them, a value
 * of the wrong type, an out-of-range value and garbage are each rejected with an error naming the
 * key; and a running handler given each of them through Config Admin keeps serving with its last
 * good configuration.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BadConfigurationIT {
  private static final String GARBAGE = "\u0000\u0007 g@rbage \u2603";

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject MetaTypeService metaType;

  @Configuration
  public Option[] config() {
    return options(platform(), jackson(), bundleOf("core"), bundleOf("echo"), bundleOf("network"),
        mavenBundle("net.java.dev.jna", "jna").versionAsInProject(), bundleOf("stt"));
  }

  /** The bad values for one attribute, by its metatype type; null where the type has no such thing. */
  private static List<Object> badValues(AttributeDefinition attribute) {
    List<Object> values = new ArrayList<>();
    switch (attribute.getType()) {
      case AttributeDefinition.INTEGER, AttributeDefinition.LONG -> {
        values.add(Boolean.TRUE);      // wrong type
        values.add("-1");              // out of range (every count, size and port here is >= 0)
        values.add("99999999999999");  // out of range for an int
        values.add(GARBAGE);
      }
      case AttributeDefinition.DOUBLE -> {
        values.add(Boolean.TRUE);
        values.add("-1");
        values.add("NaN");
        values.add(GARBAGE);
      }
      case AttributeDefinition.BOOLEAN -> {
        values.add(42);
        values.add(GARBAGE);
      }
      default -> { // strings and passwords
        values.add(42);
        if (attribute.getOptionValues() != null && attribute.getOptionValues().length > 0) {
          values.add("not-one-of-the-options");
        }
        values.add(GARBAGE);
      }
    }
    return values;
  }

  @Test
  public void everyKeyOfEveryKindRejectsWrongTypesOutOfRangeValuesAndGarbage() throws Exception {
    List<String> misses = new ArrayList<>();
    int checked = 0;
    for (String kindName : List.of("echo", "network", "stt")) {
      HandlerKind kind = Await.service(context, HandlerKind.class, "(handler.kind=" + kindName + ")");
      ObjectClassDefinition ocd = ocd(kind);
      for (AttributeDefinition attribute : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
        for (Object bad : badValues(attribute)) {
          Map<String, Object> properties = minimalValid(kindName);
          properties.put(attribute.getID(), bad);
          checked++;
          try {
            kind.validate(properties);
            misses.add(kindName + "." + attribute.getID() + "=" + printable(bad) + " was accepted");
          } catch (InvalidConfigurationException e) {
            if (!attribute.getID().equals(e.key()) || !e.getMessage().contains(attribute.getID())) {
              misses.add(kindName + "." + attribute.getID() + "=" + printable(bad) + " blamed '" + e.key() + "': "
                  + e.getMessage());
            }
          }
        }
      }
    }
    System.out.printf("bad configuration: %d bad values over every key of 3 kinds, %d not rejected as expected%n",
        checked, misses.size());
    assertTrue(String.join("\n", misses), misses.isEmpty());
  }

  @Test
  public void aRunningHandlerKeepsServingWithItsLastGoodConfigurationThroughEveryBadValue() throws Exception {
    try (JsonServer server = JsonServer.start()) {
      Map<String, String> filters = new LinkedHashMap<>();
      filters.put("echo", "(handler.name=echo)");
      filters.put("network", "(handler.name=faces)");
      org.osgi.service.cm.Configuration faces = configAdmin.getFactoryConfiguration("dev.maverick.handler.network", "faces", "?");
      faces.update(new Hashtable<>(Map.of("name", "faces", "host", "127.0.0.1", "port", String.valueOf(server.port()))));
      int applied = 0;
      for (Map.Entry<String, String> entry : filters.entrySet()) {
        String kindName = entry.getKey();
        Handler<Object, Object> handler = Await.service(context, Handler.class, entry.getValue());
        ServiceReference<?> reference = Osgi.reference(context, Handler.class, entry.getValue());
        String pid = (String) reference.getProperty("handler.pid");
        org.osgi.service.cm.Configuration configuration = configuration(pid);
        HandlerConfig good = handler.config();
        HandlerKind kind = Await.service(context, HandlerKind.class, "(handler.kind=" + kindName + ")");
        Dictionary<String, Object> lastGood = required(configuration, kindName);
        for (AttributeDefinition attribute : ocd(kind).getAttributeDefinitions(ObjectClassDefinition.ALL)) {
          for (Object bad : badValues(attribute)) {
            Dictionary<String, Object> properties = new Hashtable<>();
            for (String key : java.util.Collections.list(lastGood.keys())) {
              properties.put(key, lastGood.get(key));
            }
            properties.put(attribute.getID(), bad);
            configuration.update(properties);
            applied++;
            String expected = shownInError(attribute.getID(), bad);
            Await.until(kindName + "." + attribute.getID() + "=" + printable(bad) + " rejected on the service", () -> {
              ServiceReference<?> now = Osgi.reference(context, Handler.class, entry.getValue());
              Object error = now == null ? null : now.getProperty("handler.config.error");
              return error != null && error.toString().contains(expected) && error.toString().contains(pid);
            });
            assertEquals("last good configuration kept", good, handler.config());
            assertNotNull(kindName + " still serves", handler.generate(Map.of("k", 1)));
          }
        }
        assertTrue(handler.stats().toString(), handler.stats().isBalanced());
      }
      System.out.printf("bad configuration: %d bad values applied to 2 live handlers; all kept serving%n", applied);
      faces.delete();
    }
  }

  /** The keys without which the handler cannot run at all, from its good configuration. */
  private Dictionary<String, Object> required(org.osgi.service.cm.Configuration configuration, String kindName) {
    Dictionary<String, Object> current = configuration.getProperties();
    Hashtable<String, Object> properties = new Hashtable<>();
    if (current != null && kindName.equals("network")) {
      for (String key : List.of("name", "host", "port")) {
        properties.put(key, current.get(key));
      }
    }
    return properties;
  }

  private org.osgi.service.cm.Configuration configuration(String pid) throws Exception {
    org.osgi.service.cm.Configuration[] existing = configAdmin.listConfigurations("(service.pid=" + pid + ")");
    return existing != null ? existing[0] : configAdmin.getConfiguration(pid, "?");
  }

  private static Map<String, Object> minimalValid(String kindName) {
    Map<String, Object> properties = new HashMap<>();
    if (kindName.equals("network")) {
      properties.put("service.factoryPid", "dev.maverick.handler.network");
      properties.put("service.pid", "dev.maverick.handler.network~check");
      properties.put("name", "check");
      properties.put("host", "127.0.0.1");
    }
    return properties;
  }

  private ObjectClassDefinition ocd(HandlerKind kind) {
    for (Bundle bundle : context.getBundles()) {
      MetaTypeInformation information = metaType.getMetaTypeInformation(bundle);
      if (information == null) {
        continue;
      }
      for (String pid : concat(information.getPids(), information.getFactoryPids())) {
        if (pid.equals(kind.pid())) {
          return information.getObjectClassDefinition(pid, null);
        }
      }
    }
    fail("no metatype for " + kind.pid());
    return null;
  }

  private static List<String> concat(String[] first, String[] second) {
    List<String> all = new ArrayList<>();
    all.addAll(first == null ? List.of() : List.of(first));
    all.addAll(second == null ? List.of() : List.of(second));
    return all;
  }

  /** How the error names this key and value, so that each wait sees its own rejection, not the last one's. */
  private static String shownInError(String key, Object value) {
    if (HandlerConfig.isSecretKey(key)) {
      return "'" + key + "': " + HandlerConfig.MASK;
    }
    StringBuilder shown = new StringBuilder();
    String.valueOf(value).chars().forEach(c -> shown.append(
        Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return "'" + key + "': '" + shown + "' (" + value.getClass().getSimpleName() + ")";
  }

  private static String printable(Object value) {
    return value instanceof String text ? "\"" + text.replace("\u0000", "\\0").replace("\u0007", "\\a") + "\""
        : value + " (" + value.getClass().getSimpleName() + ")";
  }
}
