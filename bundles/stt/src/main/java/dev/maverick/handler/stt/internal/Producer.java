package dev.maverick.handler.stt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of a handler in producer mode: one thread that takes audio from the microphone, or
 * from a file replayed at its own pace, and streams it to the handler's engine in steps of
 * {@value #LIVE_STEP_BYTES} bytes: Vosk recognizes it here and publishes each utterance (and, if
 * asked, partial text); the RealtimeSTT engine sends it to its server.
 *
 * <p>A missing microphone is a state, not a failure: it is logged once, shown in the stats, and
 * looked for again every {@code microphone_retry} seconds (never, when zero: the thread then
 * ends). Between looks the thread waits on a monitor, so it costs no CPU. A file that has been
 * replayed leaves the state {@code finished}.
 */
final class Producer implements Runnable {
  /** 0.1 s of 16 kHz 16-bit mono: live audio is recognized in steps of this size, for low latency. */
  static final int LIVE_STEP_BYTES = 3200;

  private static final Logger LOG = LoggerFactory.getLogger(Producer.class);
  private static final float[] FALLBACK_RATES = {48000f, 44100f, 32000f, 22050f, 16000f, 8000f};

  /** Where one stream of live audio goes: a recognizer, or the server. */
  interface AudioStream extends AutoCloseable {
    /** One step of 16-bit mono samples at the configured rate. */
    void accept(byte[] samples, int length) throws IOException;

    /** The audio ended (a replayed file's end, or a line that closed): finish the last utterance. */
    void end();

    @Override
    void close();
  }

  /** Where the producer's audio and failures go: the handler. */
  interface Sink {
    /**
     * A stream for audio from {@code source} ({@code microphone} or {@code file}).
     *
     * @throws ModelUnavailableException if the engine has no model to recognize it with
     */
    AudioStream open(String source);

    /** Counts and logs a failure of the source. */
    void failed(String context, Throwable error);

    /** The handler's name, for logs. */
    String name();
  }

  /** No capture device can be used (none, none matching, or busy): a state, retried. */
  private static final class NoMicrophoneException extends Exception {
    private static final long serialVersionUID = 1L;

    NoMicrophoneException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final SttSettings settings;
  private final Sink sink;
  private final Object monitor = new Object();
  private volatile String state = "starting";
  private volatile boolean stopped;
  private volatile TargetDataLine line;
  private Thread thread;

  Producer(SttSettings settings, Sink sink) {
    this.settings = settings;
    this.sink = sink;
  }

  /** Starts the producer thread. */
  void start(ThreadFactory threads) {
    thread = threads.newThread(this);
    thread.start();
  }

