package dev.maverick.handler.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logs at most one line per topic per interval, reporting how many events the line stands for.
 * Drops and failures can happen millions of times a second; the log must stay readable and cheap.
 * Between lines an event costs one uncontended increment and a read of {@link CoarseClock}, and
 * builds no string: many threads dropping at once (four producers on a full queue) do not fight
 * over one counter. Intervals are kept to the coarse clock's millisecond.
 */
public final class RateLimitedLog {
  private final Logger logger;
  private final long intervalMillis;
  private final AtomicLongArray nextLineAt; // epoch millis, CoarseClock
  private final LongAdder[] pending;

  /**
   * @param logger where lines go
   * @param topics how many independent topics (e.g. drop reasons), indexed from 0
   * @param intervalNanos the least time between two lines of one topic
   */
  public RateLimitedLog(Logger logger, int topics, long intervalNanos) {
    this.logger = logger;
    this.intervalMillis = TimeUnit.NANOSECONDS.toMillis(intervalNanos);
    this.nextLineAt = new AtomicLongArray(topics);
    this.pending = new LongAdder[topics];
    long now = CoarseClock.millis();
    for (int i = 0; i < topics; i++) {
      nextLineAt.set(i, now);
      pending[i] = new LongAdder();
    }
  }

  /** Records an event; writes a WARN line if the topic's interval has passed. */
  public void warn(int topic, Supplier<String> message) {
    log(topic, message, null, false);
  }

  /** Records an event; writes an ERROR line with the stack trace if the topic's interval has passed. */
  public void error(int topic, Supplier<String> message, Throwable error) {
    log(topic, message, error, true);
  }

  private void log(int topic, Supplier<String> message, Throwable error, boolean asError) {
    pending[topic].increment();
    long now = CoarseClock.millis();
    long due = nextLineAt.get(topic);
    // not due yet, unless the wall clock was set back by more than an interval (then it is)
    boolean early = now - due < 0 && due - now <= intervalMillis;
    if (early || !nextLineAt.compareAndSet(topic, due, now + intervalMillis)) {
      return;
    }
    long events = pending[topic].sumThenReset();
    write(message.get() + suffix(events), error, asError);
  }

  /** Writes a summary line for every topic that has unreported events (call on close). */
  public void flush(java.util.function.IntFunction<String> describeTopic) {
    for (int topic = 0; topic < pending.length; topic++) {
      long events = pending[topic].sumThenReset();
      if (events > 0) {
        logger.warn("{} ({} not reported before)", describeTopic.apply(topic), events);
      }
    }
  }

  private static String suffix(long events) {
    return events > 1 ? " (" + events + " times since the last report)" : "";
  }

  private void write(String line, Throwable error, boolean asError) {
    if (asError) {
      logger.error(line, error);
    } else {
      logger.warn(line);
    }
  }
}
