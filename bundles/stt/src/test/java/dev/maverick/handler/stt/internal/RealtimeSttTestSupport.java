package dev.maverick.handler.stt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.stt.testing.FakeRealtimeSttServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Handlers on the {@code realtimestt} engine against a fake server, which must have seen no broken rule. */
abstract class RealtimeSttTestSupport extends HandlerTestSupport {
  FakeRealtimeSttServer fake;

  @BeforeEach
  void startFake() {
    fake = new FakeRealtimeSttServer();
  }

  private final List<String> names = new ArrayList<>();

  @AfterEach
  void stopFake() {
    closeHandlers(); // before the server: a handler that closes last-waits for its transcripts
    for (String name : names) {
      assertThat(threadsOf(name)).as("threads of handler '" + name + "' left after close").isEmpty();
    }
    fake.close();
    assertThat(fake.problems()).as("rules the client broke").isEmpty();
  }

  /** The JVM's live threads named after a handler (its workers, and its engine's connection, sender, sockets). */
  static List<String> threadsOf(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(thread -> thread.startsWith(name + "-")).toList();
  }

  /** A realtimestt handler on the fake: audio sent as fast as the socket takes it, short waits. */
  SpeechToTextHandler realtime(String name, Map<String, Object> properties) {
    Map<String, Object> all = new HashMap<>();
    all.put("engine", "realtimestt");
    all.put("control_url", fake.controlUrl().toString());
    all.put("data_url", fake.dataUrl().toString());
    all.put("send_speed", 0);
    all.put("trailing_silence", 0.5);
    all.put("connect_timeout", 2);
    all.put("reconnect_backoff", "0.1, 0.5");
    all.putAll(properties);
    names.add(String.valueOf(all.getOrDefault("name", name)));
    return handler(name, all, library);
  }

  /** The data of the next {@code count} results. */
  static List<Object> texts(SpeechToTextHandler handler, int count) {
    List<Object> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Optional<Map<String, Object>> result = handler.getResult(WAIT);
      assertThat(result).as("result " + (i + 1) + " of " + count + "; stats " + handler.stats()).isPresent();
      texts.add(result.get().get("data"));
    }
    return texts;
  }

  static Map<String, Object> details(SpeechToTextHandler handler) {
    return handler.stats().details();
  }

  static boolean connected(SpeechToTextHandler handler) {
    return Boolean.TRUE.equals(details(handler).get("connected"));
  }

  @SuppressWarnings("unchecked")
  static List<String> warnings(SpeechToTextHandler handler) {
    return (List<String>) details(handler).get("warnings");
  }

  static final Duration SHORT = Duration.ofSeconds(20);
}
