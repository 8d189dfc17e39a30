package dev.maverick.handler.stt.internal;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.QueueFullException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sound.sampled.AudioInputStream;

/**
 * Speech to text, a port and extension of the seed's {@code STTHandler}, with two engines: Vosk in
 * this process ({@code engine = vosk}, the default) or a RealtimeSTT server ({@code realtimestt},
 * what the seed's handler talks to).
 *
 * <p>Fed items (WAV/AIFF/AU bytes, raw PCM described by its extras, an {@code AudioChunk}, or a
 * file path under {@code audio_dirs}) are checked at feed time and handled on the worker threads.
 * With Vosk each item is transcribed whole: one result per item. With RealtimeSTT an item is
 * processed once its audio has been sent to the server; the server's transcripts come back on
 * their own and are published as they arrive ({@link #publishResult}), as in producer mode
 * ({@code source = microphone} or {@code file:<path>}), where a source thread streams live audio to
 * the engine. Every result is the seed's map: {@code {"type": "audio", "data": text, "ts": epoch
 * seconds, "client_id": ...}}, plus {@code partial}, {@code source}, {@code audio_seconds} and
 * {@code engine}, whatever the engine.
 */
final class SpeechToTextHandler extends ArchitectureHandler<Object, Map<String, Object>> {
  /** The {@code handler.kind} of speech-to-text handlers. */
  static final String KIND = "stt";

  private static final Duration PRODUCER_STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REPLACED_ENGINE_LINGER = Duration.ofSeconds(1);

  /** The settings and the RealtimeSTT engine (null with Vosk) in force, read together. */
  private record Setup(SttSettings settings, RealtimeSttEngine realtime) {}

  private final SttJson json = new SttJson();
  private final VoskEngine vosk;
  private final Object producerLock = new Object();
  private final Object engineLock = new Object();
  private volatile Setup setup;
  private Producer producer; // guarded by producerLock
  private boolean producing; // guarded by producerLock: between startUp and shutDown
  private boolean engineStarted; // guarded by engineLock

  /**
   * Creates a handler; starts no thread, loads no model and opens no connection (all on first use
   * or at {@code start()}).
   *
   * @throws dev.maverick.handler.InvalidConfigurationException if a key of the handler's own is bad,
   *     or its RealtimeSTT server is used by another handler
   */
  SpeechToTextHandler(HandlerConfig config, ModelLibrary library) {
    super(config);
    this.vosk = new VoskEngine(library, json);
    SttSettings settings = SttSettings.from(config, json);
    this.setup = new Setup(settings, realtimeEngine(settings));
  }

  /** The settings in force. */
  SttSettings settings() {
    return setup.settings();
  }

  // ---- the worker path -------------------------------------------------------------------------

  @Override
  protected boolean validateItem(Object item, Map<String, ?> extra) {
    if (!super.validateItem(item, extra)) {
      return false;
    }
    SttSettings settings = setup.settings();
    try {
      AudioInputs.probe(AudioInputs.described(item, extra), settings.maxAudio(), settings.audioDirs());
    } catch (InvalidItemException e) {
      throw new InvalidItemException("handler '" + name() + "': " + e.getMessage(), e.getCause());
    }
    return true;
  }