  /** Stops the thread and waits up to {@code timeout} for it to end. */
  void stop(Duration timeout) {
    stopped = true;
    synchronized (monitor) {
      monitor.notifyAll();
    }
    TargetDataLine open = line;
    if (open != null) {
      open.close(); // unblocks a read
    }
    Thread running = thread;
    if (running != null && running != Thread.currentThread()) {
      running.interrupt();
      try {
        TimeUnit.NANOSECONDS.timedJoin(running, timeout.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (running.isAlive()) {
        LOG.warn("[{}] the {} source did not stop within {}", sink.name(), settings.sourceName(), timeout);
      }
    }
    state = "stopped";
  }

  /** What the source is doing, for stats: {@code listening}, {@code no microphone}, ... */
  String state() {
    return state;
  }

  @Override
  public void run() {
    boolean reported = false;
    boolean modelReported = false;
    while (!stopped) {
      AudioInputStream audio;
      String source;
      try {
        if (settings.source() == SttSettings.Source.MICROPHONE) {
          audio = openMicrophone();
          source = "microphone";
        } else {
          audio = AudioInputs.open(settings.sourceFile(), AudioInputs.target(settings.audioRate()), settings.audioDirs());
          source = "file";
        }
      } catch (NoMicrophoneException e) {
        state = "no microphone";
        if (!reported) {
          reported = true;
          LOG.warn("[{}] no microphone: {}; fed audio is still transcribed{}", sink.name(), e.getMessage(),
              settings.microphoneRetry().isZero() ? "" : "; looking again every "
                  + settings.microphoneRetry().toMillis() / 1000.0 + " s");
        } else {
          LOG.debug("[{}] still no microphone: {}", sink.name(), e.getMessage());
        }
        if (settings.microphoneRetry().isZero()) {
          return; // nothing will change: end the thread instead of waiting forever
        }
        pause(settings.microphoneRetry());
        continue;
      } catch (IOException | RuntimeException e) {
        state = "failed: " + e.getMessage();
        sink.failed("the " + settings.sourceName() + " source could not be opened", e);
        return;
      }
      reported = false;
      try {
        state = source.equals("microphone") ? "listening" : "replaying";
        recognize(audio, source);
        if (settings.source() == SttSettings.Source.FILE) {
          state = stopped ? "stopped" : "finished";
          return;
        }
      } catch (ModelUnavailableException e) {
        state = "no model: " + e.getMessage();
        if (!modelReported) {
          modelReported = true;
          sink.failed("the " + settings.sourceName() + " source has no model", e);
        }
        if (settings.microphoneRetry().isZero()) {
          return;
        }
        pause(settings.microphoneRetry());
      } catch (IOException | RuntimeException e) {
        if (stopped) {
          break;
        }
        state = "failed: " + e.getMessage();
        sink.failed("the " + settings.sourceName() + " source failed", e);
        if (settings.source() == SttSettings.Source.FILE || settings.microphoneRetry().isZero()) {
          return;
        }
        pause(settings.microphoneRetry());
      } finally {
        closeQuietly(audio);
        TargetDataLine open = line;
        line = null;
        if (open != null) {
          open.close();
        }
      }
    }
    state = "stopped";
  }

  private void recognize(AudioInputStream audio, String source) throws IOException {
    boolean paced = settings.source() == SttSettings.Source.FILE;
    double bytesPerSecond = settings.audioRate() * 2.0;
    try (AudioStream stream = sink.open(source)) {
      byte[] buffer = new byte[LIVE_STEP_BYTES];
      long started = System.nanoTime();
      long total = 0;
      int read;
      while (!stopped && (read = Recognition.readFully(audio, buffer)) > 0) {
        total += read;
        if (paced && !pauseUntil(started + (long) (total / bytesPerSecond * 1e9))) {
          break; // stopped while replaying
        }
        stream.accept(buffer, read);
      }
      if (!stopped) { // the end of the file, or a line that closed under us: the last utterance
        stream.end();
      }
    }
  }

  private AudioInputStream openMicrophone() throws NoMicrophoneException, IOException {
    AudioFormat target = AudioInputs.target(settings.audioRate());
    Mixer mixer = null;
    if (!settings.inputDevice().isEmpty()) {
      List<String> names = new ArrayList<>();
      for (Mixer.Info info : AudioSystem.getMixerInfo()) {
        Mixer candidate = AudioSystem.getMixer(info);
        if (candidate.getTargetLineInfo().length > 0) {
          names.add(info.getName());
          if (mixer == null && info.getName().toLowerCase(Locale.ROOT)
              .contains(settings.inputDevice().toLowerCase(Locale.ROOT))) {
            mixer = candidate;
          }
        }
      }
      if (mixer == null) {
        throw new NoMicrophoneException("no capture device matches input_device='" + settings.inputDevice()
            + "' (capture devices: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ")", null);
      }
    }
    for (AudioFormat format : candidateFormats(target)) {
      DataLine.Info info = new DataLine.Info(TargetDataLine.class, format);
      boolean supported = mixer == null ? AudioSystem.isLineSupported(info) : mixer.isLineSupported(info);
      if (!supported) {
        continue;
      }
      try {
        TargetDataLine opened = (TargetDataLine) (mixer == null ? AudioSystem.getLine(info) : mixer.getLine(info));
        opened.open(format, (int) (format.getFrameRate() * format.getFrameSize() / 5)); // 0.2 s buffer
        opened.start();
        line = opened;
        if (stopped) {
          opened.close();
        }
        return AudioInputs.convert(new AudioInputStream(opened), target);
      } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
        throw new NoMicrophoneException("the capture line is unavailable: " + e.getMessage(), e);
      }
    }
    throw new NoMicrophoneException(mixer == null
        ? "the system has no capture device (javax.sound.sampled lists " + AudioSystem.getMixerInfo().length
            + " mixers, none with a 16-bit PCM input line)"
        : "'" + mixer.getMixerInfo().getName() + "' has no 16-bit PCM input line", null);
  }

  /** The target format first, then common device formats the JDK converts from. */
  private static List<AudioFormat> candidateFormats(AudioFormat target) {
    List<AudioFormat> formats = new ArrayList<>();
    formats.add(target);
    for (float rate : FALLBACK_RATES) {
      for (int channels = 1; channels <= 2; channels++) {
        formats.add(new AudioFormat(rate, 16, channels, true, false));
      }
    }
    return formats;
  }

  /** Waits without spinning until {@code timeout} passes or the producer stops. */
  private void pause(Duration timeout) {
    pauseUntil(System.nanoTime() + timeout.toNanos());
  }

  /** Waits until the deadline; false if the producer stopped meanwhile. */
  private boolean pauseUntil(long deadlineNanos) {
    synchronized (monitor) {
      long left;
      while (!stopped && (left = deadlineNanos - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(monitor, left);
        } catch (InterruptedException e) {
          if (stopped) {
            break;
          }
        }
      }
    }
    return !stopped;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing to do: the stream was read to its end or the producer stops
    }
  }
}
