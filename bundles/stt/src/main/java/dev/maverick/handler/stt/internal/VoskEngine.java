package dev.maverick.handler.stt.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import javax.sound.sampled.AudioInputStream;

/**
 * Speech to text in this process with Vosk: the {@code vosk} engine of a handler. It takes a use
 * of the settings' model for each item or live stream, and keeps the model loaded between them
 * (a "pin") until the model changes or the handler closes. Models come from the bundle's shared
 * {@link ModelLibrary}, loaded on first use.
 */
final class VoskEngine implements AutoCloseable {
  private final ModelLibrary library;
  private final SttJson json;
  private final Object pinLock = new Object();
  private final AtomicInteger modelWaits = new AtomicInteger();
  private final DoubleAdder audioSeconds = new DoubleAdder();
  private final LongAdder recognitionNanos = new LongAdder();
  private volatile String modelProblem;
  private VoskModels.Lease pin; // guarded by pinLock

  VoskEngine(ModelLibrary library, SttJson json) {
    this.library = library;
    this.json = json;
  }

  /**
   * Transcribes a whole item: its utterances' texts, joined by a space.
   *
   * @throws IOException if the audio cannot be read, or is longer than {@code max_audio_seconds}
   * @throws ModelUnavailableException if there is no usable model
   */
  Recognition.Transcript transcribe(AudioInputStream pcm, SttSettings settings) throws IOException {
    long maxBytes = settings.maxAudio().toMillis() * settings.sampleRate() * 2 / 1000;
    try (VoskModels.Lease model = model(settings)) {
      Recognition.Transcript transcript =
          Recognition.transcribe(model.model(), pcm, settings.sampleRate(), settings.grammar(), maxBytes, json);
      recognized(transcript.audioSeconds(), transcript.nanos());
      return transcript;
    }
  }

  /**
   * A producer's stream, recognized step by step.
   *
   * @throws ModelUnavailableException if there is no usable model
   */
  Producer.AudioStream stream(SttSettings settings, String source, TranscriptReader.Publisher publisher) {
    return new VoskStream(model(settings), settings, json, source, new VoskStream.Output() {
      @Override
      public void publish(String text, boolean partial, String from, double seconds) {
        publisher.publish(text, partial, from, seconds);
      }

      @Override
      public void recognized(double seconds, long nanos) {
        VoskEngine.this.recognized(seconds, nanos);
      }
    });
  }

  /** The model directory changed: the next item loads the new model (items in flight keep theirs). */
  void modelChanged() {
    modelProblem = null;
    releaseModel();
  }

  /** Figures for {@code stats().details()}. */
  Map<String, Object> details(SttSettings settings) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("mode", settings.modeName());
    details.put("model", library.describe(settings));
    details.put("model_state", modelState(settings));
    double audio = audioSeconds.sum();
    double busy = recognitionNanos.sum() / 1e9;
    details.put("audio_seconds", round(audio));
    details.put("recognition_seconds", round(busy));
    details.put("real_time_factor", audio > 0 ? round(busy / audio) : null);
    return details;
  }

  /** What is wrong: no usable model. */
  List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    String problem = modelProblem;
    if (problem != null) {
      warnings.add("no usable speech model: " + problem);
    }
    return warnings;
  }

  /** Lets go of the model kept loaded. */
  @Override
  public void close() {
    releaseModel();
  }

  /** A use of the settings' model, which this engine also keeps loaded until its model changes. */
  private VoskModels.Lease model(SttSettings settings) {
    VoskModels.Lease lease;
    modelWaits.incrementAndGet(); // the stats say "copying" or "loading" meanwhile; later items wait in the queue
    try {
      lease = library.acquire(settings);
    } catch (ModelUnavailableException e) {
      modelProblem = e.getMessage();
      throw e;
    } finally {
      modelWaits.decrementAndGet();
    }
    modelProblem = null;
    synchronized (pinLock) {
      if (pin == null || !pin.directory().equals(lease.directory())) {
        VoskModels.Lease old = pin;
        pin = library.acquire(lease.directory());
        if (old != null) {
          old.close();
        }
      }
    }
    return lease;
  }

  private void releaseModel() {
    synchronized (pinLock) {
      if (pin != null) {
        pin.close();
        pin = null;
      }
    }
  }

  private String modelState(SttSettings settings) {
    String problem = modelProblem;
    if (problem != null) {
      return "unavailable: " + problem;
    }
    Path loaded;
    synchronized (pinLock) {
      loaded = pin == null ? null : pin.directory();
    }
    if (loaded != null) {
      return library.state(loaded);
    }
    return modelWaits.get() > 0 ? library.pendingState(settings) : "not loaded";
  }

  private void recognized(double seconds, long nanos) {
    audioSeconds.add(seconds);
    recognitionNanos.add(nanos);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
