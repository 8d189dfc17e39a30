package dev.maverick.handler.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.stt.internal.SpeechHandlers;
import dev.maverick.handler.stt.testing.WordErrors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * Benchmark 7: the real-time factor of speech to text (recognition wall time / audio duration)
 * through the real STT handler, beside Vosk called directly in the same run.
 *
 * <p>The audio is the STT bundle's test phrases (espeak-ng, 16 kHz mono WAV, listed with their
 * text in {@code phrases.txt}), read into memory before measuring. Each mode, dictation (the
 * model's whole vocabulary) and grammar (the phrases plus {@code [unk]}), is timed over all the
 * phrases per round:
 * <ul>
 *   <li><b>handler</b>: {@code generate(wavBytes)} on the real {@code SpeechToTextHandler} (as the
 *       STT bundle makes it, with {@code model_path}); the time is the whole item: WAV decoding,
 *       conversion check, recognition, the result map.
 *   <li><b>baseline</b>: the same WAV bytes through {@code AudioSystem} and a Vosk
 *       {@link Recognizer} on a {@link Model} loaded here, the loop of STT.md's "Minimal Java
 *       usage" (4000-byte reads; the handler feeds 8000-byte steps), texts parsed with Jackson.
 * </ul>
 * Model loading is not measured: each side recognizes one phrase first. Correctness is checked:
 * the word error rate of dictation must stay within {@value #DICTATION_WER_BOUND}, grammar mode
 * must be exact, on both sides; otherwise the harness throws. The smoke run takes the first three
 * phrases only (the grammar still holds them all), as dictation runs at about a third of real time.
 *
 * <p>Where the model and the audio are: the system properties {@value #MODEL_PROPERTY} and
 * {@value #AUDIO_PROPERTY}, by default {@value #DEFAULT_MODEL} (unpacked by the benchmarks build
 * from Maven Central's {@code com.alphacephei:vosk-model-en}) and {@value #DEFAULT_AUDIO}, relative
 * to the working directory, the repository root.
 */
public final class SpeechHarness {

  static final String MODEL_PROPERTY = "maverick.bench.stt.model";
  static final String AUDIO_PROPERTY = "maverick.bench.stt.audio";
  static final String DEFAULT_MODEL = "benchmarks/target/stt-model/en-us";
  static final String DEFAULT_AUDIO = "bundles/stt/src/test/resources/audio";
  private static final double DICTATION_WER_BOUND = 0.35;
  private static final float SAMPLE_RATE = 16000f;

  /** One test phrase: its WAV bytes, what is said, and how long it lasts. */
  record Phrase(String slug, String text, byte[] wav, double seconds) {}

  /** A way of turning WAV bytes into text. */
  private interface Recognize {
    String text(byte[] wav) throws Exception;
  }

  /** One pass over the phrases: audio, wall and process CPU time, word errors. */
  record Pass(double audioSeconds, long nanos, long cpuNanos, int errors, int words, List<String> wrong) {
    double rtf() {
      return nanos / 1e9 / audioSeconds;
    }

    double cpuRtf() {
      return cpuNanos / 1e9 / audioSeconds;
    }
  }

  /** One side of one mode, a pass per round. */
  private static final class Side {
    final String name;
    final Recognize recognize;
    final List<Pass> passes = new ArrayList<>();

    Side(String name, Recognize recognize) {
      this.name = name;
      this.recognize = recognize;
    }

    List<Double> rtfs() {
      return passes.stream().map(Pass::rtf).toList();
    }

    List<Double> cpuRtfs() {
      return passes.stream().map(Pass::cpuRtf).toList();
    }
  }

  private SpeechHarness() {}

  /** Runs the harness from the command line: {@code [rounds [phrases]]}. */
  public static void main(String[] args) throws Exception {
    List<TableRow> rows = run(args.length > 0 ? Integer.parseInt(args[0]) : 3,
        args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE, System.out);
    rows.forEach(row -> System.out.println("| " + String.join(" | ", row.cells()) + " |"));
  }

  /**
   * The full measurement ({@code rounds} rounds, all phrases; {@value #LATENCY_UTTERANCES}
   * utterances through the realtimestt engine), or the smoke one (one round, the first 3 phrases;
   * 50 utterances).
   */
  public static List<TableRow> run(boolean smoke, int rounds, PrintStream out) throws Exception {
    List<TableRow> rows = new ArrayList<>(run(rounds, smoke ? 3 : Integer.MAX_VALUE, out));
    rows.add(RealtimeSttLatency.measure(smoke ? 50 : LATENCY_UTTERANCES, out));
    return rows;
  }

  /** Utterances timed through the realtimestt engine in a full run. */
  static final int LATENCY_UTTERANCES = 1000;

  /**
   * Measures {@code rounds} rounds over the first {@code maxPhrases} phrases, with the model and
   * audio the system properties name.
   */
  public static List<TableRow> run(int rounds, int maxPhrases, PrintStream out) throws Exception {
    Path model = directory(MODEL_PROPERTY, DEFAULT_MODEL, "am", "Vosk model",
        "the benchmarks build unpacks it: mvn -B -pl benchmarks -am package -DskipTests");
    Path audio = directory(AUDIO_PROPERTY, DEFAULT_AUDIO, "phrases.txt", "test audio",
        "it is the STT bundle's, bundles/stt/src/test/resources/audio in the repository");
    return run(rounds, model, audio, maxPhrases, out);
  }

  /** Measures {@code rounds} rounds with the model in {@code model} and the phrases in {@code audio}. */
  public static List<TableRow> run(int rounds, Path model, Path audio, int maxPhrases, PrintStream out)
      throws Exception {
    List<Phrase> all = phrases(audio);
    List<String> grammar = new ArrayList<>(all.stream().map(Phrase::text).toList()); // always all the phrases
    grammar.add("[unk]");
    List<Phrase> phrases = all.subList(0, Math.min(maxPhrases, all.size()));
    double total = phrases.stream().mapToDouble(Phrase::seconds).sum();
    ObjectMapper json = JsonMapper.builder().build();
    List<TableRow> rows = new ArrayList<>();
    try (SpeechHandlers handlers = new SpeechHandlers()) {
      ArchitectureHandler<Object, Map<String, Object>> dictation = handlers.create(
          Map.of("name", "bench-dictation", "model_path", model.toString()));
      ArchitectureHandler<Object, Map<String, Object>> commands = handlers.create(
          Map.of("name", "bench-grammar", "model_path", model.toString(), "grammar", grammar));
      LibVosk.setLogLevel(LogLevel.WARNINGS); // the handler sets it too; Kaldi's LOG lines otherwise
      try (Model direct = new Model(model.toString())) {
        String grammarJson = json.writeValueAsString(grammar);
        Map<String, Side[]> modes = new LinkedHashMap<>();
        modes.put("dictation", new Side[] {
            new Side("handler", wav -> (String) dictation.generate(wav).get("data")),
            new Side("Vosk directly", wav -> recognize(direct, null, wav, json))});
        modes.put("grammar", new Side[] {
            new Side("handler", wav -> (String) commands.generate(wav).get("data")),
            new Side("Vosk directly", wav -> recognize(direct, grammarJson, wav, json))});
        // warm-up: loads the model (the handler's on first use), makes the first recognizers
        for (Side[] sides : modes.values()) {
          for (Side side : sides) {
            side.recognize.text(phrases.get(0).wav());
          }
        }
        for (int round = 1; round <= rounds; round++) {
          for (Map.Entry<String, Side[]> mode : modes.entrySet()) {
            Side[] sides = mode.getValue();
            // alternate which side goes first, so that neither always gets the quieter moment
            for (int i = 0; i < sides.length; i++) {
              Side side = sides[(i + round) % sides.length];
              Pass pass = pass(side.recognize, phrases);
              side.passes.add(pass);
              out.printf(Locale.ROOT, "speech round %d: %-9s %-13s RTF %.3f (CPU %.3f), %d/%d word errors%s%n",
                  round, mode.getKey(), side.name, pass.rtf(), pass.cpuRtf(), pass.errors(), pass.words(),
                  pass.wrong().isEmpty() ? "" : " " + pass.wrong());
            }
          }
        }
        for (Map.Entry<String, Side[]> mode : modes.entrySet()) {
          rows.add(row(mode.getKey(), mode.getValue()[0], mode.getValue()[1], phrases.size(), total));
        }
      }
      for (ArchitectureHandler<?, ?> handler : List.of(dictation, commands)) {
        HandlerStats stats = handler.stats();
        Pipeline.check(stats.errorCount() == 0 && stats.droppedCount() == 0 && stats.isBalanced(),
            "speech harness: errors, drops or unbalanced books: " + stats);
      }
    }
    return rows;
  }

  /** Checks the pass's correctness (throws if it fails) and makes the table's row. */
  private static TableRow row(String mode, Side handler, Side baseline, int phrases, double audioSeconds) {
    boolean grammar = mode.equals("grammar");
    for (Side side : List.of(handler, baseline)) {
      for (Pass pass : side.passes) {
        double wer = pass.errors() / (double) pass.words();
        if (grammar ? pass.errors() != 0 : wer > DICTATION_WER_BOUND) {
          throw new IllegalStateException(String.format(Locale.ROOT,
              "speech harness: %s, %s: %d word errors in %d words (WER %.2f; allowed: %s): %s", mode, side.name,
              pass.errors(), pass.words(), wer, grammar ? "none" : "≤ " + DICTATION_WER_BOUND, pass.wrong()));
        }
      }
    }
    double goal = grammar ? 0.05 : 0.3;
    Suite.Results.Figure ratio = NetworkHarness.ratio(handler.rtfs(), baseline.rtfs());
    double rtf = Suite.Results.median(handler.rtfs());
    return new TableRow("7", String.format(Locale.ROOT,
        "Speech to text real-time factor (wall time / audio; process CPU / audio), %s, %d phrases, %.1f s of audio; %s",
        mode, phrases, audioSeconds, grammar ? "word errors" : "WER"),
        cell(handler, grammar), cell(baseline, grammar) + " (Vosk 0.3.45 directly, STT.md loop)",
        ratio.format("%.2f") + "×", String.format(Locale.ROOT, "≤ %.2f", goal), TableRow.met(rtf <= goal));
  }

  /** RTF median [min–max] (CPU RTF; the last pass's word errors: a WER for dictation, a count for grammar). */
  private static String cell(Side side, boolean grammar) {
    Pass last = side.passes.get(side.passes.size() - 1);
    return Suite.Results.spread(side.rtfs(), "%.3f") + " (CPU " + Suite.Results.spread(side.cpuRtfs(), "%.3f") + "; "
        + (grammar ? last.errors() + " errors"
            : String.format(Locale.ROOT, "WER %.1f%%", 100.0 * last.errors() / last.words())) + ")";
  }

  private static Pass pass(Recognize recognize, List<Phrase> phrases) throws Exception {
    double audio = 0;
    long nanos = 0;
    long cpuBefore = NetworkHarness.processCpuNanos();
    int errors = 0;
    int words = 0;
    List<String> wrong = new ArrayList<>();
    for (Phrase phrase : phrases) {
      long start = System.nanoTime();
      String text = recognize.text(phrase.wav());
      nanos += System.nanoTime() - start;
      audio += phrase.seconds();
      int e = WordErrors.count(phrase.text(), text);
      errors += e;
      words += WordErrors.wordCount(phrase.text());
      if (e > 0) {
        wrong.add(phrase.slug() + ": \"" + text + "\"");
      }
    }
    long cpu = NetworkHarness.processCpuNanos() - cpuBefore; // scoring the words is included, a few µs
    return new Pass(audio, nanos, cpu, errors, words, wrong);
  }

  /** STT.md's "Minimal Java usage": 16 kHz mono through AudioSystem, 4000-byte reads, results as JSON. */
  static String recognize(Model model, String grammarJson, byte[] wav, ObjectMapper json)
      throws IOException, UnsupportedAudioFileException {
    AudioFormat f16k = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);
    StringBuilder text = new StringBuilder();
    try (AudioInputStream in = AudioSystem.getAudioInputStream(f16k,
            AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav)));
         Recognizer recognizer = grammarJson == null ? new Recognizer(model, SAMPLE_RATE)
             : new Recognizer(model, SAMPLE_RATE, grammarJson)) {
      byte[] buffer = new byte[4000];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (recognizer.acceptWaveForm(buffer, n)) {
          append(text, json.readTree(recognizer.getResult()).path("text").asText());
        }
      }
      append(text, json.readTree(recognizer.getFinalResult()).path("text").asText());
    }
    return text.toString();
  }

  private static void append(StringBuilder text, String utterance) {
    if (!utterance.isBlank()) {
      text.append(text.length() > 0 ? " " : "").append(utterance.trim());
    }
  }

  /** The phrases of {@code phrases.txt} ({@code slug|text}), each with its WAV read into memory. */
  static List<Phrase> phrases(Path audio) throws IOException, UnsupportedAudioFileException {
    List<Phrase> phrases = new ArrayList<>();
    for (String line : Files.readAllLines(audio.resolve("phrases.txt"), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split("\\|", 2);
      byte[] wav = Files.readAllBytes(audio.resolve(parts[0] + ".wav"));
      AudioFileFormat file = AudioSystem.getAudioFileFormat(new ByteArrayInputStream(wav));
      phrases.add(new Phrase(parts[0], parts[1], wav, file.getFrameLength() / file.getFormat().getFrameRate()));
    }
    if (phrases.isEmpty()) {
      throw new IllegalStateException("no phrases in " + audio.resolve("phrases.txt"));
    }
    return phrases;
  }

  /** The directory a system property names (or its default), which must hold {@code marker}. */
  private static Path directory(String property, String fallback, String marker, String what, String how) {
    Path directory = Path.of(System.getProperty(property, fallback)).toAbsolutePath();
    if (!Files.exists(directory.resolve(marker))) {
      throw new IllegalStateException("speech harness: no " + what + " at " + directory + " (it has no " + marker
          + "); " + how + ". Run from the repository root, or set -D" + property + "=DIR");
    }
    return directory;
  }
}
