package dev.maverick.handler.stt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.stt.AudioChunk;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler over the real Vosk model and espeak-ng speech: every input kind, bad input, modes. */
class SpeechToTextHandlerTest extends HandlerTestSupport {
  private static final String NAME = "stt-test";

  private SpeechToTextHandler handler(Map<String, Object> properties) {
    return handler(NAME, properties, library);
  }

  private SpeechToTextHandler grammarHandler() {
    return handler(Map.of("grammar", Speech.GRAMMAR));
  }

  @Test
  void grammarModeTranscribesEveryPhraseExactly() {
    SpeechToTextHandler stt = grammarHandler();
    for (Map.Entry<String, String> phrase : Speech.PHRASES.entrySet()) {
      Map<String, Object> result = stt.generate(Speech.bytes(Speech.wav(phrase.getKey())));
      assertThat(result.get("data")).as(phrase.getKey()).isEqualTo(phrase.getValue());
    }
    HandlerStats stats = stt.stats();
    assertThat(stats.processedCount()).isEqualTo(Speech.PHRASES.size());
    assertThat(stats.details()).containsEntry("mode", "grammar (7 phrases)").containsEntry("model_state", "loaded");
    assertThat(stats.isBalanced()).as(stats.toString()).isTrue();
  }

  @Test
  void resultsHaveTheSeedsShapeAndComeThroughTheWorkerInFeedOrder() {
    SpeechToTextHandler stt = grammarHandler();
    Path kitchen = Speech.wav("kitchen-light");
    // the three ways to name audio: bytes, a Path, a File and a String path
    assertThat(stt.feed(Speech.bytes(Speech.wav("one-to-five")))).isTrue();
    assertThat(stt.feed(kitchen)).isTrue();
    assertThat(stt.feed(Speech.wav("weather").toFile())).isTrue();
    assertThat(stt.feed(Speech.wav("hello-world").toString())).isTrue();
    List<Object> texts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Map<String, Object> result = stt.getResult(WAIT).orElseThrow();
      assertThat(result).containsEntry("type", "audio").containsEntry("client_id", stt.clientId())
          .containsEntry("partial", false).containsEntry("source", "feed").containsKeys("ts", "audio_seconds");
      assertThat((Double) result.get("ts")).isCloseTo(System.currentTimeMillis() / 1000.0,
          org.assertj.core.data.Offset.offset(120.0));
      texts.add(result.get("data"));
    }
    assertThat(texts).containsExactly("one two three four five", "turn on the kitchen light",
        "what is the weather like today", "hello world");
    HandlerStats stats = balanced(stt);
    assertThat(stats.fedCount()).isEqualTo(4);
    assertThat(stats.processedCount()).isEqualTo(4);
  }

  @Test
  void audioChunksOfRawPcmAreTranscribed() throws Exception {
    SpeechToTextHandler stt = grammarHandler();
    byte[] pcm;
    AudioFormat format;
    try (AudioInputStream in = Speech.decode(Speech.wav("seven-to-six"))) {
      pcm = in.readAllBytes();
      format = in.getFormat();
    }
    AudioChunk chunk = AudioChunk.pcm16(pcm, format.getSampleRate(), 1);
    assertThat(chunk.seconds()).isGreaterThan(2.0);
    assertThat(stt.generate(chunk).get("data")).isEqualTo("seven eight nine zero six");
    assertThat(stt.stats().isBalanced()).isTrue();
  }

  @Test
  void otherRatesAndStereoAreConvertedTo16kMono() throws Exception {
    SpeechToTextHandler stt = grammarHandler();
    Path native22k = Speech.file("kitchen-22k.wav");
    byte[] pcm22k;
    AudioFormat mono22k;
    try (AudioInputStream in = Speech.decode(native22k)) {
      pcm22k = in.readAllBytes();
      mono22k = in.getFormat();
    }
    assertThat(mono22k.getSampleRate()).isEqualTo(22050f);
    AudioFormat stereo22k = new AudioFormat(22050f, 16, 2, true, false);
    byte[] stereoPcm = Speech.stereo(pcm22k);

    assertThat(stt.generate(Speech.bytes(native22k)).get("data")).isEqualTo("turn on the kitchen light");
    assertThat(stt.generate(Speech.wavBytes(stereoPcm, stereo22k)).get("data")).isEqualTo("turn on the kitchen light");
    assertThat(stt.generate(new AudioChunk(stereoPcm, stereo22k)).get("data")).isEqualTo("turn on the kitchen light");
    HandlerStats stats = stt.stats();
    assertThat(stats.processedCount()).isEqualTo(3);
    assertThat(stats.isBalanced()).isTrue();
  }

  @Test
  void badInputIsRejectedWithAClearMessageAndCountedAsInvalid(@TempDir Path dir) throws Exception {
    SpeechToTextHandler stt = handler(Map.of("grammar", Speech.GRAMMAR, "audio_dirs", List.of(dir.toString())));
    byte[] wav = Speech.bytes(Speech.wav("weather"));
    byte[] truncated = Arrays.copyOf(wav, wav.length / 2);
    byte[] text = "this is plain text, not a sound file at all".getBytes();
    Path truncatedFile = dir.resolve("cut.wav");
    Files.write(truncatedFile, truncated);
    Path missing = dir.resolve("missing.wav");
    Path notAudioFile = dir.resolve("notes.wav");
    Files.write(notAudioFile, text);

    Map<Object, String> expected = new java.util.LinkedHashMap<>();
    expected.put(text, "not audio: the JDK reads WAV, AIFF and AU files");
    expected.put(new byte[3], "too few for an audio file header");
    expected.put(truncated, "truncated WAV (fed bytes): its data chunk declares");
    expected.put(truncatedFile, "truncated WAV (" + truncatedFile + "): its data chunk declares");
    expected.put(missing, "'" + missing + "' is not a readable audio file under audio_dirs");
    expected.put(notAudioFile.toString(), "is not a WAV, AIFF or AU file");
    expected.put(42, "expected WAV, AIFF or AU file bytes (byte[]), an AudioChunk");
    expected.put(" ", "got a blank path");

    for (Map.Entry<Object, String> bad : expected.entrySet()) {
      assertThat(stt.feed(bad.getKey())).as(bad.getValue()).isFalse();
      assertThatThrownBy(() -> stt.generate(bad.getKey()))
          .isInstanceOf(InvalidItemException.class)
          .hasMessageStartingWith("handler 'stt-test': ")
          .hasMessageContaining(bad.getValue());
    }
    HandlerStats stats = stt.stats();
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(2L * expected.size());
    assertThat(stats.lastDrop()).hasValueSatisfying(drop -> assertThat(drop).startsWith("invalid"));
    assertThat(stats.processedCount()).isZero();
    assertThat(stats.errorCount()).isZero();
    assertThat(stats.isBalanced()).as(stats.toString()).isTrue();
    // and good audio still goes through
    assertThat(stt.generate(wav).get("data")).isEqualTo("what is the weather like today");
  }

  @Test
  void audioLongerThanMaxAudioSecondsIsRejected() {
    SpeechToTextHandler stt = handler(Map.of("max_audio_seconds", "1.5"));
    assertThatThrownBy(() -> stt.generate(Speech.wav("quick-brown-fox")))
        .isInstanceOf(InvalidItemException.class)
        .hasMessageContaining("longer than max_audio_seconds=1.5");
    assertThat(stt.stats().dropped(DropReason.INVALID)).isEqualTo(1);
  }

  @Test
  void aFileRemovedAfterFeedingIsAnItemErrorNotALoss(@TempDir Path dir) throws Exception {
    SpeechToTextHandler stt = handler(Map.of("run_as_thread", false, "audio_dirs", List.of(dir.toString())));
    Path copy = dir.resolve("gone.wav");
    Files.copy(Speech.wav("hello-world"), copy);
    assertThat(stt.feed(copy)).isTrue(); // valid at feed time; no worker runs yet
    Files.delete(copy);
    stt.start();
    Waits.until("the item failed", () -> stt.stats().itemErrorCount() == 1);
    HandlerStats stats = balanced(stt);
    assertThat(stats.processedCount()).isZero();
    assertThat(stats.lastDrop()).isEmpty();
  }

  @Test
  void withoutAModelItemsFailClearlyAndTheStatsSaySo() {
    try (ModelLibrary none = ModelLibrary.withoutDefault()) {
      SpeechToTextHandler stt = handler("no-model", Map.of(), none);
      assertThatThrownBy(() -> stt.generate(Speech.wav("hello-world")))
          .isInstanceOf(ModelUnavailableException.class)
          .hasMessageContaining("set model_path");
      HandlerStats stats = stt.stats();
      assertThat(stats.itemErrorCount()).isEqualTo(1);
      assertThat((String) stats.details().get("model_state")).startsWith("unavailable: no speech model");
      assertThat(stats.isBalanced()).isTrue();
    }
  }

  @Test
  void aDirectoryThatLooksLikeAModelButIsNotFailsWhenLoaded(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("am"));
    Files.createDirectories(dir.resolve("conf"));
    SpeechToTextHandler stt = handler(Map.of("model_path", dir.toString()));
    assertThatThrownBy(() -> stt.generate(Speech.wav("hello-world")))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessageContaining("no usable Vosk model in " + dir);
    assertThat(stt.stats().isBalanced()).isTrue();
  }

  @Test
  void aConfigurationChangeKeepsQueuedItemsAndChangesTheMode() {
    // dictation first; the worker is held back until the change is made
    SpeechToTextHandler stt = handler(Map.of("run_as_thread", false, "max_queue_size", 4));
    List<String> slugs = List.of("one-to-five", "kitchen-light", "weather", "seven-to-six");
    for (String slug : slugs) {
      assertThat(stt.feed(Speech.wav(slug))).isTrue();
    }
    assertThat(stt.stats().inputQueueSize()).isEqualTo(4);
    Map<String, Object> changed = new HashMap<>(stt.config().toMap());
    changed.put("grammar", Speech.GRAMMAR);
    changed.put("max_queue_size", 16); // still run_as_thread=false: threaded, the items would be processed at once
    stt.reconfigure(HandlerConfig.fromMap(changed));
    assertThat(stt.stats().inputQueueSize()).as("nothing lost in the change").isEqualTo(4);
    assertThat(stt.stats().inputQueueCapacity()).isEqualTo(16);
    stt.start();
    List<Object> texts = new ArrayList<>();
    for (int i = 0; i < slugs.size(); i++) {
      texts.add(stt.getResult(WAIT).orElseThrow().get("data"));
    }
    // grammar mode now: exact
    assertThat(texts).containsExactly("one two three four five", "turn on the kitchen light",
        "what is the weather like today", "seven eight nine zero six");
    HandlerStats stats = balanced(stt);
    assertThat(stats.details()).containsEntry("mode", "grammar (7 phrases)");
    assertThat(stats.processedCount()).isEqualTo(4);
  }

  @Test
  void twoWorkersShareOneModel() {
    SpeechToTextHandler a = handler(Map.of("name", "a", "worker_threads", 2, "grammar", Speech.GRAMMAR));
    SpeechToTextHandler b = handler(Map.of("name", "b", "grammar", Speech.GRAMMAR));
    for (String slug : Speech.PHRASES.keySet()) {
      assertThat(a.feed(Speech.wav(slug))).isTrue();
    }
    assertThat(b.generate(Speech.wav("hello-world")).get("data")).isEqualTo("hello world");
    List<Object> texts = new ArrayList<>();
    for (int i = 0; i < Speech.PHRASES.size(); i++) {
      texts.add(a.getResult(WAIT).orElseThrow().get("data"));
    }
    assertThat(texts).containsExactlyInAnyOrderElementsOf(Speech.PHRASES.values());
    assertThat(library.loadedCount()).as("one model for both handlers and all workers").isEqualTo(1);
    balanced(a);
    balanced(b);
  }

  @Test
  void httpBodiesAreReadByTheirContentType() throws Exception {
    SpeechToTextHandler stt = grammarHandler();
    byte[] pcm22k;
    try (AudioInputStream in = Speech.decode(Speech.file("kitchen-22k.wav"))) {
      pcm22k = in.readAllBytes();
    }
    Map<String, Object> raw = Map.of("content_type", "application/octet-stream", "sample_rate", 22050);
    Map<String, Object> result = stt.generate(pcm22k, raw);
    assertThat(result).containsEntry("data", "turn on the kitchen light").containsEntry("engine", "vosk");
    assertThat(stt.generate(Speech.bytes(Speech.wav("weather")), Map.of("content_type", "audio/x-wav; codec=1"))
        .get("data")).isEqualTo("what is the weather like today");
    assertThatThrownBy(() -> stt.generate(pcm22k, Map.of("content_type", "application/octet-stream")))
        .isInstanceOf(InvalidItemException.class).hasMessageContaining("needs sample_rate, an integer from 8000 to "
            + "48000 (over HTTP: ?sample_rate=16000); got none");
    assertThatThrownBy(() -> stt.generate(java.util.Arrays.copyOf(pcm22k, 3), raw))
        .hasMessageContaining("needs whole 2-byte samples; got 3 bytes");
    assertThat(stt.feed(pcm22k)).as("no content_type: audio file bytes, as ever (and these are not)").isFalse();
    HandlerStats stats = stt.stats();
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(3);
    assertThat(stats.isBalanced()).isTrue();
  }

  @Test
  void silenceGivesAnEmptyText() {
    SpeechToTextHandler stt = handler(Map.of());
    byte[] silence = new byte[16000 * 2]; // one second
    Map<String, Object> result = stt.generate(AudioChunk.pcm16(silence, 16000f, 1));
    assertThat(result.get("data")).isEqualTo("");
    assertThat((Double) result.get("audio_seconds")).isEqualTo(1.0);
  }

  @Test
  void fileItemsMayBeFiles() {
    SpeechToTextHandler stt = grammarHandler();
    File file = Speech.wav("one-to-five").toFile();
    assertThat(stt.generate(file).get("data")).isEqualTo("one two three four five");
    assertThat(stt.getResult(Duration.ZERO)).as("generate queues nothing").isEqualTo(Optional.empty());
  }
}
