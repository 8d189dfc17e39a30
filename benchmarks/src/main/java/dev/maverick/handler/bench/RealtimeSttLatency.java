package dev.maverick.handler.bench;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.stt.AudioChunk;
import dev.maverick.handler.stt.internal.SpeechHandlers;
import dev.maverick.handler.stt.testing.FakeRealtimeSttServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark 7, second part: the time from a chunk sent to its transcript published through the
 * {@code realtimestt} engine, against the fake RealtimeSTT server of the stt test jar on loopback
 * (a real server's recognition time is not part of it: this is what the handler and the protocol
 * add).
 *
 * <p>Each item is one utterance the fake hears by energy: 0.4 s of a 440 Hz tone, then exactly
 * the 0.3 s of silence that makes the fake end it, so the item's last chunk is the one that
 * completes the utterance. The item is sent with {@code generate} (as fast as the socket takes it,
 * no trailing silence), which returns once its last chunk has been handed to the socket; the time
 * runs from there to {@code getResult} returning the transcript on the same thread. The fake's
 * own clock also gives the client's share: from the fake sending the {@code fullSentence} to
 * {@code getResult} returning it. Both are medians and 99th percentiles over every utterance,
 * after 50 not counted.
 */
public final class RealtimeSttLatency {
  private static final int WARM_UP = 50;
  private static final int RATE = 16000;

  private RealtimeSttLatency() {}

  /** Runs this part alone: {@code java -cp benchmarks.jar dev.maverick.handler.bench.RealtimeSttLatency [utterances]}. */
  public static void main(String[] args) throws Exception {
    measure(args.length > 0 ? Integer.parseInt(args[0]) : SpeechHarness.LATENCY_UTTERANCES, System.out);
  }

  static TableRow measure(int utterances, PrintStream out) throws Exception {
    AudioChunk utterance = AudioChunk.pcm16(utterance(), RATE, 1);
    long[] total = new long[utterances];
    long[] client = new long[utterances];
    try (FakeRealtimeSttServer fake = new FakeRealtimeSttServer(); SpeechHandlers handlers = new SpeechHandlers()) {
      ArchitectureHandler<Object, Map<String, Object>> stt = handlers.create(Map.of("name", "bench-realtimestt",
          "engine", "realtimestt", "control_url", fake.controlUrl().toString(), "data_url", fake.dataUrl().toString(),
          "send_speed", 0, "trailing_silence", 0, "run_as_thread", false));
      for (int i = -WARM_UP; i < utterances; i++) {
        stt.generate(utterance);
        long sent = System.nanoTime();
        Optional<Map<String, Object>> result = stt.getResult(Duration.ofSeconds(30));
        long published = System.nanoTime();
        String expected = "utterance " + (i + WARM_UP + 1);
        Pipeline.check(result.isPresent() && expected.equals(result.get().get("data")),
            "realtimestt latency: expected '" + expected + "', got " + result);
        if (i >= 0) {
          List<Long> finals = fake.finalsSentAt();
          total[i] = published - sent;
          client[i] = published - finals.get(finals.size() - 1);
        }
      }
      HandlerStats stats = stt.stats();
      Pipeline.check(stats.errorCount() == 0 && stats.isBalanced() && fake.problems().isEmpty(),
          "realtimestt latency: errors, unbalanced books or broken frames: " + stats + " " + fake.problems());
    }
    String figure = String.format(Locale.ROOT, "median %.2f ms, p99 %.2f ms (the client's share, from the fake "
        + "sending the transcript: median %.2f ms, p99 %.2f ms)", percentile(total, 50), percentile(total, 99),
        percentile(client, 50), percentile(client, 99));
    out.println("realtimestt latency, " + utterances + " utterances: " + figure);
    return new TableRow("7", "Speech to text, realtimestt engine against the fake server on loopback: last chunk "
        + "sent (generate returns) → transcript published (getResult returns), " + utterances + " utterances",
        figure, "—", "—", "—", "—");
  }

  /** 0.4 s of a 440 Hz tone (speech to the fake), then the 0.3 s of silence that ends the utterance. */
  static byte[] utterance() {
    int speech = RATE * 4 / 10;
    int silence = RATE * 3 / 10;
    byte[] pcm = new byte[(speech + silence) * 2];
    for (int i = 0; i < speech; i++) {
      short sample = (short) Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / RATE));
      pcm[2 * i] = (byte) sample;
      pcm[2 * i + 1] = (byte) (sample >> 8);
    }
    return pcm;
  }

  private static double percentile(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
