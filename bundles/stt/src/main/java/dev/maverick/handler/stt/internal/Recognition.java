package dev.maverick.handler.stt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * One recognition stream over a shared model: a Vosk {@link Recognizer}, which is not thread-safe
 * and is used by one thread only. Vosk reports an utterance as finished when it hears its end (an
 * endpoint: enough silence), so a stream yields zero or more utterances.
 */
final class Recognition implements AutoCloseable {
  /** 0.25 s of 16 kHz 16-bit mono: fed audio goes in steps of this size. */
  static final int STEP_BYTES = 8000;

  private final Recognizer recognizer;
  private final SttJson json;

  /**
   * Makes a recognizer: dictation over the model's whole vocabulary, or command recognition
   * limited to {@code grammar}'s words.
   *
   * @throws ModelUnavailableException if Vosk refuses (it returns no recognizer, e.g. for a grammar
   *     the model cannot compile)
   */
  Recognition(Model model, float sampleRate, List<String> grammar, SttJson json) {
    this.json = json;
    Recognizer made;
    try {
      made = grammar.isEmpty() ? new Recognizer(model, sampleRate)
          : new Recognizer(model, sampleRate, json.phrases(grammar));
    } catch (IOException e) {
      throw new ModelUnavailableException("Vosk could not make a recognizer: " + e.getMessage(), e);
    }
    // the grammar constructor does not check: a null handle would crash the JVM on first use
    if (made.getPointer() == null) {
      throw new ModelUnavailableException("Vosk could not make a recognizer"
          + (grammar.isEmpty() ? "" : " for the grammar " + json.phrases(grammar)));
    }
    this.recognizer = made;
  }

  /**
   * Feeds samples (16-bit mono PCM at the recognizer's rate).
   *
   * @return the text of an utterance that just ended, or null while one goes on
   */
  String accept(byte[] samples, int length) {
    return recognizer.acceptWaveForm(samples, length) ? text(recognizer.getResult(), "text") : null;
  }

  /** The text so far of the utterance under way ("" for none). */
  String partial() {
    return text(recognizer.getPartialResult(), "partial");
  }

  /** Ends the stream: the text of the last utterance ("" for none). */
  String finish() {
    return text(recognizer.getFinalResult(), "text");
  }

  @Override
  public void close() {
    recognizer.close();
  }

  /**
   * Transcribes a whole stream: the utterances' texts, joined by a space.
   *
   * @param maxBytes the most audio to take; more is an error
   * @throws IOException if the stream fails, or holds more than {@code maxBytes}
   */
  static Transcript transcribe(Model model, InputStream pcm, float sampleRate, List<String> grammar, long maxBytes,
      SttJson json) throws IOException {
    long start = System.nanoTime();
    StringBuilder text = new StringBuilder();
    long total = 0;
    try (Recognition recognition = new Recognition(model, sampleRate, grammar, json)) {
      byte[] buffer = new byte[STEP_BYTES];
      int read;
      while ((read = readFully(pcm, buffer)) > 0) {
        total += read;
        if (total > maxBytes) {
          throw new IOException(String.format(Locale.ROOT, "the audio is longer than max_audio_seconds=%.1f",
              maxBytes / (2.0 * sampleRate)));
        }
        append(text, recognition.accept(buffer, read));
      }
      append(text, recognition.finish());
    }
    return new Transcript(text.toString(), total / (2.0 * sampleRate), System.nanoTime() - start);
  }

  /**
   * What a transcription gave.
   *
   * @param text the words, lower case; "" for silence
   * @param audioSeconds how much audio was recognized
   * @param nanos how long it took
   */
  record Transcript(String text, double audioSeconds, long nanos) {}

  /** Reads until the buffer is full or the stream ends: Vosk wants whole samples. */
  static int readFully(InputStream in, byte[] buffer) throws IOException {
    int filled = 0;
    while (filled < buffer.length) {
      int read = in.read(buffer, filled, buffer.length - filled);
      if (read < 0) {
        break;
      }
      filled += read;
    }
    return filled - (filled & 1);
  }

  private static void append(StringBuilder text, String utterance) {
    if (utterance != null && !utterance.isEmpty()) {
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(utterance);
    }
  }

  /** A field of one of Vosk's result objects, e.g. {@code {"text" : "..."}} (with spaces and newlines). */
  private String text(String result, String field) {
    return json.text(result, field).trim();
  }
}
