package dev.maverick.handler.stt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The kind's checks of every key, and the metatype description against the real defaults. */
class SttConfigurationTest {
  private static final Set<String> CORE_KEYS_NOT_FOR_STT = Set.of(HandlerConfig.HOST, HandlerConfig.PORT,
      HandlerConfig.AUTH, HandlerConfig.NETWORK_TIMEOUT, HandlerConfig.EXPECTED_TYPE,
      HandlerConfig.GENERATE_RESULTS_CALLBACK);

  private final SttJson json = new SttJson();
  private final SttKind kind = new SttKind();

  @Test
  void theDefaults() {
    HandlerConfig config = kind.validate(Map.of());
    SttSettings settings = SttSettings.from(config, json);
    assertThat(config.name()).hasValue("stt");
    assertThat(settings.source()).isEqualTo(SttSettings.Source.NONE);
    assertThat(settings.grammar()).isEmpty();
    assertThat(settings.partialResults()).isFalse();
    assertThat(settings.modelDirectory()).isEmpty();
    assertThat(settings.sampleRate()).isEqualTo(16000);
    assertThat(settings.maxAudio()).isEqualTo(Duration.ofSeconds(600));
    assertThat(settings.microphoneRetry()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.engine()).isEqualTo(SttSettings.Engine.VOSK);
    RealtimeSttSettings realtime = settings.realtime();
    assertThat(realtime.controlUrl()).hasToString("ws://127.0.0.1:8011");
    assertThat(realtime.dataUrl()).hasToString("ws://127.0.0.1:8012");
    assertThat(realtime.language()).isEmpty();
    assertThat(realtime.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(realtime.reconnectFirst()).isEqualTo(Duration.ofMillis(500));
    assertThat(realtime.reconnectLongest()).isEqualTo(Duration.ofSeconds(30));
    assertThat(realtime.serverParameters()).isEmpty();
    assertThat(realtime.sendSpeed()).isEqualTo(1.0);
    assertThat(realtime.trailingSilence()).isEqualTo(Duration.ofSeconds(1));
    assertThat(kind.kind()).isEqualTo("stt");
    assertThat(kind.pid()).isEqualTo("dev.maverick.handler.stt");
    assertThat(kind.factoryOnly()).isFalse();
  }

  @Test
  void goodValuesInEveryForm(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("am"));
    Files.createDirectories(dir.resolve("conf"));
    Map<String, Object> properties = new HashMap<>();
    properties.put("source", "file:" + Speech.wav("hello-world"));
    properties.put("grammar", new String[] {"Turn  ON the light", "[unk]"}); // a multi-valued Config Admin property
    properties.put("partial_results", "true");
    properties.put("model_path", dir.toString());
    properties.put("sample_rate", "8000");
    properties.put("max_audio_seconds", 2.5);
    properties.put("microphone_retry", "0");
    properties.put("input_device", "USB");
    properties.put("audio_dirs", new String[] {Speech.fixtures().toString()});
    SttSettings settings = SttSettings.from(kind.validate(properties), json);
    assertThat(settings.source()).isEqualTo(SttSettings.Source.FILE);
    assertThat(settings.sourceFile()).isEqualTo(Speech.wav("hello-world").toRealPath());
    assertThat(settings.audioDirs().directories()).containsExactly(Speech.fixtures().toRealPath());
    assertThat(settings.grammar()).containsExactly("turn on the light", "[unk]");
    assertThat(settings.partialResults()).isTrue();
    assertThat(settings.modelDirectory()).hasValue(dir);
    assertThat(settings.sampleRate()).isEqualTo(8000);
    assertThat(settings.maxAudio()).isEqualTo(Duration.ofMillis(2500));
    assertThat(settings.microphoneRetry()).isZero();
    assertThat(settings.inputDevice()).isEqualTo("USB");
    assertThat(SttSettings.from(kind.validate(Map.of("grammar", "[\"yes\", \"no\"]")), json).grammar())
        .containsExactly("yes", "no");
    assertThat(SttSettings.from(kind.validate(Map.of("grammar", "[]")), json).grammarMode()).isFalse();
    assertThat(SttSettings.from(kind.validate(Map.of("grammar", " Lights  OFF ")), json).grammar())
        .as("one text that is not a JSON list: one phrase").containsExactly("lights off");
    assertThat(SttSettings.from(kind.validate(Map.of("grammar", List.of("yes", "no"))), json).grammar())
        .as("a .cfg.json list").containsExactly("yes", "no");
    SttSettings remote = SttSettings.from(kind.validate(Map.of("engine", "RealtimeSTT", "control_url",
        "wss://stt.example:9011/control", "data_url", "wss://stt.example:9012", "language", "de",
        "connect_timeout", "0.5", "reconnect_backoff", new Double[] {0.2, 8.0}, "server_parameters",
        "[\"post_speech_silence_duration=0.4\", \"use_wake_words=TRUE\"]", "send_speed", 0, "trailing_silence", 2)), json);
    assertThat(remote.engine()).isEqualTo(SttSettings.Engine.REALTIMESTT);
    assertThat(remote.audioRate()).isEqualTo(16000);
    assertThat(remote.realtime()).isEqualTo(new RealtimeSttSettings(java.net.URI.create("wss://stt.example:9011/control"),
        java.net.URI.create("wss://stt.example:9012"), "de", Duration.ofMillis(500), Duration.ofMillis(200),
        Duration.ofSeconds(8), new java.util.LinkedHashMap<>(Map.of("post_speech_silence_duration", 0.4,
        "use_wake_words", true)), 0, Duration.ofSeconds(2)));
    assertThat(SttSettings.from(kind.validate(Map.of("reconnect_backoff", "[1, 1]")), json).realtime().reconnectLongest())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(SttSettings.from(kind.validate(Map.of("source", "MICROPHONE")), json).source())
        .isEqualTo(SttSettings.Source.MICROPHONE);
  }

