package dev.maverick.handler.stt.testing;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fake server's "recognizer": it hears speech by energy and says what a script tells it.
 *
 * <p>Samples (16 kHz, 16-bit) are cut into 20 ms windows; a window whose RMS is above
 * {@value #SPEECH_RMS} is speech. The first speech window starts an utterance
 * ({@code recording_start}); every {@value #PARTIAL_WINDOWS} speech windows a {@code realtime}
 * message carries one more word of the utterance's sentence, sent twice (the real server repeats
 * itself); {@value #END_WINDOWS} silent windows in a row (300 ms) end it: {@code recording_stop},
 * {@code transcription_start} and {@code fullSentence} with the whole sentence. Sentences come
 * from the script, one per utterance, in order; when the script is empty an utterance is
 * {@code "utterance N"}. The espeak fixtures (phrases padded with 0.5 s of silence) make one
 * utterance per phrase.
 */
public final class FakeRecognizer {
  /** RMS above which a 20 ms window is speech (the fixtures' speech is around 3000 to 8000). */
  public static final double SPEECH_RMS = 300;
  /** Silent windows that end an utterance: 300 ms. */
  public static final int END_WINDOWS = 15;
  /** Speech windows between partial texts: 200 ms. */
  public static final int PARTIAL_WINDOWS = 10;
  private static final int WINDOW_SAMPLES = 320;

  private final Consumer<Map<String, Object>> out;
  private final Deque<String> script = new ArrayDeque<>();
  private final short[] window = new short[WINDOW_SAMPLES];
  private int filled;
  private int carry = -1; // a low byte waiting for its high byte
  private boolean inUtterance;
  private int silentRun;
  private int speechWindows;
  private int wordsShown;
  private String sentence;
  private int utterances;

  /** @param out where messages go (the server broadcasts them) */
  FakeRecognizer(Consumer<Map<String, Object>> out) {
    this.out = out;
  }

  /** Sentences for the next utterances, in order. */
  synchronized void script(String... sentences) {
    script.addAll(Arrays.asList(sentences));
  }

  /** Utterances heard so far. */
  synchronized int utterances() {
    return utterances;
  }

  /** Samples, little-endian 16-bit; a sample may straddle two calls. */
  synchronized void feed(byte[] pcm) {
    for (byte b : pcm) {
      if (carry < 0) {
        carry = b & 0xff;
        continue;
      }
      window[filled++] = (short) ((b << 8) | carry);
      carry = -1;
      if (filled == WINDOW_SAMPLES) {
        filled = 0;
        window(isSpeech());
      }
    }
  }

  /** A data client went away: the real server clears its audio queue; an utterance under way is lost. */
  synchronized void clear() {
    filled = 0;
    carry = -1;
    inUtterance = false;
    silentRun = 0;
  }

  private boolean isSpeech() {
    double sum = 0;
    for (short sample : window) {
      sum += (double) sample * sample;
    }
    return Math.sqrt(sum / WINDOW_SAMPLES) > SPEECH_RMS;
  }

  private void window(boolean speech) {
    if (!inUtterance) {
      if (speech) {
        inUtterance = true;
        utterances++;
        sentence = script.isEmpty() ? "utterance " + utterances : script.poll();
        speechWindows = 1;
        silentRun = 0;
        wordsShown = 0;
        out.accept(Map.of("type", "recording_start"));
      }
      return;
    }
    if (speech) {
      silentRun = 0;
      if (++speechWindows % PARTIAL_WINDOWS == 0) {
        List<String> words = List.of(sentence.split(" "));
        wordsShown = Math.min(wordsShown + 1, words.size());
        Map<String, Object> partial = Map.of("type", "realtime", "text", String.join(" ", words.subList(0, wordsShown)));
        out.accept(partial);
        out.accept(partial);
      }
      return;
    }
    if (++silentRun >= END_WINDOWS) {
      inUtterance = false;
      out.accept(Map.of("type", "recording_stop"));
      out.accept(Map.of("type", "transcription_start", "audio_bytes_base64", ""));
      out.accept(Map.of("type", "fullSentence", "text", sentence));
    }
  }
}
