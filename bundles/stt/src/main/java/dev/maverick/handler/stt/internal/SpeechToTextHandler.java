package dev.maverick.handler.stt.internal;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.QueueFullException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import javax.sound.sampled.AudioInputStream;

/**
 * Offline speech to text with Vosk, a port and extension of the seed's {@code STTHandler}.
 *
 * <p>Fed items (WAV/AIFF/AU bytes, an {@code AudioChunk}, or a file path) are checked at feed time
 * and transcribed on the worker threads, one result per item. In producer mode ({@code source =
 * microphone} or {@code file:<path>}) a source thread publishes a result per utterance it hears,
 * as the seed does. Every result is the seed's map: {@code {"type": "audio", "data": text, "ts":
 * epoch seconds, "client_id": ...}}, plus {@code partial}, {@code source} and
 * {@code audio_seconds}.
 */
final class SpeechToTextHandler extends ArchitectureHandler<Object, Map<String, Object>> {
  /** The {@code handler.kind} of speech-to-text handlers. */
  static final String KIND = "stt";

  private static final Duration PRODUCER_STOP_TIMEOUT = Duration.ofSeconds(5);

  private final ModelLibrary library;
  private final SttJson json = new SttJson();
  private final Object producerLock = new Object();
  private final Object pinLock = new Object();
  private final DoubleAdder audioSeconds = new DoubleAdder();
  private final LongAdder recognitionNanos = new LongAdder();
  private volatile SttSettings settings;
  private volatile String modelProblem;
  private final AtomicInteger modelWaits = new AtomicInteger();
  private Producer producer; // guarded by producerLock
  private boolean producing; // guarded by producerLock: between startUp and shutDown
  private VoskModels.Lease pin; // guarded by pinLock: keeps the handler's model loaded between items

  /**
   * Creates a handler; starts no thread and loads no model (both happen on first use).
   *
   * @throws dev.maverick.handler.InvalidConfigurationException if a key of the handler's own is bad
   */
  SpeechToTextHandler(HandlerConfig config, ModelLibrary library) {
    super(config);
    this.settings = SttSettings.from(config, json);
    this.library = library;
  }

  /** The settings in force. */
  SttSettings settings() {
    return settings;
  }

  /** Nothing is recognized any more: let go of the model this handler kept loaded. */
  @Override
  protected void afterClose() {
    releaseModel();
  }

  private void releaseModel() {
    synchronized (pinLock) {
      if (pin != null) {
        pin.close();
        pin = null;
      }
    }
  }

  // ---- the worker path -------------------------------------------------------------------------

  @Override
  protected boolean validateItem(Object item, Map<String, ?> extra) {
    if (!super.validateItem(item, extra)) {
      return false;
    }
    try {
      AudioInputs.probe(item, settings.maxAudio(), settings.audioDirs());
    } catch (InvalidItemException e) {
      throw new InvalidItemException("handler '" + name() + "': " + e.getMessage(), e.getCause());
    }
    return true;
  }

  @Override
  protected Map<String, Object> generateResults(Object item, Map<String, ?> extra) {
    SttSettings current = settings;
    long maxBytes = current.maxAudio().toMillis() * current.sampleRate() * 2 / 1000;
    try (VoskModels.Lease model = model(current);
         AudioInputStream pcm = AudioInputs.open(item, AudioInputs.target(current.sampleRate()), current.audioDirs())) {
      Recognition.Transcript transcript =
          Recognition.transcribe(model.model(), pcm, current.sampleRate(), current.grammar(), maxBytes, json);
      recognized(transcript.audioSeconds(), transcript.nanos());
      return result(transcript.text(), false, "feed", transcript.audioSeconds());
    } catch (IOException e) {
      throw new UncheckedIOException("handler '" + name() + "': cannot transcribe " + describe(item) + ": "
          + e.getMessage(), e);
    }
  }

  // ---- producer mode ---------------------------------------------------------------------------

  @Override
  protected void startUp() {
    synchronized (producerLock) {
      producing = true;
      startProducer(settings);
    }
  }

  @Override
  protected void shutDown() {
    synchronized (producerLock) {
      producing = false;
      stopProducer();
    }
  }

  @Override
  protected void configurationChanged(HandlerConfig previous, HandlerConfig current) {
    SttSettings before = settings;
    SttSettings after = SttSettings.from(current, json);
    settings = after;
    if (!before.modelPath().equals(after.modelPath())) {
      modelProblem = null;
      releaseModel(); // items in flight hold their own use; the next one loads the new model
    }
    if (after.producerDiffers(before)) {
      synchronized (producerLock) {
        if (producing) {
          stopProducer();
          startProducer(after);
        }
      }
    }
  }

  @Override
  protected Map<String, Object> statsDetails() {
    SttSettings current = settings;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("source", current.sourceName());
    String sourceState;
    synchronized (producerLock) {
      sourceState = producer != null ? producer.state()
          : current.source() == SttSettings.Source.NONE ? "off" : "not started";
    }
    details.put("source_state", sourceState);
    details.put("mode", current.modeName());
    details.put("model", library.describe(current));
    details.put("model_state", modelState());
    double audio = audioSeconds.sum();
    double busy = recognitionNanos.sum() / 1e9;
    details.put("audio_seconds", round(audio));
    details.put("recognition_seconds", round(busy));
    details.put("real_time_factor", audio > 0 ? round(busy / audio) : null);
    return details;
  }

  private void startProducer(SttSettings current) {
    if (current.source() == SttSettings.Source.NONE) {
      return;
    }
    producer = new Producer(current, json, new Producer.Sink() {
      @Override
      public void publish(String text, boolean partial, String source, double seconds) {
        try {
          publishResult(result(text, partial, source, seconds), Map.of());
        } catch (QueueFullException counted) {
          // overflow_policy=fail: the result is counted as dropped; the microphone goes on
        }
      }

      @Override
      public void failed(String context, Throwable error) {
        recordError(context, error);
      }

      @Override
      public VoskModels.Lease model(SttSettings settings) {
        return SpeechToTextHandler.this.model(settings);
      }

      @Override
      public void recognized(double seconds, long nanos) {
        SpeechToTextHandler.this.recognized(seconds, nanos);
      }

      @Override
      public String name() {
        return SpeechToTextHandler.this.name();
      }
    });
    producer.start(threadFactory("source"));
  }

  private void stopProducer() {
    if (producer != null) {
      producer.stop(PRODUCER_STOP_TIMEOUT);
      producer = null;
    }
  }

  // ---- models ------------------------------------------------------------------------------

  /** A use of the settings' model, which this handler also keeps loaded until its model changes. */
  private VoskModels.Lease model(SttSettings current) {
    VoskModels.Lease lease;
    modelWaits.incrementAndGet(); // the stats say "copying" or "loading" meanwhile; later items wait in the queue
    try {
      lease = library.acquire(current);
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

  private String modelState() {
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

  // ---- results -----------------------------------------------------------------------------

  private void recognized(double seconds, long nanos) {
    audioSeconds.add(seconds);
    recognitionNanos.add(nanos);
  }

  private Map<String, Object> result(String text, boolean partial, String source, double seconds) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("type", "audio");
    result.put("data", text);
    result.put("ts", System.currentTimeMillis() / 1000.0);
    result.put("client_id", clientId());
    result.put("partial", partial);
    result.put("source", source);
    result.put("audio_seconds", round(seconds));
    return result;
  }

  private static String describe(Object item) {
    if (item instanceof byte[] bytes) {
      return bytes.length + " bytes of audio";
    }
    return String.valueOf(item);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
