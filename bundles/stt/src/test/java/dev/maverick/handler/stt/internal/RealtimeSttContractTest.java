package dev.maverick.handler.stt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.stt.testing.WordErrors;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The realtimestt engine against a real RealtimeSTT server, which cannot run on the build machines
 * (its models come from Hugging Face): runs only when {@code REALTIMESTT_CONTROL_URL} and
 * {@code REALTIMESTT_DATA_URL} name one, e.g. through an SSH tunnel:
 * {@code REALTIMESTT_CONTROL_URL=ws://127.0.0.1:8011 REALTIMESTT_DATA_URL=ws://127.0.0.1:8012
 * mvn -pl bundles/stt verify -Dtest=RealtimeSttContractTest}. It checks what the fake server
 * stands in for: the server takes our frames and commands, and its transcripts come back.
 */
@EnabledIfEnvironmentVariable(named = "REALTIMESTT_CONTROL_URL", matches = "wss?://.+")
@EnabledIfEnvironmentVariable(named = "REALTIMESTT_DATA_URL", matches = "wss?://.+")
class RealtimeSttContractTest extends HandlerTestSupport {

  @Test
  void aRealServerTakesOurAudioAndItsTranscriptsComeBack() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("engine", "realtimestt");
    properties.put("control_url", System.getenv("REALTIMESTT_CONTROL_URL"));
    properties.put("data_url", System.getenv("REALTIMESTT_DATA_URL"));
    properties.put("language", "en");
    properties.put("connect_timeout", 10);
    properties.put("send_speed", 1); // the server times silences by the clock
    properties.put("trailing_silence", 2);
    SpeechToTextHandler stt = handler("contract", properties, library);
    stt.start();
    Waits.until("connected to the real server", Duration.ofSeconds(120),
        () -> Boolean.TRUE.equals(stt.stats().details().get("connected")));

    String said = Speech.PHRASES.get("weather");
    assertThat(stt.feed(Speech.bytes(Speech.wav("weather")))).isTrue();
    Map<String, Object> result = stt.getResult(Duration.ofSeconds(120)).orElseThrow();
    assertThat(result).containsEntry("type", "audio").containsEntry("partial", false)
        .containsEntry("engine", "realtimestt").containsEntry("source", "feed");
    String heard = ((String) result.get("data")).toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ");
    assertThat(WordErrors.count(said, heard)).as("Whisper heard '" + result.get("data") + "'")
        .isLessThanOrEqualTo(WordErrors.wordCount(said) / 3);
    Map<String, Object> details = balanced(stt).details();
    assertThat(details).containsEntry("connected", true).containsEntry("reconnects", 0L);
    assertThat((Long) details.get("bytes_sent")).isPositive();
    assertThat((Long) details.get("finals")).isPositive();
  }
}
