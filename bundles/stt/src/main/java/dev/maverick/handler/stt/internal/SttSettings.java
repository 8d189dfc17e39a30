package dev.maverick.handler.stt.internal;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.InvalidItemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The speech-to-text handler's own configuration keys, read from a {@link HandlerConfig} and
 * checked the way the core checks its own: a bad value fails with the key, the value and what is
 * allowed.
 *
 * @param source where a producer-mode handler takes audio from on its own
 * @param sourceFile the file of {@code source = file:<path>}, else null
 * @param inputDevice part of the name of the capture mixer; blank = the system's default
 * @param modelPath a Vosk model directory; blank = the model of an installed model bundle
 * @param grammar phrases for command recognition; empty = dictation (the full vocabulary)
 * @param partialResults whether the producer publishes partial text
 * @param sampleRate the recognizer's sample rate (the model's)
 * @param maxAudio the longest fed audio accepted
 * @param microphoneRetry how often to look again for a missing microphone; zero = never
 * @param audioDirs the directories whose files may be fed by path (and replayed by {@code source = file:})
 * @param engine what recognizes the audio
 * @param realtime the {@code realtimestt} engine's settings (read whatever the engine)
 */
record SttSettings(Source source, Path sourceFile, String inputDevice, String modelPath, List<String> grammar,
    boolean partialResults, int sampleRate, Duration maxAudio, Duration microphoneRetry, AudioDirs audioDirs,
    Engine engine, RealtimeSttSettings realtime) {

  /** What recognizes the audio. */
  enum Engine {
    /** Vosk, in this process, offline. */
    VOSK,
    /** A RealtimeSTT server, over two WebSockets. */
    REALTIMESTT;

    /** The name in configuration and results. */
    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where audio comes from in producer mode. */
  enum Source {
    /** No producer: the handler transcribes what it is fed. */
    NONE,
    /** The capture device, through javax.sound.sampled. */
    MICROPHONE,
    /** A WAV file replayed at its own pace, as if live. */
    FILE
  }

  static final String SOURCE = "source";
  static final String INPUT_DEVICE = "input_device";
  static final String MODEL_PATH = "model_path";
  static final String GRAMMAR = "grammar";
  static final String PARTIAL_RESULTS = "partial_results";
  static final String SAMPLE_RATE = "sample_rate";
  static final String MAX_AUDIO_SECONDS = "max_audio_seconds";
  static final String MICROPHONE_RETRY = "microphone_retry";
  static final String AUDIO_DIRS = "audio_dirs";
  static final String ENGINE = "engine";

  /** The handler's own keys, in documentation order. */
  static final List<String> KEYS = keys();

  static final String DEFAULT_SOURCE = "none";
  static final int DEFAULT_SAMPLE_RATE = 16000;
  static final double DEFAULT_MAX_AUDIO_SECONDS = 600;
  static final double DEFAULT_MICROPHONE_RETRY = 30;

  private static final String SOURCE_RULE = "none, microphone, or file:<path of an audio file under audio_dirs>";
  private static final String AUDIO_DIRS_RULE = "a list of absolute paths of existing directories (a multi-valued "
      + "property; in a .cfg file, JSON text such as [\"/srv/audio\"]), or empty: no fed path is read";
  private static final String GRAMMAR_RULE = "a list of phrases (a multi-valued property, e.g. [\"turn on the light\", "
      + "\"[unk]\"]); in a .cfg file, which holds no lists, the same list written as JSON text; or empty for dictation";
  private static final String MODEL_RULE = "empty (the model of an installed model bundle) or the directory of a "
      + "Vosk model, with am/ and conf/ inside";

  /** Words a model's vocabulary can hold (any script), separated by single spaces, or [unk]. */
  private static final Pattern PHRASE = Pattern.compile("(\\[unk\\]|\\p{L}[\\p{L}\\p{M}'-]*)( (\\[unk\\]|\\p{L}[\\p{L}\\p{M}'-]*))*");

  SttSettings {
    grammar = List.copyOf(grammar);
  }

  /**
   * Reads and checks the keys.
   *
   * @param json reads a grammar written as JSON text
   * @throws InvalidConfigurationException naming the key, the value and what is allowed
   */
  static SttSettings from(HandlerConfig config, SttJson json) {
    Engine engine = Engine.valueOf(config.choiceValue(ENGINE, "vosk", List.of("vosk", "realtimestt"))
        .toUpperCase(Locale.ROOT));
    RealtimeSttSettings realtime = RealtimeSttSettings.from(config, json);
    if (engine == Engine.REALTIMESTT && config.disableThread()) {
      throw new InvalidConfigurationException(ENGINE, config.extras().get(ENGINE), "vosk while disable_thread is "
          + "true: the realtimestt engine needs threads of its own (a connection and a sender)");
    }
    AudioDirs audioDirs = audioDirs(config.extras().get(AUDIO_DIRS), json);
    Object rawSource = config.extras().get(SOURCE);
    String sourceText = config.stringValue(SOURCE, DEFAULT_SOURCE).trim();
    Source source;
    Path sourceFile = null;
    if (sourceText.equalsIgnoreCase("none") || sourceText.isEmpty()) {
      source = Source.NONE;
    } else if (sourceText.equalsIgnoreCase("microphone")) {
      source = Source.MICROPHONE;
    } else if (sourceText.regionMatches(true, 0, "file:", 0, 5)) {
      source = Source.FILE;
      sourceFile = audioFile(rawSource, sourceText.substring(5).trim(), audioDirs);
    } else {
      throw new InvalidConfigurationException(SOURCE, rawSource, SOURCE_RULE);
    }
    String modelPath = config.stringValue(MODEL_PATH, "").trim();
    if (!modelPath.isEmpty()) {
      checkModelDirectory(modelPath);
    }
    return new SttSettings(source, sourceFile,
        config.stringValue(INPUT_DEVICE, "").trim(),
        modelPath,
        grammar(config.extras().get(GRAMMAR), json),
        config.booleanValue(PARTIAL_RESULTS, false),
        config.intValue(SAMPLE_RATE, DEFAULT_SAMPLE_RATE, 8000, 48000),
        config.durationValue(MAX_AUDIO_SECONDS, seconds(DEFAULT_MAX_AUDIO_SECONDS), 1, 86400),
        config.durationValue(MICROPHONE_RETRY, seconds(DEFAULT_MICROPHONE_RETRY), 0, 86400),
        audioDirs, engine, realtime);
  }

  private static List<String> keys() {
    List<String> keys = new ArrayList<>(List.of(ENGINE, SOURCE, INPUT_DEVICE, MODEL_PATH, GRAMMAR, PARTIAL_RESULTS,
        SAMPLE_RATE, MAX_AUDIO_SECONDS, MICROPHONE_RETRY, AUDIO_DIRS));
    keys.addAll(RealtimeSttSettings.KEYS);
    return List.copyOf(keys);
  }

  /** The rate audio is converted to: the recognizer's ({@code sample_rate}), or 16 kHz for a RealtimeSTT server. */
  int audioRate() {
    return engine == Engine.REALTIMESTT ? AudioFrames.SAMPLE_RATE : sampleRate;
  }

  /** The configured model directory, if one is set. */
  Optional<Path> modelDirectory() {
    return modelPath.isEmpty() ? Optional.empty() : Optional.of(Path.of(modelPath));
  }

  /** True in command mode. */
  boolean grammarMode() {
    return !grammar.isEmpty();
  }

  /** {@code dictation}, or {@code grammar (N phrases)}. */
  String modeName() {
    return grammar.isEmpty() ? "dictation" : "grammar (" + grammar.size() + " phrases)";
  }

  /** The configured source as written in configuration. */
  String sourceName() {
    return switch (source) {
      case NONE -> "none";
      case MICROPHONE -> "microphone";
      case FILE -> "file:" + sourceFile;
    };
  }

  /** True when a running producer must restart to follow the change from {@code previous}. */
  boolean producerDiffers(SttSettings previous) {
    return previous.engine != engine || !previous.realtime.equals(realtime) || previous.source != source || !java.util.Objects.equals(previous.sourceFile, sourceFile)
        || !previous.inputDevice.equals(inputDevice) || !previous.modelPath.equals(modelPath)
        || !previous.grammar.equals(grammar) || previous.partialResults != partialResults
        || previous.sampleRate != sampleRate;
  }

  /** The file of {@code source = file:}: a fed path, so under the same rule ({@code audio_dirs}). */
  private static Path audioFile(Object raw, String path, AudioDirs audioDirs) {
    try {
      Path file = audioDirs.readable(AudioInputs.path(path));
      AudioInputs.probe(file, Duration.ofDays(1), audioDirs);
      return file;
    } catch (InvalidItemException e) {
      throw new InvalidConfigurationException(SOURCE, raw, SOURCE_RULE + " (" + e.getMessage() + ")");
    }
  }

  private static void checkModelDirectory(String path) {
    Path dir;
    try {
      dir = Path.of(path);
    } catch (InvalidPathException e) {
      throw new InvalidConfigurationException(MODEL_PATH, path, MODEL_RULE, e);
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidConfigurationException(MODEL_PATH, path, MODEL_RULE + " (no such directory)");
    }
    if (!Files.isDirectory(dir.resolve("am")) || !Files.isDirectory(dir.resolve("conf"))) {
      throw new InvalidConfigurationException(MODEL_PATH, path, MODEL_RULE + " (am/ or conf/ is missing)");
    }
  }

  /** Reads {@code grammar}: a list of phrases (see {@link ConfigLists}), each lower-cased. */
  static List<String> grammar(Object value, SttJson json) {
    List<String> result = new ArrayList<>();
    for (String text : ConfigLists.texts(GRAMMAR, value, GRAMMAR_RULE, json)) {
      // the models' vocabularies are lower case; "[unk]" (any other speech) is kept as written
      String words = text.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
      if (!PHRASE.matcher(words).matches()) {
        throw new InvalidConfigurationException(GRAMMAR, value, GRAMMAR_RULE + " (every phrase words of letters, "
            + "apostrophes or hyphens, or [unk]; not '" + text + "')");
      }
      result.add(words);
    }
    return result; // an empty list, as a cleared field gives, means dictation
  }

  private static AudioDirs audioDirs(Object value, SttJson json) {
    try {
      return AudioDirs.of(ConfigLists.texts(AUDIO_DIRS, value, AUDIO_DIRS_RULE, json));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(AUDIO_DIRS, value, AUDIO_DIRS_RULE + " (" + e.getMessage() + ")", e);
    }
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
