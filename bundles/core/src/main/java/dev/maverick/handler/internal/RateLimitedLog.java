package dev.maverick.handler.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logs at most one line per topic per interval, reporting how many events the line stands for.
 * Drops and failures can happen millions of times a second; the log must stay readable and cheap.
 * Between lines an event costs two atomic operations and builds no string.
 */
public final class RateLimitedLog {
  private final Logger logger;
  private final long intervalNanos;
  private final AtomicLongArray nextLineAt;
  private final AtomicLongArray pending;

  /**
   * @param logger where lines go
   * @param topics how many independent topics (e.g. drop reasons), indexed from 0
   * @param intervalNanos the least time between two lines of one topic
   */
  public RateLimitedLog(Logger logger, int topics, long intervalNanos) {
    this.logger = logger;
    this.intervalNanos = intervalNanos;
    this.nextLineAt = new AtomicLongArray(topics);
    this.pending = new AtomicLongArray(topics);
    long now = System.nanoTime();
    for (int i = 0; i < topics; i++) {
      nextLineAt.set(i, now);
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
    pending.incrementAndGet(topic);
    long now = System.nanoTime();
    long due = nextLineAt.get(topic);
    if (now - due < 0 || !nextLineAt.compareAndSet(topic, due, now + intervalNanos)) {
      return;
    }
    long events = pending.getAndSet(topic, 0);
    write(message.get() + suffix(events), error, asError);
  }

  /** Writes a summary line for every topic that has unreported events (call on close). */
  public void flush(java.util.function.IntFunction<String> describeTopic) {
    for (int topic = 0; topic < pending.length(); topic++) {
      long events = pending.getAndSet(topic, 0);
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
