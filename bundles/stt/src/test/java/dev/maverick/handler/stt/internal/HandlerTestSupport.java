package dev.maverick.handler.stt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** Handlers over the real test model, closed after each test with a check that no thread is left. */
abstract class HandlerTestSupport {
  static final Duration WAIT = Duration.ofSeconds(60);
  static ModelLibrary library;
  private final List<SpeechToTextHandler> handlers = new ArrayList<>();

  @BeforeAll
  static void openLibrary() {
    library = ModelLibrary.withDefault(Speech.model());
  }

  @AfterAll
  static void closeLibrary() {
    library.close();
  }

  @AfterEach
  void closeHandlers() {
    for (SpeechToTextHandler handler : handlers) {
      handler.close();
      assertThat(handler.liveThreads()).as("threads left after close").isEmpty();
    }
  }

  /**
   * A handler named {@code name} unless the properties say otherwise, closed after the test; fed
   * paths may name the fixtures unless the properties set {@code audio_dirs}.
   */
  SpeechToTextHandler handler(String name, Map<String, Object> properties, ModelLibrary models) {
    Map<String, Object> all = new HashMap<>(properties);
    all.putIfAbsent("name", name);
    all.putIfAbsent("audio_dirs", List.of(Speech.fixtures().toString()));
    SpeechToTextHandler handler = new SpeechToTextHandler(HandlerConfig.fromMap(all), models);
    handlers.add(handler);
    return handler;
  }

  /** The accounting law, once the handler is quiescent (a worker finishes an item just after queuing its result). */
  static HandlerStats balanced(SpeechToTextHandler handler) {
    Waits.until("nothing in flight", () -> handler.stats().inFlight() == 0 && handler.stats().inputQueueSize() == 0);
    HandlerStats stats = handler.stats();
    assertThat(stats.isBalanced()).as(stats.toString()).isTrue();
    return stats;
  }
}