  @Test
  void everyBadValueIsNamedWithThePidTheKeyTheValueAndWhatIsAllowed(@TempDir Path dir) throws Exception {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not audio");
    Map<String, Object[]> bad = new LinkedHashMap<>();
    bad.put("source", new Object[] {"speaker", "none, microphone, or file:"});
    bad.put("source ", new Object[] {"file:" + dir.resolve("missing.wav"), "is not a readable audio file under audio_dirs"});
    bad.put("source  ", new Object[] {"file:" + text, "not audio"});
    bad.put("grammar", new Object[] {"[\"open\", ", "not valid JSON"});
    bad.put("grammar ", new Object[] {"{\"a\": 1}", "every phrase words of letters"});
    bad.put("grammar   ", new Object[] {"[\"fine\", 7]", "every element a non-blank string"});
    bad.put("grammar  ", new Object[] {new String[] {"fine", " "}, "every element a non-blank string"});
    bad.put("model_path", new Object[] {dir.resolve("nowhere").toString(), "no such directory"});
    bad.put("model_path ", new Object[] {dir.toString(), "am/ or conf/ is missing"});
    bad.put("partial_results", new Object[] {"maybe", "true"});
    bad.put("sample_rate", new Object[] {"100", "an integer from 8000 to 48000"});
    bad.put("sample_rate ", new Object[] {"fast", "an integer from 8000 to 48000"});
    bad.put("max_audio_seconds", new Object[] {"0", "a number of seconds from 1.0 to 86400.0"});
    bad.put("microphone_retry", new Object[] {"-1", "a number of seconds from 0.0 to 86400.0"});
    bad.put("max_queue_size", new Object[] {"-3", "an integer >= 0"});
    bad.put("overflow_policy", new Object[] {"drop_everything", "one of"});
    bad.put("engine", new Object[] {"whisper", "one of vosk, realtimestt"});
    bad.put("control_url", new Object[] {"http://127.0.0.1:8011", "a ws:// or wss:// URL with a host"});
    bad.put("control_url ", new Object[] {"ws://user:secret@127.0.0.1:8011", "no user name or password"});
    bad.put("data_url", new Object[] {"ws://127.0.0.1:8011", "not the control_url"});
    bad.put("data_url ", new Object[] {"ws:///nohost", "a ws:// or wss:// URL with a host"});
    bad.put("language", new Object[] {"English", "a language code of 2 or 3 lower-case letters"});
    bad.put("connect_timeout", new Object[] {"0", "a number of seconds from 0.1 to 300.0"});
    bad.put("reconnect_backoff", new Object[] {"5", "two numbers of seconds, the first wait and the longest"});
    bad.put("reconnect_backoff ", new Object[] {"2, 1", "the longest not below the first"});
    bad.put("server_parameters", new Object[] {"is_recording=true", "(not 'is_recording=true')"});
    bad.put("server_parameters ", new Object[] {"silero_sensitivity=2", "silero_sensitivity=2 is out of its range"});
    bad.put("server_parameters  ", new Object[] {new String[] {"use_wake_words=yes"}, "use_wake_words=yes is out"});
    bad.put("server_parameters   ", new Object[] {"[\"language=de\"]", "language has a key of its own"});
    bad.put("send_speed", new Object[] {"-1", "a multiple of real time from 0 to 100"});
    bad.put("trailing_silence", new Object[] {"11", "a number of seconds from 0.0 to 10.0"});
    for (Map.Entry<String, Object[]> entry : bad.entrySet()) {
      String key = entry.getKey().trim();
      Object value = entry.getValue()[0];
      Map<String, Object> properties = new HashMap<>(Map.of(key, value, "service.pid", "dev.maverick.handler.stt~kitchen"));
      properties.putIfAbsent("audio_dirs", dir.toString());
      assertThatThrownBy(() -> kind.validate(properties)).as(key + "=" + value)
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageStartingWith("configuration dev.maverick.handler.stt~kitchen: invalid value for '" + key + "'")
          .hasMessageContaining(value instanceof String[] array ? array[0] : value.toString())
          .hasMessageContaining("allowed: ")
          .hasMessageContaining((String) entry.getValue()[1]);
    }
  }

