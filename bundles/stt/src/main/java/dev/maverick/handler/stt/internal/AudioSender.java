package dev.maverick.handler.stt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread ({@code <handler>-sender}) that sends audio to the server: the JDK's WebSocket
 * allows one outstanding send at a time, and the audio of one item must not interleave with
 * another's. Workers and the producer hand it {@link Transmission}s; it sends each in order, in
 * chunks of {@value AudioFrames#CHUNK_BYTES} bytes, waiting for every send to complete (at most
 * {@code connect_timeout}: a server that stops reading is a lost connection), and completes the
 * transmission's future with the bytes sent, or fails it with {@link EngineDisconnectedException}.
 */
final class AudioSender implements AutoCloseable {
  /** Live chunks that may wait to be sent (6.4 s of 0.1 s steps); more are dropped. */
  static final int LIVE_BACKLOG = 64;
  private static final double BYTES_PER_SECOND = AudioFrames.SAMPLE_RATE * 2.0;

  /** What the sender reports for every chunk it sends. */
  interface Sent {
    /** {@code bytes} of {@code source}'s samples went out. */
    void sent(String source, int bytes);
  }

  /** Audio to send as one unit. */
  static final class Transmission {
    final InputStream pcm;
    final long silenceBytes;
    final double speed;
    final String source;
    final boolean live;
    final CompletableFuture<Long> done = new CompletableFuture<>();
    private volatile boolean cancelled;

    /**
     * @param pcm 16 kHz mono 16-bit little-endian samples, read and closed by the sender thread
     * @param silenceBytes zero bytes sent after them (so that the server hears the speech end)
     * @param speed pace in multiples of real time; 0 = as fast as the socket takes it
     * @param source {@code feed}, {@code microphone} or {@code file}, for results
     * @param live a live chunk: never waits for a connection under way, and is dropped rather than queued long
     */
    Transmission(InputStream pcm, long silenceBytes, double speed, String source, boolean live) {
      this.pcm = pcm;
      this.silenceBytes = silenceBytes;
      this.speed = speed;
      this.source = source;
      this.live = live;
    }

    /** Stops sending it (its worker was interrupted): it fails at its next chunk. */
    void cancel() {
      cancelled = true;
    }
  }

  private final ServerLink link;
  private final AudioFrames frames;
  private final Duration sendTimeout;
  private final Duration connectWait;
  private final Sent sent;
  private final BlockingQueue<Transmission> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger liveQueued = new AtomicInteger();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param connectWait how long a fed item waits for a connection under way before it is refused
   */
  AudioSender(ServerLink link, AudioFrames frames, Duration sendTimeout, Duration connectWait, Sent sent,
      ThreadFactory threads) {
    this.link = link;
    this.frames = frames;
    this.sendTimeout = sendTimeout;
    this.connectWait = connectWait;
    this.sent = sent;
    this.thread = threads.newThread(this::run);
  }

  void start() {
    thread.start();
  }

  /**
   * Queues a transmission; its future says how it ended. A live chunk beyond
   * {@value #LIVE_BACKLOG} waiting ones, or any transmission after {@link #close()}, fails at once.
   */
  void submit(Transmission transmission) {
    if (transmission.live && liveQueued.incrementAndGet() > LIVE_BACKLOG) {
      liveQueued.decrementAndGet();
      fail(transmission, new EngineDisconnectedException("the sender is " + LIVE_BACKLOG + " live chunks behind "
          + "(the server reads too slowly)"));
      return;
    }
    if (closed || !queue.offer(transmission)) {
      fail(transmission, new EngineDisconnectedException("the handler is closing"));
      return;
    }
    if (closed && queue.remove(transmission)) { // closed meanwhile: close() may have drained before the offer
      fail(transmission, new EngineDisconnectedException("the handler is closing"));
    }
  }

  /** Stops the thread; transmissions not yet sent fail. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(sendTimeout.toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Transmission> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(transmission -> fail(transmission, new EngineDisconnectedException("the handler is closing")));
  }

  private void run() {
    while (!closed) {
      Transmission transmission;
      try {
        transmission = queue.take();
      } catch (InterruptedException e) {
        return; // closing
      }
      if (transmission.live) {
        liveQueued.decrementAndGet();
      }
      send(transmission);
    }
  }

  private void send(Transmission transmission) {
    try (InputStream in = transmission.pcm) {
      WebSocket socket = link.awaitDataSocket(transmission.live ? Duration.ZERO : connectWait);
      if (socket == null) {
        throw new EngineDisconnectedException(link.notConnectedReason());
      }
      Chunks chunks = new Chunks(transmission, socket);
      byte[] buffer = new byte[AudioFrames.CHUNK_BYTES];
      int read;
      while ((read = Recognition.readFully(in, buffer)) > 0) {
        chunks.send(buffer, read);
      }
      byte[] silence = new byte[AudioFrames.CHUNK_BYTES];
      for (long left = transmission.silenceBytes; left > 0; left -= silence.length) {
        chunks.send(silence, (int) Math.min(left, silence.length));
      }
      transmission.done.complete(chunks.bytes);
    } catch (IOException | RuntimeException e) {
      fail(transmission, e);
    } catch (InterruptedException e) {
      fail(transmission, new EngineDisconnectedException("the handler is closing"));
      Thread.currentThread().interrupt();
    }
  }

  private static void fail(Transmission transmission, Exception error) {
    transmission.done.completeExceptionally(error);
  }

  /** The chunks of one transmission, paced and counted. */
  private final class Chunks {
    final Transmission transmission;
    final WebSocket socket;
    final long start = System.nanoTime();
    long bytes;

    Chunks(Transmission transmission, WebSocket socket) {
      this.transmission = transmission;
      this.socket = socket;
    }

    void send(byte[] samples, int length) throws InterruptedException {
      if (transmission.cancelled || closed) {
        throw new EngineDisconnectedException("sending stopped after " + bytes + " bytes (the handler is closing)");
      }
      if (transmission.speed > 0) {
        long due = start + (long) (bytes / (BYTES_PER_SECOND * transmission.speed) * 1e9);
        for (long wait; (wait = due - System.nanoTime()) > 0; ) {
          LockSupport.parkNanos(wait); // real-time pacing of fed audio: the server times silence by the clock
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
        }
      }
      if (link.awaitDataSocket(Duration.ZERO) != socket) {
        throw new EngineDisconnectedException(lostAfter() + link.notConnectedReason());
      }
      try {
        socket.sendBinary(frames.frame(samples, 0, length), true).get(sendTimeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        String reason = e instanceof TimeoutException ? "a send took longer than connect_timeout" : "sending failed: "
            + e.getCause();
        link.lost(socket, reason);
        throw new EngineDisconnectedException(lostAfter() + reason);
      }
      bytes += length;
      sent.sent(transmission.source, length);
    }

    private String lostAfter() {
      return "the connection was lost after " + bytes + " bytes of this audio were sent: ";
    }
  }
}
