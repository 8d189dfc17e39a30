package dev.maverick.handler.stt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.stt.AudioChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioInputStream;
import org.junit.jupiter.api.Test;

/**
 * The realtimestt engine against the fake server: the same inputs and results as Vosk, frames
 * exactly as the server reads them, the server's transcripts published as results, and every
 * chunk accounted for.
 */
class RealtimeSttEngineTest extends RealtimeSttTestSupport {

  @Test
  void everyInputKindIsSentAsTheServerReadsItAndItsTranscriptsComeBackInTheVoskShape() throws Exception {
    fake.script("turn on the kitchen light", "one two three four five", "what is the weather like today",
        "hello world", "seven eight nine zero six");
    SpeechToTextHandler stt = realtime("remote", Map.of());
    byte[] pcm;
    try (AudioInputStream in = Speech.decode(Speech.file("kitchen-22k.wav"))) {
      pcm = in.readAllBytes(); // 22.05 kHz: converted to 16 kHz before it is sent
    }
    assertThat(stt.feed(Speech.bytes(Speech.wav("kitchen-light")))).isTrue();
    assertThat(stt.feed(Speech.wav("one-to-five"))).isTrue();
    assertThat(stt.feed(Speech.wav("weather").toString())).isTrue();
    assertThat(stt.feed(Speech.bytes(Speech.wav("hello-world")), Map.of("content_type", "audio/wav"))).isTrue();
    assertThat(stt.feed(AudioChunk.pcm16(pcm, 22050f, 1))).isTrue();

    List<Map<String, Object>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      results.add(stt.getResult(WAIT).orElseThrow());
    }
    assertThat(results).extracting(result -> result.get("data")).containsExactly("turn on the kitchen light",
        "one two three four five", "what is the weather like today", "hello world", "seven eight nine zero six");
    for (Map<String, Object> result : results) {
      assertThat(result).containsOnlyKeys("type", "data", "ts", "client_id", "partial", "source", "audio_seconds",
          "engine").containsEntry("type", "audio").containsEntry("partial", false).containsEntry("source", "feed")
          .containsEntry("engine", "realtimestt").containsEntry("client_id", stt.clientId());
    }
    // results are not tied to chunks: a final carries the audio sent since the previous one
    assertThat(results.stream().mapToDouble(result -> (Double) result.get("audio_seconds")).sum())
        .isBetween(0.0, fake.sampleBytes() / 32000.0 + 0.01);
    HandlerStats stats = balanced(stt);
    assertThat(stats.fedCount()).isEqualTo(5);
    assertThat(stats.producedCount()).as("transcripts are published, not returned").isEqualTo(5);
    assertThat(stats.processedCount()).as("5 items sent + 5 transcripts").isEqualTo(10);
    Map<String, Object> details = stats.details();
    assertThat(details).containsEntry("engine", "realtimestt").containsEntry("connected", true)
        .containsEntry("reconnects", 0L).containsEntry("finals", 5L).containsEntry("server_errors", 0L)
        .containsEntry("bytes_sent", fake.sampleBytes()).containsEntry("warnings", List.of());
    assertThat(fake.utterances()).isEqualTo(5);
    // 16 kHz mono 16-bit: each phrase's samples plus 0.5 s of trailing silence, in 2048-byte chunks
    assertThat(fake.sampleBytes()).isGreaterThan(5 * (16000L * 2 * 2));
    assertThat(fake.frames()).isGreaterThanOrEqualTo(fake.sampleBytes() / 2048);
  }

  @Test
  void partialTextsArePublishedOnlyWhenTheyChange() {
    fake.script("what is the weather like today");
    SpeechToTextHandler stt = realtime("partials", Map.of("partial_results", true));
    assertThat(stt.feed(Speech.wav("weather"))).isTrue();
    List<Map<String, Object>> results = new ArrayList<>();
    do {
      results.add(stt.getResult(WAIT).orElseThrow());
    } while (Boolean.TRUE.equals(results.get(results.size() - 1).get("partial")));
    List<Object> partials = results.subList(0, results.size() - 1).stream().map(result -> result.get("data")).toList();
    assertThat(partials).as("each a longer prefix, none repeated").isNotEmpty().doesNotHaveDuplicates()
        .allSatisfy(text -> assertThat("what is the weather like today").startsWith((String) text));
    assertThat(results.get(results.size() - 1)).containsEntry("data", "what is the weather like today")
        .containsEntry("partial", false);
    Map<String, Object> details = balanced(stt).details();
    assertThat((Long) details.get("partials")).as("the server sends each at least twice")
        .isGreaterThanOrEqualTo(2L * partials.size());
  }

  @Test
  void rawPcmAndWavBodiesAreReadByTheirContentType() throws Exception {
    fake.script("turn on the kitchen light", "turn on the kitchen light");
    SpeechToTextHandler stt = realtime("bodies", Map.of());
    byte[] pcm22k;
    try (AudioInputStream in = Speech.decode(Speech.file("kitchen-22k.wav"))) {
      pcm22k = in.readAllBytes();
    }
    assertThat(stt.feed(pcm22k, Map.of("content_type", "application/octet-stream", "sample_rate", 22050))).isTrue();
    assertThat(stt.feed(Speech.bytes(Speech.file("kitchen-22k.wav")), Map.of("content_type", "audio/wav"))).isTrue();
    assertThat(texts(stt, 2)).containsExactly("turn on the kitchen light", "turn on the kitchen light");

    Map<Map<String, Object>, String> refused = Map.of(
        Map.of("content_type", "application/octet-stream"), "needs sample_rate, an integer from 8000 to 48000",
        Map.of("content_type", "application/octet-stream", "sample_rate", 4000), "got '4000'",
        Map.of("content_type", "application/octet-stream", "sample_rate", "fast"), "got 'fast'",
        Map.of("content_type", "audio/mpeg"), "content_type 'audio/mpeg' is not accepted; accepted: audio/wav");
    refused.forEach((extra, message) -> {
      assertThat(stt.feed(pcm22k, extra)).as(message).isFalse();
      assertThatThrownBy(() -> stt.generate(pcm22k, extra)).isInstanceOf(InvalidItemException.class)
          .hasMessageContaining(message);
    });
    assertThatThrownBy(() -> stt.generate(pcm22k, Map.of("content_type", "audio/wav")))
        .hasMessageContaining("content_type audio/wav, but the " + pcm22k.length + " bytes are not a WAV file");
    HandlerStats stats = balanced(stt);
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(2L * refused.size() + 1);
  }

  @Test
  void aServerThatIsNotReadyIsReportedAndItemsAreRefusedUntilItAnswers() {
    fake.notReady().script("hello world");
    SpeechToTextHandler stt = realtime("early", Map.of("connect_timeout", 0.3, "reconnect_backoff", "0.1, 0.2"));
    stt.start();
    Waits.until("the silence reported", () -> warnings(stt).stream()
        .anyMatch(warning -> warning.contains("did not answer a command within connect_timeout=0.3 s")));
    assertThat(connected(stt)).isFalse();
    assertThatThrownBy(() -> stt.generate(Speech.bytes(Speech.wav("hello-world"))))
        .isInstanceOf(EngineDisconnectedException.class).hasMessageStartingWith("engine_disconnected: ");
    assertThat(fake.ignoredCommands()).isPositive();
    assertThat(fake.frames()).as("no audio to a server that does not answer").isZero();

    fake.ready();
    Waits.until("connected once the server answers", () -> connected(stt));
    assertThat(stt.feed(Speech.wav("hello-world"))).isTrue();
    assertThat(texts(stt, 1)).containsExactly("hello world");
    HandlerStats stats = balanced(stt);
    assertThat(stats.itemErrorCount()).isEqualTo(1);
    assertThat(stats.details()).containsEntry("reconnects", 1L).containsEntry("warnings", List.of());
    assertThat((Long) stats.details().get("connect_failures")).isPositive();
  }

  @Test
  void aConnectionDroppedMidStreamFailsTheItemBeingSentAndIsMadeAgain() throws Exception {
    // the dropped utterance takes the first sentence; the server forgets it with the connection
    fake.script("(lost)", "turn on the kitchen light", "one two three four five").closeDataAfterFrames(10);
    // paced (4x real time): the frames after the 10th are sent after the server dropped the connection
    SpeechToTextHandler stt = realtime("dropped", Map.of("reconnect_backoff", "0.2, 0.4", "send_speed", 4));
    assertThatThrownBy(() -> stt.generate(Speech.wav("quick-brown-fox")))
        .isInstanceOf(EngineDisconnectedException.class)
        .hasMessageContaining("engine_disconnected: the connection was lost after");
    Waits.until("connected again", () -> connected(stt) && (Long) details(stt).get("reconnects") == 1L);
    assertThat(stt.feed(Speech.wav("kitchen-light"))).isTrue();
    assertThat(stt.feed(Speech.wav("one-to-five"))).isTrue();
    assertThat(texts(stt, 2)).containsExactly("turn on the kitchen light", "one two three four five");
    HandlerStats stats = balanced(stt);
    assertThat(stats.itemErrorCount()).isEqualTo(1);
    assertThat(stats.processedCount() - stats.producedCount()).as("items sent").isEqualTo(2);
    assertThat(fake.dataConnections()).isEqualTo(2);
  }

  @Test
  void anUnreachableServerRefusesAudioWithItsReasonAndIsTriedAgain() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort(); // closed: nothing listens there now
    }
    SpeechToTextHandler stt = realtime("nowhere", Map.of("control_url", "ws://127.0.0.1:" + port,
        "data_url", "ws://127.0.0.1:" + fake.dataUrl().getPort(), "connect_timeout", 0.5));
    stt.start();
    Waits.until("the failure reported", () -> (Long) details(stt).get("connect_failures") >= 2);
    assertThat(warnings(stt)).anySatisfy(warning -> assertThat(warning)
        .startsWith("cannot connect to ws://127.0.0.1:" + port + ": connection refused; connecting again in"));
    assertThat(stt.feed(Speech.wav("hello-world"))).as("accepted; refused when sent").isTrue();
    Waits.until("the item refused", () -> stt.stats().itemErrorCount() == 1);
    assertThatThrownBy(() -> stt.generate(Speech.wav("hello-world")))
        .hasMessageStartingWith("engine_disconnected: cannot connect to ws://127.0.0.1:" + port);
    HandlerStats stats = balanced(stt);
    assertThat(stats.itemErrorCount()).isEqualTo(2);
    assertThat(stats.processedCount()).isZero();
    assertThat(stats.details()).containsEntry("connected", false).containsEntry("bytes_sent", 0L);
  }

  @Test
  void slowRepliesWithinConnectTimeoutConnectAndSlowerOnesAreReported() {
    fake.slowReplies(java.time.Duration.ofMillis(800)).script("hello world");
    SpeechToTextHandler slow = realtime("slow", Map.of("connect_timeout", 0.3, "reconnect_backoff", "0.2, 0.2"));
    slow.start();
    Waits.until("the late answer reported", () -> warnings(slow).stream()
        .anyMatch(warning -> warning.contains("did not answer a command within connect_timeout=0.3 s")));
    slow.close();
    SpeechToTextHandler patient = realtime("patient", Map.of("connect_timeout", 3));
    assertThat(patient.generate(Speech.wav("hello-world"))).as("no result: the transcript is published").isNull();
    assertThat(texts(patient, 1)).containsExactly("hello world");
    balanced(patient);
  }

  @Test
  void textSentInFragmentsIsJoined() {
    fake.fragmentText(7).script("the quick brown fox jumps over the lazy dog");
    SpeechToTextHandler stt = realtime("fragments", Map.of("partial_results", true));
    assertThat(stt.feed(Speech.wav("quick-brown-fox"))).isTrue();
    Map<String, Object> last;
    do {
      last = stt.getResult(WAIT).orElseThrow();
    } while (Boolean.TRUE.equals(last.get("partial")));
    assertThat(last.get("data")).isEqualTo("the quick brown fox jumps over the lazy dog");
    assertThat(balanced(stt).details()).containsEntry("server_errors", 0L);
  }

  @Test
  void speechFromAnotherClientOfTheServerIsCountedAndWarnedAbout() throws Exception {
    fake.script("seven eight nine zero six");
    SpeechToTextHandler stt = realtime("shared", Map.of());
    stt.start();
    Waits.until("connected", () -> connected(stt));
    byte[] pcm;
    try (AudioInputStream in = Speech.decode(Speech.wav("seven-to-six"))) {
      pcm = in.readAllBytes();
    }
    fake.connectSecondClient().sendAudio(pcm);
    Waits.until("two data clients", () -> fake.dataClients() == 2);
    assertThat(texts(stt, 1)).as("the server sends every transcript to every client")
        .containsExactly("seven eight nine zero six");
    assertThat(details(stt)).containsEntry("foreign_speech", 1L).containsEntry("bytes_sent", 0L);
    assertThat(warnings(stt)).anySatisfy(warning -> assertThat(warning).contains("another client is feeding it"));
    balanced(stt);
  }

  @Test
  void languageAndServerParametersAreSetOnceConnectedAndRefusalsCounted() {
    fake.refuseParameter("language");
    SpeechToTextHandler stt = realtime("settings", Map.of("language", "de",
        "server_parameters", List.of("silero_sensitivity=0.4", "use_wake_words=false")));
    stt.start();
    Waits.until("connected", () -> connected(stt));
    assertThat(fake.parameter("silero_sensitivity")).isEqualTo(0.4);
    assertThat(fake.parameter("use_wake_words")).isEqualTo(false);
    assertThat(fake.commands()).first().satisfies(probe -> {
      assertThat(probe.path("command").asText()).isEqualTo("get_parameter");
      assertThat(probe.path("request_id").asText()).startsWith("maverick-");
    });
    assertThat(details(stt)).containsEntry("server_errors", 1L);
    assertThat(warnings(stt)).containsExactly("the server at " + fake.controlUrl() + " refused set_parameter "
        + "language=de: Parameter language is not allowed (set_parameter)");
  }

  @Test
  void aReplayedFileIsStreamedLiveAndItsUtterancesComeBack() {
    fake.script("turn on the kitchen light", "one two three four five");
    SpeechToTextHandler stt = realtime("replay", Map.of("source", "file:" + Speech.file("two-commands.wav")));
    stt.start();
    List<Map<String, Object>> results = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      results.add(stt.getResult(WAIT).orElseThrow());
    }
    assertThat(results).extracting(result -> result.get("data"))
        .containsExactly("turn on the kitchen light", "one two three four five");
    assertThat(results).allSatisfy(result -> assertThat(result).containsEntry("source", "file")
        .containsEntry("engine", "realtimestt"));
    Waits.until("the replay finished", () -> "finished".equals(details(stt).get("source_state")));
    HandlerStats stats = balanced(stt);
    assertThat(stats.producedCount()).isEqualTo(2);
    assertThat(stats.fedCount()).isZero();
    assertThat(stats.details()).containsEntry("live_chunks_dropped", 0L);
  }

  @Test
  void aMissingMicrophoneIsAWarningNotAnError() {
    SpeechToTextHandler mic = realtime("mic", Map.of("source", "microphone", "microphone_retry", 0));
    mic.start();
    Waits.until("no microphone", () -> "no microphone".equals(details(mic).get("source_state")));
    assertThat(warnings(mic)).contains("the microphone source: no microphone");
    assertThat(mic.stats().errorCount()).isZero();
  }

  @Test
  void liveAudioIsDroppedAndCountedWithItsReasonWhileTheServerIsUnreachable() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort(); // closed: nothing listens there now
    }
    SpeechToTextHandler stt = realtime("unheard", Map.of("source", "file:" + Speech.wav("hello-world"),
        "control_url", "ws://127.0.0.1:" + port, "connect_timeout", 0.5));
    stt.start();
    Waits.until("the replay finished", () -> "finished".equals(details(stt).get("source_state")));
    // the audio in 0.1 s steps, then 0.5 s of trailing silence in 5: each step dropped, none sent
    long steps;
    try (AudioInputStream in = Speech.decode(Speech.wav("hello-world"))) {
      steps = (in.getFrameLength() * 2 + Producer.LIVE_STEP_BYTES - 1) / Producer.LIVE_STEP_BYTES + 5;
    }
    Waits.until("every step counted", () -> (Long) details(stt).get("live_chunks_dropped") == steps);
    assertThat(details(stt)).containsEntry("bytes_sent", 0L);
    assertThat(warnings(stt)).anySatisfy(warning -> assertThat(warning)
        .contains("live audio chunk(s) dropped; the last: engine_disconnected: "));
    assertThat(balanced(stt).errorCount()).isZero();
  }

  @Test
  void twoHandlersOnOneServerAreRefused() {
    SpeechToTextHandler first = realtime("first", Map.of());
    Map<String, Object> same = new HashMap<>(Map.of("control_url", "ws://localhost:" + fake.controlUrl().getPort()));
    assertThatThrownBy(() -> realtime("second", same)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("invalid value for 'control_url'")
        .hasMessageContaining("handler 'first' already uses " + fake.controlUrl());
    Map<String, Object> properties = new HashMap<>(Map.of("name", "second", "engine", "realtimestt",
        "control_url", "ws://127.0.0.1:1", "data_url", fake.dataUrl().toString()));
    assertThatThrownBy(() -> new SttKind().validate(properties)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("invalid value for 'data_url'").hasMessageContaining("handler 'first'");
    properties.put("name", "first");
    assertThat(new SttKind().validate(properties)).as("the same handler, reconfigured").isNotNull();
    first.close();
    assertThat(realtime("second", same)).as("free again once the first closed").isNotNull();
  }

  @Test
  void closingLeavesNoThreadAndEndsTheHttpClientsSelector() {
    long selectorsBefore = selectorThreads();
    fake.script("hello world");
    SpeechToTextHandler stt = realtime("threads", Map.of());
    stt.start();
    Waits.until("connected", () -> connected(stt));
    assertThat(threadsOf("threads")).contains("threads-connection-1", "threads-sender-1", "threads-websocket-1");
    assertThat(stt.feed(Speech.wav("hello-world"))).isTrue();
    assertThat(texts(stt, 1)).containsExactly("hello world");
    stt.close();
    assertThat(stt.liveThreads()).isEmpty();
    assertThat(threadsOf("threads")).as("the engine's threads end with close()").isEmpty();
    Waits.until("the fake saw the data socket close", () -> fake.dataClients() == 0);
    // JDK 17's HttpClient has no close(): its selector thread ends once the client is unreachable
    Waits.until("the HTTP client's selector thread ended", () -> {
      System.gc();
      return selectorThreads() <= selectorsBefore;
    });
  }

  private static long selectorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("HttpClient-") && thread.getName().endsWith("SelectorManager"))
        .count();
  }
}
