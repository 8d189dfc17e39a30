package dev.maverick.handler.stt.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Speech to text on a RealtimeSTT server: the {@code realtimestt} engine of a handler. Fed audio
 * goes to the server through the {@link AudioSender}, whose single thread sends it over the
 * {@link ServerLink}'s data socket; transcripts come back on that socket, asynchronously, and the
 * {@link TranscriptReader} publishes them. A fed item counts as processed when its audio has been
 * sent; it fails with {@link EngineDisconnectedException} when the server cannot be reached.
 */
final class RealtimeSttEngine implements AutoCloseable {
  /** After the last audio, how long the server may take to begin its transcript. */
  private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** The handler's threads the engine runs on. */
  record Threads(ThreadFactory connection, ThreadFactory sender, ThreadFactory sockets) {}

  private final RealtimeSttSettings settings;
  private final ServerClaims.Registration claims;
  private final TranscriptReader reader;
  private final ServerLink link;
  private final AudioSender sender;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicLong liveDropped = new AtomicLong();
  private volatile String lastLiveDrop;

  /**
   * An engine, not started; it claims the server's sockets for the handler.
   *
   * @throws dev.maverick.handler.InvalidConfigurationException if another handler uses that server
   */
  RealtimeSttEngine(RealtimeSttSettings settings, String name, SttJson json, boolean partials,
      TranscriptReader.Publisher publisher, Threads threads) {
    this.settings = settings;
    this.claims = ServerClaims.claim(name, this, settings);
    this.reader = new TranscriptReader(json, partials, publisher, name, settings.dataUrl().toString());
    this.link = new ServerLink(settings, name, json, reader, threads.connection(), threads.sockets());
    // a fed item waits for a connection under way: the handshakes, the check and each setting
    Duration connectWait = settings.connectTimeout().multipliedBy(3L + settings.serverParameters().size()
        + (settings.language().isEmpty() ? 0 : 1)).plusSeconds(1);
    this.sender = new AudioSender(link, new AudioFrames(json), settings.connectTimeout(), connectWait, reader::sent,
        threads.sender());
  }

  /** Starts connecting and the sender; idempotent. */
  void start() {
    if (started.compareAndSet(false, true)) {
      link.start();
      sender.start();
    }
  }

  /** The settings it runs with. */
  RealtimeSttSettings settings() {
    return settings;
  }

  /**
   * Sends a fed item's audio (16 kHz mono 16-bit), then {@code trailing_silence}, at
   * {@code send_speed}, and returns once all of it was sent.
   *
   * @return the bytes of samples sent
   * @throws EngineDisconnectedException if the server is not reachable, or the connection is lost meanwhile
   * @throws UncheckedIOException if the audio cannot be read
   */
  long send(InputStream pcm) {
    start();
    long silence = Math.round(settings.trailingSilence().toNanos() / 1e9 * AudioFrames.SAMPLE_RATE) * 2;
    AudioSender.Transmission transmission = new AudioSender.Transmission(pcm, silence, settings.sendSpeed(), "feed",
        false);
    sender.submit(transmission);
    try {
      return transmission.done.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw new UncheckedIOException("cannot read the audio: " + io.getMessage(), io);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      transmission.cancel();
      Thread.currentThread().interrupt();
      throw new EngineDisconnectedException("interrupted while sending (the handler is closing)");
    }
  }

  /**
   * Sends a step of live audio (a producer's) without waiting; while the server is unreachable it
   * is dropped, counted ({@code live_chunks_dropped}) with its reason.
   */
  void live(byte[] pcm, int length, String source) {
    start();
    byte[] copy = java.util.Arrays.copyOf(pcm, length);
    AudioSender.Transmission transmission = new AudioSender.Transmission(new ByteArrayInputStream(copy), 0, 0,
        source, true);
    transmission.done.whenComplete((bytes, error) -> {
      if (error != null) {
        liveDropped.incrementAndGet();
        lastLiveDrop = error.getMessage();
      }
    });
    sender.submit(transmission);
  }

  /** Live audio ended (a replayed file): silence after it, so that the server ends the last utterance. */
  void liveEnded(String source) {
    long silence = Math.round(settings.trailingSilence().toNanos() / 1e9 * AudioFrames.SAMPLE_RATE) * 2;
    for (long left = silence; left > 0; left -= Producer.LIVE_STEP_BYTES) {
      int step = (int) Math.min(left, Producer.LIVE_STEP_BYTES);
      live(new byte[step], step, source);
    }
  }

  /** The engine's figures for {@code stats().details()}. */
  Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    ServerLink.State state = link.state();
    details.put("connected", state == ServerLink.State.CONNECTED);
    details.put("connection", state.name().toLowerCase(java.util.Locale.ROOT));
    details.put("control_url", settings.controlUrl().toString());
    details.put("data_url", settings.dataUrl().toString());
    details.put("reconnects", link.reconnects());
    details.put("connect_failures", link.connectFailures());
    details.put("bytes_sent", reader.bytesSent());
    details.put("finals", reader.finals());
    details.put("partials", reader.partials());
    details.put("server_errors", link.serverErrors() + reader.malformed());
    details.put("foreign_speech", reader.foreignSpeech());
    details.put("live_chunks_dropped", liveDropped.get());
    details.put(dev.maverick.handler.HandlerStats.WARNINGS, warnings());
    return details;
  }

  private List<String> warnings() {
    List<String> warnings = new ArrayList<>(link.warnings());
    warnings.addAll(reader.warnings());
    String drop = lastLiveDrop;
    if (drop != null && link.state() != ServerLink.State.CONNECTED) {
      warnings.add(liveDropped.get() + " live audio chunk(s) dropped; the last: " + drop);
    }
    return warnings;
  }

  /** Closes at once: see {@link #close(Duration)}. */
  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /**
   * Lets the server finish the transcript of the audio sent last (at most {@code linger}), then
   * closes the sockets and stops the threads, and lets the server's sockets go to another handler.
   */
  void close(Duration linger) {
    try {
      long deadline = System.nanoTime() + linger.toNanos();
      while (System.nanoTime() - deadline < 0 && link.state() == ServerLink.State.CONNECTED && pending()) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      sender.close();
      link.close();
    } finally {
      claims.close();
    }
  }

  /** True while a transcript may still come: the server is in an utterance, or audio went out just now. */
  private boolean pending() {
    long since = reader.sinceLastSent();
    return reader.transcriptDue() || (since >= 0 && since < SETTLE_NANOS);
  }
}