  @Test
  void theRealtimeEngineNeedsThreads() {
    assertThatThrownBy(() -> kind.validate(Map.of("engine", "realtimestt", "disable_thread", true)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("invalid value for 'engine'")
        .hasMessageContaining("the realtimestt engine needs threads of its own");
  }

  @Test
  void aFactoryInstanceNeedsAName() {
    Map<String, Object> properties = Map.of("service.factoryPid", SttKind.PID, "service.pid", SttKind.PID + "~x");
    assertThatThrownBy(() -> kind.validate(properties))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("configuration " + SttKind.PID + "~x: missing required key 'name'");
  }

  @Test
  void theHandlerRejectsBadKeysOfItsOwnWhenBuiltInCode() {
    HandlerConfig config = HandlerConfig.fromMap(Map.of("sample_rate", 4));
    assertThatThrownBy(() -> new SpeechToTextHandler(config, ModelLibrary.withoutDefault()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'sample_rate'");
  }

  @Test
  void theMetatypeDescribesEveryKeyWithTheHandlersOwnDefaults() throws Exception {
    // the metatype resource bnd generated from SttConfiguration: what Metatype serves to tools
    Document metatype;
    try (InputStream in = SttConfigurationTest.class.getResourceAsStream("/OSGI-INF/metatype/" + SttKind.PID + ".xml")) {
      assertThat(in).as("the generated metatype").isNotNull();
      metatype = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
    }
    Map<String, Object> ocdDefaults = new LinkedHashMap<>();
    Set<String> described = new TreeSet<>();
    NodeList definitions = metatype.getElementsByTagName("AD");
    for (int i = 0; i < definitions.getLength(); i++) {
      Element definition = (Element) definitions.item(i);
      String key = definition.getAttribute("id");
      described.add(key);
      assertThat(definition.getAttribute("name")).as("the label is the key").isEqualTo(key);
      assertThat(definition.getAttribute("description")).as(key).hasSizeGreaterThan(20);
      if (definition.hasAttribute("default")) {
        ocdDefaults.put(key, definition.getAttribute("default"));
      }
    }
    Set<String> expected = new TreeSet<>(SttSettings.KEYS);
    for (String key : HandlerConfig.KNOWN_KEYS) {
      if (!CORE_KEYS_NOT_FOR_STT.contains(key)) {
        expected.add(key);
      }
    }
    assertThat(described).isEqualTo(expected);
    // and the README's configuration table has a row for each of them
    dev.maverick.handler.ds.testing.MetatypeContract.assertDocumented(Path.of("README.md"), described);
    assertThat(ocdDefaults).containsKeys("max_queue_size", "overflow_policy", "source", "grammar", "model_path");

    // the configuration made of the metatype's defaults is the one made of nothing
    HandlerConfig fromDefaults = kind.validate(ocdDefaults);
    HandlerConfig fromNothing = kind.validate(Map.of());
    assertThat(SttSettings.from(fromDefaults, json)).isEqualTo(SttSettings.from(fromNothing, json));
    for (String key : HandlerConfig.KNOWN_KEYS) {
      if (ocdDefaults.containsKey(key)) {
        assertThat(String.valueOf(fromDefaults.get(key).orElse(null))).as(key)
            .isEqualTo(String.valueOf(fromNothing.get(key).orElse(null)));
      }
    }
  }
}
