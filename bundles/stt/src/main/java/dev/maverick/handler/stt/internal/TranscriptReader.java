package dev.maverick.handler.stt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a RealtimeSTT server sends on its data socket and publishes the transcripts:
 * {@code fullSentence} as a final result, {@code realtime} (when partial results are asked for)
 * as a partial one, each partial only when its text differs from the previous one (the server
 * repeats itself). Events are counted or used, never published.
 *
 * <p>Results are not tied to the chunks that were sent: the server decides where an utterance
 * ends. A final result carries the seconds of audio sent since the previous final, and the source
 * ({@code feed}, {@code microphone}, {@code file}) of the latest audio sent.
 *
 * <p>The server sends everything to every data client and feeds all their audio to one
 * recognizer. A {@code recording_start} that follows no audio of ours (none sent in the last
 * {@value #FOREIGN_WINDOW_SECONDS} s) can only come from another client's audio: it is counted
 * ({@code foreign_speech}) and warned about, as its transcripts will be published as ours.
 */
final class TranscriptReader implements ServerLink.Messages {
  /** Seconds after our last audio within which a {@code recording_start} may be ours. */
  static final long FOREIGN_WINDOW_SECONDS = 3;
  private static final long WARNING_NANOS = TimeUnit.MINUTES.toNanos(5);
  private static final double BYTES_PER_SECOND = AudioFrames.SAMPLE_RATE * 2.0;
  private static final Logger LOG = LoggerFactory.getLogger(TranscriptReader.class);

  /** Where transcripts go: the handler's {@code publishResult}. */
  interface Publisher {
    void publish(String text, boolean partial, String source, double audioSeconds);
  }

  private final SttJson json;
  private final boolean partials;
  private final Publisher publisher;
  private final String name;
  private final String dataUrl;
  private final AtomicLong finals = new AtomicLong();
  private final AtomicLong partialsReceived = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong foreignSpeech = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong bytesSinceFinal = new AtomicLong();
  private volatile long lastSentNanos;
  private volatile boolean sentAny;
  private volatile String lastSource = "feed";
  private volatile boolean recording;
  private volatile long lastForeignNanos;
  private volatile String lastMalformed;
  private String lastPartial = ""; // the socket's callbacks run one at a time

  TranscriptReader(SttJson json, boolean partials, Publisher publisher, String name, String dataUrl) {
    this.json = json;
    this.partials = partials;
    this.publisher = publisher;
    this.name = name;
    this.dataUrl = dataUrl;
  }

  /** The sender sent {@code bytes} of {@code source}'s samples. */
  void sent(String source, int bytes) {
    lastSource = source;
    bytesSent.addAndGet(bytes);
    bytesSinceFinal.addAndGet(bytes);
    lastSentNanos = System.nanoTime();
    sentAny = true;
  }

  @Override
  public void received(String text) {
    JsonNode message;
    try {
      message = json.read(text);
    } catch (IllegalArgumentException e) {
      malformed.incrementAndGet();
      lastMalformed = e.getMessage();
      return;
    }
    switch (message.path("type").asText("")) {
      case "realtime" -> partial(message.path("text").asText("").trim());
      case "fullSentence" -> {
        finals.incrementAndGet();
        lastPartial = "";
        recording = false;
        double seconds = bytesSinceFinal.getAndSet(0) / BYTES_PER_SECOND;
        String sentence = message.path("text").asText("").trim();
        if (!sentence.isEmpty()) { // as the seed: silence or noise publishes nothing
          publisher.publish(sentence, false, lastSource, seconds);
        }
      }
      case "recording_start" -> {
        recording = true;
        if (!sentAny || System.nanoTime() - lastSentNanos > TimeUnit.SECONDS.toNanos(FOREIGN_WINDOW_SECONDS)) {
          if (foreignSpeech.incrementAndGet() == 1) {
            LOG.warn("[{}] {}", name, foreignWarning());
          }
          lastForeignNanos = System.nanoTime();
        }
      }
      default -> {
        // recording_stop, vad_detect_*, wakeword_*, transcription_start, turn detection: nothing to publish
      }
    }
  }

  private void partial(String text) {
    partialsReceived.incrementAndGet();
    if (partials && !text.isEmpty() && !text.equals(lastPartial)) {
      lastPartial = text;
      publisher.publish(text, true, lastSource, bytesSinceFinal.get() / BYTES_PER_SECOND);
    }
  }

  /** True between a {@code recording_start} and its {@code fullSentence}: a transcript is due. */
  boolean transcriptDue() {
    return recording;
  }

  /** Nanoseconds since audio was last sent, or -1 if none was. */
  long sinceLastSent() {
    return sentAny ? System.nanoTime() - lastSentNanos : -1;
  }

  long bytesSent() {
    return bytesSent.get();
  }

  long finals() {
    return finals.get();
  }

  long partials() {
    return partialsReceived.get();
  }

  long malformed() {
    return malformed.get();
  }

  long foreignSpeech() {
    return foreignSpeech.get();
  }

  /** What the messages show is wrong: another client's speech (for five minutes), messages not understood. */
  List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (foreignSpeech.get() > 0 && System.nanoTime() - lastForeignNanos < WARNING_NANOS) {
      warnings.add(foreignWarning() + " (" + foreignSpeech.get() + " time(s))");
    }
    String bad = lastMalformed;
    if (bad != null) {
      warnings.add(malformed.get() + " message(s) from " + dataUrl + " were not JSON; the last: " + bad);
    }
    return warnings;
  }

  private String foreignWarning() {
    return "the server at " + dataUrl + " heard speech this handler did not send (recording_start with no "
        + "audio of ours in the last " + FOREIGN_WINDOW_SECONDS + " s): another client is feeding it, and its "
        + "transcripts are published as this handler's";
  }
}
