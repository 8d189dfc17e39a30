package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;

class RateLimitedLogTest {

  @Test
  void oneLinePerTopicPerIntervalAndTheRestIsCountedAndFlushed() {
    RecordingLogger logger = new RecordingLogger();
    RateLimitedLog log = new RateLimitedLog(logger, 2, TimeUnit.HOURS.toNanos(1));
    for (int i = 0; i < 1000; i++) {
      log.warn(0, () -> "queue full");
    }
    log.warn(1, () -> "invalid");
    assertThat(logger.lines).containsExactly("WARN queue full", "WARN invalid");
    log.flush(topic -> "topic " + topic);
    assertThat(logger.lines).containsExactly("WARN queue full", "WARN invalid", "WARN topic 0 (999 not reported before)");
  }

  @Test
  void afterTheIntervalTheNextLineSaysHowManyEventsItStandsFor() {
    RecordingLogger logger = new RecordingLogger();
    RateLimitedLog log = new RateLimitedLog(logger, 1, 0);
    log.warn(0, () -> "a");
    log.warn(0, () -> "b");
    assertThat(logger.lines).containsExactly("WARN a", "WARN b");
    RateLimitedLog slow = new RateLimitedLog(logger, 1, TimeUnit.MILLISECONDS.toNanos(20));
    slow.warn(0, () -> "first");
    slow.warn(0, () -> "second");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline && logger.lines.size() < 4) {
      slow.warn(0, () -> "later");
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    assertThat(logger.lines.get(3)).startsWith("WARN later (").endsWith(" times since the last report)");
  }

  @Test
  void fourThreadsLoggingAtOnceWriteOneLineAndLoseNoCount() throws Exception {
    RecordingLogger logger = new RecordingLogger();
    RateLimitedLog log = new RateLimitedLog(logger, 1, TimeUnit.HOURS.toNanos(1));
    int perThread = 25_000;
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          log.warn(0, () -> "queue full");
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    // one line, for the first event and whatever the other threads counted while it was written;
    // the next line is an hour away
    assertThat(logger.lines).hasSize(1);
    java.util.regex.Matcher first = java.util.regex.Pattern.compile("^WARN queue full(?: \\((\\d+) times since the last report\\))?$")
        .matcher(logger.lines.get(0));
    assertThat(first.matches()).as(logger.lines.get(0)).isTrue();
    long reportedFirst = first.group(1) == null ? 1 : Long.parseLong(first.group(1));
    log.flush(topic -> "queue full");
    assertThat(logger.lines).hasSize(2);
    java.util.regex.Matcher rest = java.util.regex.Pattern.compile("\\((\\d+) not reported before\\)")
        .matcher(logger.lines.get(1));
    assertThat(rest.find()).as(logger.lines.get(1)).isTrue();
    assertThat(reportedFirst + Long.parseLong(rest.group(1))).as("no count lost").isEqualTo(4L * perThread);
  }

  @Test
  void errorsCarryTheirThrowable() {
    RecordingLogger logger = new RecordingLogger();
    new RateLimitedLog(logger, 1, 0).error(0, () -> "failed", new IllegalStateException("x"));
    assertThat(logger.lines).containsExactly("ERROR failed !x");
  }

  static final class RecordingLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;
    final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
        Throwable throwable) {
      String text = messagePattern;
      if (arguments != null) {
        for (Object argument : arguments) {
          text = text.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(String.valueOf(argument)));
        }
      }
      lines.add(level + " " + text + (throwable == null ? "" : " !" + throwable.getMessage()));
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }
}
