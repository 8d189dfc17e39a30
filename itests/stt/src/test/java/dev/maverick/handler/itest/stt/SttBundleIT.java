package dev.maverick.handler.itest.stt;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.jackson;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.itest.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The speech-to-text bundle in Felix, with the model bundle, JNA, and the fixture handler as the
 * "other handler" that must not notice anything.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SttBundleIT {
  private static final String PID = "dev.maverick.handler.stt";
  private static final String STT_BSN = "dev.maverick.handler.stt";
  private static final String DEFAULT = "(&(handler.kind=stt)(handler.name=stt))";
  private static final String UPPER = "(handler.name=upper)";
  private static final Duration RESULT_WAIT = Duration.ofSeconds(60);
  private static final String GRAMMAR = "[\"turn on the kitchen light\", \"one two three four five\", "
      + "\"what is the weather like today\", \"seven eight nine zero six\", \"hello world\", \"[unk]\"]";

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject MetaTypeService metaType;

  @Configuration
  public Option[] config() {
    return options(platform(),
        bundleOf("core"),
        bundleOf("fixture-handler"),
        mavenBundle("net.java.dev.jna", "jna").versionAsInProject(),
        jackson(),
        bundleOf("stt-model"),
        bundleOf("stt"),
        systemProperty("maverick.stt.fixtures").value(System.getProperty("maverick.stt.fixtures")));
  }

  @Test
  public void registeredWithItsDefaultConfigurationAndDescribedByMetatype() {
    Handler<Object, Object> stt = handler(DEFAULT);
    assertEquals("stt", stt.name());
    assertEquals(HandlerState.RUNNING, stt.state());
    Map<String, Object> details = stt.stats().details();
    assertEquals("none", details.get("source"));
    assertEquals("dictation", details.get("mode"));
    assertNotNull(Await.service(context, HandlerKind.class, "(handler.kind=stt)"));

    MetaTypeInformation information = metaType.getMetaTypeInformation(bundle(STT_BSN));
    assertTrue(Arrays.asList(information.getFactoryPids()).contains(PID));
    ObjectClassDefinition ocd = information.getObjectClassDefinition(PID, null);
    List<String> keys = new ArrayList<>();
    for (AttributeDefinition definition : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
      keys.add(definition.getID());
    }
    assertTrue(keys.toString(), keys.containsAll(List.of("name", "max_queue_size", "overflow_policy", "source",
        "input_device", "model_path", "grammar", "partial_results", "sample_rate", "max_audio_seconds",
        "microphone_retry")));
  }

  @Test
  public void transcribesAWavWithTheNativeRecognizerInsideTheFramework() throws Exception {
    Handler<Object, Object> stt = handler(DEFAULT);
    // dictation: a word error rate bound, never exact strings
    Map<String, Object> result = result(stt.generate(audio("weather.wav")));
    assertEquals("audio", result.get("type"));
    assertEquals(Boolean.FALSE, result.get("partial"));
    String text = (String) result.get("data");
    int errors = wordErrors("what is the weather like today", text);
    assertTrue("dictation gave '" + text + "'", errors <= 2);
    // bytes through the worker
    assertTrue(stt.feed(Files.readAllBytes(fixture("one-to-five.wav"))));
    Map<String, Object> queued = result(stt.getResult(RESULT_WAIT).orElseThrow());
    assertTrue("dictation gave " + queued, wordErrors("one two three four five", (String) queued.get("data")) <= 1);
    // the model came from the model bundle, copied to the STT bundle's data area
    Map<String, Object> details = stt.stats().details();
    assertTrue(details.toString(), ((String) details.get("model")).contains("vosk-model-small-en-us-0.15 from "
        + "dev.maverick.handler.stt-model"));
    assertEquals("loaded", details.get("model_state"));
    // bad input is refused and counted, inside the framework too
    try {
      stt.generate("not audio at all".getBytes());
      throw new AssertionError("non-audio bytes were accepted");
    } catch (InvalidItemException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains("not audio"));
    }
    // without audio_dirs (the default) no fed path is read, whether or not it exists
    long invalidBefore = stt.stats().dropped(dev.maverick.handler.DropReason.INVALID);
    assertFalse(stt.feed(fixture("weather.wav")));
    assertFalse(stt.feed(fixture("weather.wav").resolveSibling("no-such.wav")));
    assertEquals(invalidBefore + 2, stt.stats().dropped(dev.maverick.handler.DropReason.INVALID));
    Await.until("quiescent", () -> stt.stats().inFlight() == 0);
    HandlerStats stats = stt.stats();
    assertTrue(stats.toString(), stats.isBalanced());
  }

  @Test
  public void aConfigAdminUpdateChangesTheLiveHandlerAndKeepsItsQueuedItems() throws Exception {
    Handler<Object, Object> stt = handler(DEFAULT);
    long processedBefore = stt.stats().processedCount();
    List<String> slugs = List.of("kitchen-light", "one-to-five", "weather", "seven-to-six", "hello-world",
        "kitchen-light");
    for (String slug : slugs) {
      assertTrue(stt.feed(audio(slug + ".wav")));
    }
    int queuedAtUpdate = stt.stats().inputQueueSize();
    org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration(PID, "?");
    try {
      Dictionary<String, Object> properties = new Hashtable<>();
      properties.put("grammar", GRAMMAR);
      properties.put("max_queue_size", 64);
      configuration.update(properties);
      Await.until("grammar mode applied", () -> String.valueOf(stt.stats().details().get("mode")).startsWith("grammar"));
      assertSame("the same handler, changed in place", stt, handler(DEFAULT));
      assertEquals(64, stt.stats().inputQueueCapacity());
      assertTrue("items were queued when the change came (" + queuedAtUpdate + ")", queuedAtUpdate > 0);
      for (int i = 0; i < slugs.size(); i++) {
        assertTrue("result " + i, stt.getResult(RESULT_WAIT).isPresent());
      }
      Await.until("quiescent", () -> stt.stats().inFlight() == 0);
      HandlerStats stats = stt.stats();
      assertEquals("every queued item was transcribed", processedBefore + slugs.size(), stats.processedCount());
      assertEquals(0, stats.droppedCount());
      assertTrue(stats.toString(), stats.isBalanced());
      // grammar mode is exact
      assertEquals("turn on the kitchen light", result(stt.generate(audio("kitchen-light.wav"))).get("data"));

      // a bad value is refused with the PID, the key, the value and what is allowed; the last good one stays
      properties.put("grammar", "[\"unclosed");
      configuration.update(properties);
      String error = Await.value("the configuration error on the service", () -> references(DEFAULT).stream()
          .map(reference -> (String) reference.getProperty("handler.config.error")).filter(Objects::nonNull)
          .findFirst().orElse(null));
      assertTrue(error, error.contains("configuration " + PID) && error.contains("'grammar'")
          && error.contains("[\"unclosed") && error.contains("allowed: a list of phrases"));
      assertEquals(HandlerState.RUNNING, stt.state());
      assertTrue(String.valueOf(stt.stats().details().get("mode")).startsWith("grammar (6"));
      assertEquals("one two three four five", result(stt.generate(audio("one-to-five.wav"))).get("data"));
    } finally {
      configuration.delete();
    }
    Await.until("defaults restored", () -> "dictation".equals(stt.stats().details().get("mode")));
  }

  @Test
  public void twoFactoryInstancesLiveSideBySide() throws Exception {
    org.osgi.service.cm.Configuration kitchen = configAdmin.getFactoryConfiguration(PID, "kitchen", "?");
    org.osgi.service.cm.Configuration numbers = configAdmin.getFactoryConfiguration(PID, "numbers", "?");
    try {
      Dictionary<String, Object> first = new Hashtable<>();
      first.put("name", "kitchen");
      first.put("audio_dirs", new String[] {fixtures()});
      first.put("grammar", "[\"turn on the kitchen light\", \"turn off the kitchen light\", \"[unk]\"]");
      kitchen.update(first);
      Dictionary<String, Object> second = new Hashtable<>();
      second.put("name", "numbers");
      second.put("audio_dirs", "[\"" + fixtures() + "\"]"); // as a .cfg file writes a list
      second.put("grammar", new String[] {"one two three four five", "seven eight nine zero six", "[unk]"});
      numbers.update(second);
      Handler<Object, Object> a = handler("(handler.name=kitchen)");
      Handler<Object, Object> b = handler("(handler.name=numbers)");
      assertFalse(a == b);
      // Declarative Services: with factory configurations, they are the instances (no default one)
      Await.until("only the two instances", () -> sttNames().equals(java.util.Set.of("kitchen", "numbers")));
      assertTrue(a.feed(fixture("kitchen-light.wav")));
      assertTrue(b.feed(fixture("seven-to-six.wav")));
      assertEquals("turn on the kitchen light", result(a.getResult(RESULT_WAIT).orElseThrow()).get("data"));
      assertEquals("seven eight nine zero six", result(b.getResult(RESULT_WAIT).orElseThrow()).get("data"));
      // each instance has its own grammar: the same audio, two answers, each in its own words
      String heardByKitchen = (String) result(a.generate(fixture("one-to-five.wav"))).get("data");
      java.util.Set<String> kitchenWords = java.util.Set.of("turn", "on", "off", "the", "kitchen", "light", "[unk]");
      assertTrue(heardByKitchen, Arrays.stream(heardByKitchen.split(" ")).filter(word -> !word.isEmpty())
          .allMatch(kitchenWords::contains));
      assertEquals("one two three four five", result(b.generate(fixture("one-to-five.wav"))).get("data"));
    } finally {
      kitchen.delete();
      numbers.delete();
    }
    Await.noService(context, Handler.class, "(handler.name=kitchen)");
    Await.noService(context, Handler.class, "(handler.name=numbers)");
    assertNotNull("the default instance is back", handler(DEFAULT));
  }

  private java.util.Set<Object> sttNames() {
    java.util.Set<Object> names = new java.util.HashSet<>();
    for (ServiceReference<?> reference : references("(handler.kind=stt)")) {
      names.add(reference.getProperty("handler.name"));
    }
    return names;
  }

  @Test
  public void producerInstancesReplayAFileAndReportTheMissingMicrophone() throws Exception {
    org.osgi.service.cm.Configuration replay = configAdmin.getFactoryConfiguration(PID, "replay", "?");
    org.osgi.service.cm.Configuration microphone = configAdmin.getFactoryConfiguration(PID, "mic", "?");
    try {
      Dictionary<String, Object> replayed = new Hashtable<>();
      replayed.put("name", "replay");
      replayed.put("audio_dirs", new String[] {fixtures()});
      replayed.put("source", "file:" + fixture("two-commands.wav"));
      replayed.put("grammar", GRAMMAR);
      replay.update(replayed);
      Dictionary<String, Object> live = new Hashtable<>();
      live.put("name", "mic");
      live.put("source", "microphone");
      microphone.update(live);

      Handler<Object, Object> player = handler("(handler.name=replay)");
      Map<String, Object> first = result(player.getResult(RESULT_WAIT).orElseThrow());
      Map<String, Object> second = result(player.getResult(RESULT_WAIT).orElseThrow());
      assertEquals("file", first.get("source"));
      assertEquals("turn on the kitchen light", first.get("data"));
      assertEquals("one two three four five", second.get("data"));

      Handler<Object, Object> mic = handler("(handler.name=mic)");
      Await.until("no microphone reported", () -> "no microphone".equals(mic.stats().details().get("source_state")));
      assertEquals(HandlerState.RUNNING, mic.state());
      assertEquals(0, mic.stats().errorCount());
      assertTranscribes(mic);
    } finally {
      replay.delete();
      microphone.delete();
    }
    Await.noService(context, Handler.class, "(handler.name=mic)");
  }

  @Test
  public void stoppingUpdatingAndUninstallingTheBundleLeavesTheOtherHandlerAlone() throws Exception {
    Handler<Object, Object> upper = handler(UPPER);
    assertTrue(upper.feed("before"));
    assertEquals(Optional.of("BEFORE"), upper.getResult(Duration.ofSeconds(20)));
    long upperProcessed = upper.stats().processedCount();
    Handler<Object, Object> stt = handler(DEFAULT);

    Bundle bundle = bundle(STT_BSN);
    bundle.stop();
    Await.noService(context, Handler.class, "(handler.kind=stt)");
    Await.until("stt closed", () -> stt.state() == HandlerState.CLOSED); // the service goes first
    assertUntouched(upper, upperProcessed);
    bundle.start();
    assertTranscribes(handler(DEFAULT));
    assertUntouched(upper, upperProcessed);

    bundle.update();
    Await.until("the updated bundle is active", () -> bundle.getState() == Bundle.ACTIVE);
    assertTranscribes(handler(DEFAULT));
    assertUntouched(upper, upperProcessed);

    String location = bundle.getLocation();
    bundle.uninstall();
    Await.noService(context, Handler.class, "(handler.kind=stt)");
    assertUntouched(upper, upperProcessed);
    Bundle again = context.installBundle(location);
    again.start();
    // the model is copied anew (the data area went with the old bundle), on first use, not at start
    Handler<Object, Object> fresh = handler(DEFAULT);
    String model = (String) fresh.stats().details().get("model");
    assertTrue(model, model.endsWith("(copied on first use)"));
    assertEquals("not loaded", fresh.stats().details().get("model_state"));
    assertTranscribes(fresh);
    model = (String) fresh.stats().details().get("model");
    assertTrue(model, model.contains("/data/models/dev.maverick.handler.stt-model_"));
    assertUntouched(upper, upperProcessed);
    assertTrue(upper.feed("after"));
    assertEquals(Optional.of("AFTER"), upper.getResult(Duration.ofSeconds(20)));
    // three generations of the bundle, one native library in the process (two copies would share
    // C++ unique symbols and free them twice)
    java.util.Set<String> libraries = loadedVoskLibraries();
    assertEquals(libraries.toString(), 1, libraries.size());
  }

  /**
   * Files mapped into the process that are a libvosk: ours, or copies JNA extracted to its temp
   * directory (where its own small jnidispatch also goes: libvosk is told apart by its 25 MB).
   */
  private static java.util.Set<String> loadedVoskLibraries() throws java.io.IOException {
    Map<String, Long> mapped = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      int slash = line.indexOf('/');
      String path = slash < 0 ? "" : line.substring(slash).replace(" (deleted)", "");
      if (path.endsWith("/libvosk.so") || path.contains("/JNA/temp/")) {
        String[] range = line.substring(0, line.indexOf(' ')).split("-");
        long size = Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16);
        mapped.merge(path, size, Long::sum);
      }
    }
    java.util.Set<String> paths = new java.util.TreeSet<>();
    mapped.forEach((path, size) -> {
      if (size > 10L << 20) {
        paths.add(path);
      }
    });
    return paths;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private void assertUntouched(Handler<Object, Object> upper, long processed) {
    assertSame("the other handler's service is the same object", upper, handler(UPPER));
    assertFalse(upper.state() == HandlerState.CLOSED || upper.state() == HandlerState.FAILED);
    assertEquals("the other handler keeps its counters", processed, upper.stats().processedCount());
  }

  private void assertTranscribes(Handler<Object, Object> stt) throws Exception {
    String text = (String) result(stt.generate(audio("kitchen-light.wav"))).get("data");
    assertTrue("dictation gave '" + text + "'", wordErrors("turn on the kitchen light", text) <= 1);
  }

  @SuppressWarnings("unchecked")
  private Handler<Object, Object> handler(String filter) {
    return Await.service(context, Handler.class, filter);
  }

  private List<ServiceReference<?>> references(String filter) {
    try {
      ServiceReference<?>[] found = context.getServiceReferences(Handler.class.getName(), filter);
      return found == null ? List.of() : Arrays.asList(found);
    } catch (org.osgi.framework.InvalidSyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> result(Object result) {
    return (Map<String, Object>) result;
  }

  private static String fixtures() {
    return System.getProperty("maverick.stt.fixtures");
  }

  private static byte[] audio(String name) throws java.io.IOException {
    return Files.readAllBytes(fixture(name));
  }

  private static Path fixture(String name) {
    Path path = Path.of(System.getProperty("maverick.stt.fixtures"), name);
    assertTrue("fixture " + path, Files.isRegularFile(path));
    return path;
  }

  private Bundle bundle(String symbolicName) {
    for (Bundle bundle : context.getBundles()) {
      if (symbolicName.equals(bundle.getSymbolicName())) {
        return bundle;
      }
    }
    throw new AssertionError("no bundle " + symbolicName);
  }

  /**
   * Word-level edit distance, as {@code dev.maverick.handler.stt.testing.WordErrors} scores it for the
   * unit tests and the benchmark. A copy: this runs inside Felix, in the Pax Exam probe, which holds
   * this module's test classes only.
   */
  private static int wordErrors(String reference, String hypothesis) {
    String[] ref = reference.trim().split("\\s+");
    String[] hyp = hypothesis.trim().isEmpty() ? new String[0] : hypothesis.trim().split("\\s+");
    int[][] d = new int[ref.length + 1][hyp.length + 1];
    for (int i = 0; i <= ref.length; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= hyp.length; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= ref.length; i++) {
      for (int j = 1; j <= hyp.length; j++) {
        d[i][j] = Math.min(d[i - 1][j - 1] + (ref[i - 1].equals(hyp[j - 1]) ? 0 : 1),
            Math.min(d[i - 1][j], d[i][j - 1]) + 1);
      }
    }
    return d[ref.length][hyp.length];
  }
}
