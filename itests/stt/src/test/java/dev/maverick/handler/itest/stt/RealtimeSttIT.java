package dev.maverick.handler.itest.stt;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.jackson;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.stt.testing.FakeRealtimeSttServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The stt bundle's realtimestt engine in Felix, against the fake RealtimeSTT server (which runs in
 * the container, from the stt test jar, on Java-WebSocket's bundle): transcripts come back through
 * the Handler service, each fault is reported and recovered from, every chunk is accounted for,
 * and no thread of a handler outlives it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RealtimeSttIT {
  private static final String PID = "dev.maverick.handler.stt";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  @Configuration
  public Option[] config() {
    return options(platform(),
        bundleOf("core"),
        mavenBundle("net.java.dev.jna", "jna").versionAsInProject(),
        jackson(),
        mavenBundle("org.java-websocket", "Java-WebSocket").versionAsInProject(),
        bundleOf("stt"),
        systemProperty("maverick.stt.fixtures").value(System.getProperty("maverick.stt.fixtures")));
  }

  @Test
  public void transcriptsComeBackThroughTheServiceWithEveryChunkAccountedFor() throws Exception {
    try (FakeRealtimeSttServer fake = new FakeRealtimeSttServer()) {
      fake.fragmentText(3).script("turn on the kitchen light", "one two three four five");
      org.osgi.service.cm.Configuration configuration = remote("remote", fake, Map.of("partial_results", true));
      try {
        Handler<Object, Object> stt = handler("remote");
        // DS may hand this configuration to a live instance that ran another one: count from here
        HandlerStats before = quiescent(stt);
        assertTrue(stt.feed(audio("kitchen-light.wav"), Map.of("content_type", "audio/wav")));
        assertTrue(stt.feed(pcm16k("one-to-five.wav"), Map.of("content_type", "application/octet-stream",
            "sample_rate", 16000)));
        List<Object> finals = new ArrayList<>();
        int partials = 0;
        while (finals.size() < 2) {
          Map<String, Object> result = result(stt.getResult(WAIT).orElseThrow());
          assertEquals("realtimestt", result.get("engine"));
          assertEquals("audio", result.get("type"));
          if (Boolean.TRUE.equals(result.get("partial"))) {
            partials++;
          } else {
            finals.add(result.get("data"));
          }
        }
        assertEquals(List.of("turn on the kitchen light", "one two three four five"), finals);
        assertTrue("partial results were published", partials > 0);
        HandlerStats stats = quiescent(stt);
        assertEquals(stats.toString(), 2, stats.fedCount() - before.fedCount());
        assertEquals(2 + 2 + partials, stats.processedCount() - before.processedCount());
        // a send completes when the bytes leave; the fake counts them when it has read the frame
        long sent = ((Number) stats.details().get("bytes_sent")).longValue();
        Await.until("the fake has read every byte the handler sent", () -> fake.sampleBytes() == sent);
        assertEquals(List.of(), stats.details().get("warnings"));
        assertEquals(List.of(), fake.problems());
      } finally {
        configuration.delete();
      }
      assertNoThreadOf("remote");
    }
  }

  @Test
  public void aDroppedConnectionAndAServerNotReadyAreReportedCountedAndRecoveredFrom() throws Exception {
    try (FakeRealtimeSttServer fake = new FakeRealtimeSttServer()) {
      fake.notReady().script("(lost)", "hello world");
      org.osgi.service.cm.Configuration configuration = remote("faults", fake, Map.of("connect_timeout", 0.3,
          "reconnect_backoff", new Double[] {0.1, 0.3}, "send_speed", 4));
      try {
        Handler<Object, Object> stt = handler("faults");
        HandlerStats before = quiescent(stt);
        Await.until("the silent server reported", () -> warnings(stt).stream()
            .anyMatch(warning -> warning.contains("did not answer a command within connect_timeout=0.3 s")));
        assertFalse(stt.feed("not audio".getBytes())); // invalid: counted as dropped, as ever
        try {
          stt.generate(audio("hello-world.wav"));
          throw new AssertionError("audio was accepted by a server that answers nothing");
        } catch (IllegalStateException expected) {
          assertTrue(expected.getMessage(), expected.getMessage().startsWith("engine_disconnected: "));
        }
        fake.ready().closeDataAfterFrames(10);
        Await.until("connected once the server answers", () -> Boolean.TRUE.equals(stt.stats().details().get("connected")));
        try {
          stt.generate(audio("quick-brown-fox.wav"));
          throw new AssertionError("the connection drop went unnoticed");
        } catch (IllegalStateException expected) {
          assertTrue(expected.getMessage(), expected.getMessage().contains("the connection was lost after"));
        }
        Await.until("connected again", () -> Boolean.TRUE.equals(stt.stats().details().get("connected"))
            && (Long) stt.stats().details().get("reconnects") == 2L);
        assertTrue(stt.feed(audio("hello-world.wav")));
        assertEquals("hello world", result(stt.getResult(WAIT).orElseThrow()).get("data"));
        HandlerStats stats = quiescent(stt);
        assertEquals(2, stats.itemErrorCount() - before.itemErrorCount());
        assertEquals(1, stats.droppedCount() - before.droppedCount());
        assertEquals(List.of(), fake.problems());
      } finally {
        configuration.delete();
      }
      assertNoThreadOf("faults");
    }
  }

  @Test
  public void aSecondHandlerOnTheSameServerIsRefusedAndAnotherClientsSpeechIsNoticed() throws Exception {
    try (FakeRealtimeSttServer fake = new FakeRealtimeSttServer()) {
      fake.script("seven eight nine zero six");
      org.osgi.service.cm.Configuration first = remote("first", fake, Map.of());
      org.osgi.service.cm.Configuration second = configAdmin.getFactoryConfiguration(PID, "second", "?");
      try {
        Handler<Object, Object> stt = handler("first");
        Await.until("connected", () -> Boolean.TRUE.equals(stt.stats().details().get("connected")));
        Dictionary<String, Object> properties = properties("second", fake, Map.of());
        properties.put("control_url", "ws://localhost:" + fake.controlUrl().getPort()); // the same socket
        // the kind (what the admin and the component check configurations with) refuses it
        HandlerKind kind = Await.service(context, HandlerKind.class, "(handler.kind=stt)");
        Map<String, Object> asMap = new java.util.HashMap<>();
        for (String key : java.util.Collections.list(properties.keys())) {
          asMap.put(key, properties.get(key));
        }
        try {
          kind.validate(asMap);
          throw new AssertionError("a second handler on the same server was accepted");
        } catch (IllegalArgumentException expected) {
          assertTrue(expected.getMessage(), expected.getMessage().contains("'control_url'")
              && expected.getMessage().contains("handler 'first' already uses " + fake.controlUrl()));
        }
        second.update(properties); // so the component does not start it either; the first goes on

        byte[] pcm = pcm16k("seven-to-six.wav");
        fake.connectSecondClient().sendAudio(pcm);
        assertEquals("seven eight nine zero six", result(stt.getResult(WAIT).orElseThrow()).get("data"));
        assertEquals(1L, stt.stats().details().get("foreign_speech"));
        assertTrue(warnings(stt).toString(), warnings(stt).stream().anyMatch(w -> w.contains("another client")));
        assertTrue(quiescent(stt).isBalanced());
      } finally {
        second.delete();
        first.delete();
      }
      assertNoThreadOf("first");
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private org.osgi.service.cm.Configuration remote(String name, FakeRealtimeSttServer fake, Map<String, Object> extra)
      throws Exception {
    org.osgi.service.cm.Configuration configuration = configAdmin.getFactoryConfiguration(PID, name, "?");
    configuration.update(properties(name, fake, extra));
    return configuration;
  }

  private static Dictionary<String, Object> properties(String name, FakeRealtimeSttServer fake, Map<String, Object> extra) {
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put("name", name);
    properties.put("engine", "realtimestt");
    properties.put("control_url", fake.controlUrl().toString());
    properties.put("data_url", fake.dataUrl().toString());
    properties.put("send_speed", 0.0);
    properties.put("trailing_silence", 0.5);
    properties.put("connect_timeout", 2.0);
    properties.put("reconnect_backoff", new Double[] {0.1, 0.5});
    extra.forEach(properties::put);
    return properties;
  }

  @SuppressWarnings("unchecked")
  private Handler<Object, Object> handler(String name) {
    return Await.service(context, Handler.class, "(handler.name=" + name + ")");
  }

  @SuppressWarnings("unchecked")
  private static List<String> warnings(Handler<Object, Object> handler) {
    return (List<String>) handler.stats().details().get("warnings");
  }

  private static HandlerStats quiescent(Handler<Object, Object> handler) {
    Await.until("nothing queued or in flight", () -> handler.stats().inFlight() == 0
        && handler.stats().inputQueueSize() == 0);
    HandlerStats stats = handler.stats();
    assertTrue(stats.toString(), stats.isBalanced());
    return stats;
  }

  /** Every thread named after the handler has ended (its connection, sender, socket callbacks, workers). */
  private static void assertNoThreadOf(String name) {
    Await.until("no thread of handler '" + name + "' left", () -> Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName).noneMatch(thread -> thread.startsWith(name + "-")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> result(Object result) {
    return (Map<String, Object>) result;
  }

  private static byte[] audio(String name) throws Exception {
    Path path = Path.of(Objects.requireNonNull(System.getProperty("maverick.stt.fixtures")), name);
    return Files.readAllBytes(path);
  }

  /** A 16 kHz fixture's samples, without its header. */
  private static byte[] pcm16k(String name) throws Exception {
    Path path = Path.of(Objects.requireNonNull(System.getProperty("maverick.stt.fixtures")), name);
    try (javax.sound.sampled.AudioInputStream in = javax.sound.sampled.AudioSystem.getAudioInputStream(path.toFile())) {
      assertEquals(16000f, in.getFormat().getSampleRate(), 0f);
      return in.readAllBytes();
    }
  }
}
