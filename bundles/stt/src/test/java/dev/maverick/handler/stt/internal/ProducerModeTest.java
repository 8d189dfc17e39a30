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
import org.junit.jupiter.api.Test;

/**
 * Producer mode: a replayed file stands in for a live microphone (this machine has none, which is
 * itself tested: a state, no failure, no busy thread).
 */
class ProducerModeTest extends HandlerTestSupport {
  private static final String NAME = "producer";
  private static final String TWO_COMMANDS = "file:" + Speech.file("two-commands.wav");

  private SpeechToTextHandler handler(Map<String, Object> properties) {
    return handler(NAME, properties, library);
  }

  private static String sourceState(SpeechToTextHandler handler) {
    return (String) handler.stats().details().get("source_state");
  }

  private static Thread sourceThread(SpeechToTextHandler handler) {
    return handler.liveThreads().stream().filter(thread -> thread.getName().contains("-source-")).findFirst()
        .orElse(null);
  }

  @Test
  void aReplayedFilePublishesOneResultPerUtterance() {
    SpeechToTextHandler stt = handler(Map.of("source", TWO_COMMANDS, "grammar", Speech.GRAMMAR));
    assertThat(sourceState(stt)).isEqualTo("not started");
    stt.start();
    List<Object> texts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Map<String, Object> result = stt.getResult(WAIT).orElseThrow();
      assertThat(result).containsEntry("type", "audio").containsEntry("source", "file").containsEntry("partial", false)
          .containsEntry("client_id", stt.clientId()).containsKey("ts");
      texts.add(result.get("data"));
    }
    assertThat(texts).containsExactly("turn on the kitchen light", "one two three four five");
    // "finished" is said just before the source thread closes the audio and ends
    Waits.until("the replay finished and its thread ended",
        () -> "finished".equals(sourceState(stt)) && sourceThread(stt) == null);
    HandlerStats stats = stt.stats();
    assertThat(stats.producedCount()).isEqualTo(2);
    assertThat(stats.fedCount()).isZero();
    assertThat(stats.errorCount()).isZero();
    assertThat((Double) stats.details().get("audio_seconds")).isGreaterThan(5.0);
    assertThat(stats.isBalanced()).as(stats.toString()).isTrue();
  }

  @Test
  void partialResultsArePublishedWhileAnUtteranceIsUnderWay() {
    SpeechToTextHandler stt = handler(Map.of("source", TWO_COMMANDS, "partial_results", true,
        "grammar", Speech.GRAMMAR));
    stt.start();
    List<String> finals = new ArrayList<>();
    List<String> partials = new ArrayList<>();
    while (finals.size() < 2) {
      Map<String, Object> result = stt.getResult(WAIT).orElseThrow();
      if ((Boolean) result.get("partial")) {
        partials.add((String) result.get("data"));
      } else {
        finals.add((String) result.get("data"));
      }
    }
    assertThat(finals).containsExactly("turn on the kitchen light", "one two three four five");
    assertThat(partials).isNotEmpty().allSatisfy(text -> assertThat(text).isNotBlank());
    // a partial is the start of an utterance: its first word is one the utterance begins with
    assertThat(partials).anySatisfy(text -> assertThat(text).startsWith("turn"));
    // "finished" is said just before the source thread closes the audio and ends
    Waits.until("the replay finished and its thread ended",
        () -> "finished".equals(sourceState(stt)) && sourceThread(stt) == null);
    HandlerStats stats = stt.stats();
    assertThat(stats.producedCount()).isEqualTo(partials.size() + 2L);
    assertThat(stats.isBalanced()).as(stats.toString()).isTrue();
  }

  @Test
  void noMicrophoneIsAStateWhileFedAudioIsStillServedAndNothingSpins() {
    SpeechToTextHandler stt = handler(Map.of("source", "microphone", "microphone_retry", 3600,
        "grammar", Speech.GRAMMAR));
    stt.start();
    Waits.until("no microphone reported", () -> "no microphone".equals(sourceState(stt)));
    // the source thread waits for its next look on a monitor: it is parked, not running
    Waits.until("the source thread parked", () -> {
      Thread source = sourceThread(stt);
      return source != null && source.getState() == Thread.State.TIMED_WAITING;
    });
    assertThat(stt.generate(Speech.wav("kitchen-light")).get("data")).isEqualTo("turn on the kitchen light");
    assertThat(stt.feed(Speech.wav("one-to-five"))).isTrue();
    assertThat(stt.getResult(WAIT).orElseThrow().get("data")).isEqualTo("one two three four five");
    HandlerStats stats = balanced(stt);
    assertThat(stats.errorCount()).as("a missing microphone is not an error").isZero();
    assertThat(stats.details()).containsEntry("source", "microphone").containsEntry("source_state", "no microphone");
    assertThat(sourceThread(stt).getState()).isEqualTo(Thread.State.TIMED_WAITING);
  }

  @Test
  void withMicrophoneRetryZeroTheSourceThreadEnds() {
    SpeechToTextHandler stt = handler(Map.of("source", "microphone", "microphone_retry", 0));
    stt.start();
    Waits.until("no microphone reported", () -> "no microphone".equals(sourceState(stt)));
    Waits.until("the source thread ended", () -> sourceThread(stt) == null);
    assertThat(sourceState(stt)).isEqualTo("no microphone");
    assertThat(stt.stats().errorCount()).isZero();
  }

  @Test
  void aConfigurationChangeStartsAndStopsTheSource() {
    SpeechToTextHandler stt = handler(Map.of("grammar", Speech.GRAMMAR));
    stt.start();
    assertThat(sourceState(stt)).isEqualTo("off");
    Map<String, Object> withMicrophone = new HashMap<>(stt.config().toMap());
    withMicrophone.put("source", "microphone");
    stt.reconfigure(HandlerConfig.fromMap(withMicrophone));
    Waits.until("no microphone reported", () -> "no microphone".equals(sourceState(stt)));
    Map<String, Object> withFile = new HashMap<>(stt.config().toMap());
    withFile.put("source", TWO_COMMANDS);
    stt.reconfigure(HandlerConfig.fromMap(withFile));
    assertThat(stt.getResult(WAIT).orElseThrow().get("data")).isEqualTo("turn on the kitchen light");
    Map<String, Object> without = new HashMap<>(stt.config().toMap());
    without.put("source", "none");
    stt.reconfigure(HandlerConfig.fromMap(without));
    assertThat(sourceState(stt)).isEqualTo("off");
    assertThat(sourceThread(stt)).isNull();
    HandlerStats stats = stt.stats();
    assertThat(stats.errorCount()).isZero();
    assertThat(stats.isBalanced()).as(stats.toString()).isTrue();
  }

  @Test
  void withThreadsDisabledTheSourceDoesNotStart() {
    SpeechToTextHandler stt = handler(Map.of("source", TWO_COMMANDS, "disable_thread", true));
    stt.start();
    assertThat(sourceState(stt)).isEqualTo("not started");
    assertThat(stt.liveThreads()).isEmpty();
  }
}