  /**
   * Transcribes an item with Vosk, or sends it to the RealtimeSTT server (then there is no result
   * here: the server's transcripts are published as they come).
   */
  @Override
  protected Map<String, Object> generateResults(Object item, Map<String, ?> extra) {
    Setup current = setup;
    SttSettings settings = current.settings();
    Object audio = AudioInputs.described(item, extra);
    try (AudioInputStream pcm = AudioInputs.open(audio, AudioInputs.target(settings.audioRate()),
        settings.audioDirs())) {
      if (current.realtime() != null) {
        long maxBytes = settings.maxAudio().toMillis() * settings.audioRate() * 2 / 1000;
        current.realtime().send(AudioInputs.limited(pcm, maxBytes));
        return null;
      }
      Recognition.Transcript transcript = vosk.transcribe(pcm, settings);
      return result(transcript.text(), false, "feed", transcript.audioSeconds(), settings);
    } catch (IOException e) {
      throw new UncheckedIOException("handler '" + name() + "': cannot transcribe " + describe(item) + ": "
          + e.getMessage(), e);
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  @Override
  protected void startUp() {
    synchronized (engineLock) {
      engineStarted = true;
      if (setup.realtime() != null) {
        setup.realtime().start();
      }
    }
    synchronized (producerLock) {
      producing = true;
      startProducer(setup.settings());
    }
  }

  @Override
  protected void shutDown() {
    synchronized (producerLock) {
      producing = false;
      stopProducer();
    }
  }

  /**
   * Nothing is sent or recognized any more: the RealtimeSTT engine waits (up to
   * {@code shutdown_timeout}) for the transcript of the audio it sent last, then disconnects; Vosk
   * lets go of its model.
   */
  @Override
  protected void afterClose() {
    RealtimeSttEngine realtime;
    synchronized (engineLock) {
      realtime = setup.realtime();
    }
    try {
      if (realtime != null) {
        realtime.close(config().shutdownTimeout());
      }
    } finally {
      vosk.close();
    }
  }

  @Override
  protected void configurationChanged(HandlerConfig previous, HandlerConfig current) {
    SttSettings before = setup.settings();
    SttSettings after = SttSettings.from(current, json);
    RealtimeSttEngine replaced = null;
    synchronized (engineLock) {
      RealtimeSttEngine engine = setup.realtime();
      // a new name too: the engine's claim on its server, its threads and its logs carry the name
      if (before.engine() != after.engine() || !before.realtime().equals(after.realtime())
          || before.partialResults() != after.partialResults() || !previous.name().equals(current.name())) {
        replaced = engine;
        engine = realtimeEngine(after);
        if (engine != null && engineStarted) {
          engine.start();
        }
      }
      setup = new Setup(after, engine);
    }
    if (replaced != null) {
      replaced.close(REPLACED_ENGINE_LINGER); // an item being sent on it now fails (engine_disconnected)
    }
    if (!before.modelPath().equals(after.modelPath())) {
      vosk.modelChanged();
    }
    if (after.producerDiffers(before) || replaced != null) { // a live stream sends to the engine in force
      synchronized (producerLock) {
        if (producing) {
          stopProducer();
          startProducer(after);
        }
      }
    }
  }

  private RealtimeSttEngine realtimeEngine(SttSettings settings) {
    if (settings.engine() != SttSettings.Engine.REALTIMESTT) {
      return null;
    }
    return new RealtimeSttEngine(settings.realtime(), name(), json, settings.partialResults(),
        (text, partial, source, seconds) -> publish(text, partial, source, seconds),
        new RealtimeSttEngine.Threads(engineThreads("connection"), engineThreads("sender"),
            engineThreads("websocket")));
  }

  /**
   * Threads of the RealtimeSTT engine, named after the handler. Not the core's tracked threads:
   * the engine must outlive the workers' drain at close (queued items are still sent), and the
   * core looks for leftover threads before {@link #afterClose()}, where the engine stops and joins
   * them. (A core hook between the drain and that look would let them be tracked.)
   */
  private ThreadFactory engineThreads(String role) {
    AtomicInteger count = new AtomicInteger();
    String prefix = name() + "-" + role + "-";
    return task -> {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      thread.setUncaughtExceptionHandler((dead, error) ->
          recordError("thread " + dead.getName() + " ended with an uncaught error", error));
      return thread;
    };
  }

  // ---- stats -------------------------------------------------------------------------------------

  @Override
  protected Map<String, Object> statsDetails() {
    Setup current = setup;
    SttSettings settings = current.settings();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("engine", settings.engine().key());
    details.put("source", settings.sourceName());
    String sourceState;
    synchronized (producerLock) {
      sourceState = producer != null ? producer.state()
          : settings.source() == SttSettings.Source.NONE ? "off" : "not started";
    }
    details.put("source_state", sourceState);
    List<String> warnings = new ArrayList<>();
    if (current.realtime() != null) {
      details.putAll(current.realtime().details());
      @SuppressWarnings("unchecked")
      List<String> engineWarnings = (List<String>) details.get(HandlerStats.WARNINGS);
      warnings.addAll(engineWarnings);
    } else {
      details.putAll(vosk.details(settings));
      warnings.addAll(vosk.warnings());
    }
    if (sourceState.startsWith("failed") || sourceState.startsWith("no ")) {
      warnings.add("the " + settings.sourceName() + " source: " + sourceState);
    }
    details.put(HandlerStats.WARNINGS, List.copyOf(warnings)); // the admin's health check warns with each
    return details;
  }

  // ---- producer mode -------------------------------------------------------------------------------

  private void startProducer(SttSettings settings) {
    if (settings.source() == SttSettings.Source.NONE) {
      return;
    }
    producer = new Producer(settings, new Producer.Sink() {
      @Override
      public Producer.AudioStream open(String source) {
        Setup current = setup;
        RealtimeSttEngine realtime = current.realtime();
        if (realtime == null) {
          return vosk.stream(settings, source, SpeechToTextHandler.this::publish);
        }
        return new Producer.AudioStream() {
          @Override
          public void accept(byte[] samples, int length) {
            realtime.live(samples, length, source);
          }

          @Override
          public void end() {
            realtime.liveEnded(source);
          }

          @Override
          public void close() {
            // the engine outlives the stream
          }
        };
      }

      @Override
      public void failed(String context, Throwable error) {
        recordError(context, error);
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

  // ---- results -----------------------------------------------------------------------------------

  /** Publishes a transcript that no fed item returns: a producer's, or a RealtimeSTT server's. */
  private void publish(String text, boolean partial, String source, double seconds) {
    try {
      publishResult(result(text, partial, source, seconds, setup.settings()), Map.of());
    } catch (QueueFullException counted) {
      // overflow_policy=fail: the result is counted as dropped; the source goes on
    }
  }

  private Map<String, Object> result(String text, boolean partial, String source, double seconds,
      SttSettings settings) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("type", "audio");
    result.put("data", text);
    result.put("ts", System.currentTimeMillis() / 1000.0);
    result.put("client_id", clientId());
    result.put("partial", partial);
    result.put("source", source);
    result.put("audio_seconds", Math.round(seconds * 1000) / 1000.0);
    result.put("engine", settings.engine().key());
    return result;
  }

  private static String describe(Object item) {
    if (item instanceof byte[] bytes) {
      return bytes.length + " bytes of audio";
    }
    return String.valueOf(item);
  }
}
