package dev.maverick.handler.kafka.internal;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether a source's lag keeps growing: it samples the lag every {@link #INTERVAL} and
 * warns when each of the last {@value #GROWING_SAMPLES} samples was higher than the one before
 * (the records arrive faster than the source's consumers take them, for 30 s and more). A lag that
 * holds still or shrinks, even once, ends the warning.
 */
final class LagTrend {
  /** Between two samples. */
  static final Duration INTERVAL = Duration.ofSeconds(10);
  /** Consecutive growths that make a warning. */
  static final int GROWING_SAMPLES = 3;

  private final long intervalNanos;
  private final long[] samples = new long[GROWING_SAMPLES + 1];
  private int count;
  private long lastAt;

  LagTrend() {
    this(INTERVAL);
  }

  LagTrend(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** Takes the current lag (records not yet consumed); keeps it if a sample is due. */
  synchronized void observe(long lag, long nowNanos) {
    if (count > 0 && nowNanos - lastAt < intervalNanos) {
      return;
    }
    lastAt = nowNanos;
    if (count == samples.length) {
      System.arraycopy(samples, 1, samples, 0, samples.length - 1);
      count--;
    }
    samples[count++] = lag;
  }

  /** A warning while the lag keeps growing. */
  synchronized Optional<String> warning() {
    if (count < samples.length) {
      return Optional.empty();
    }
    for (int i = 1; i < samples.length; i++) {
      if (samples[i] <= samples[i - 1]) {
        return Optional.empty();
      }
    }
    long seconds = intervalNanos * GROWING_SAMPLES / 1_000_000_000L;
    return Optional.of("lag keeps growing: from " + samples[0] + " to " + samples[samples.length - 1]
        + " records in " + seconds + " s (records arrive faster than this source's group takes them)");
  }
}
