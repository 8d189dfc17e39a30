package dev.maverick.handler.admin.internal;

import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import java.util.Locale;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.Result;

/**
 * How healthy a handler is, from one stats snapshot: CRITICAL when its worker has died; WARN when
 * it is closing, a bounded queue is over {@value #QUEUE_WARN_PERCENT}% full, items were dropped in
 * the last minute, its last configuration change was rejected, or its stats' details carry
 * {@value HandlerStats#WARNINGS} (current problems the handler reports itself, such as "disconnected"); OK
 * otherwise. Every text a handler supplies is masked before it is shown.
 */
final class HealthJudgement {
  static final int QUEUE_WARN_PERCENT = 80;

  private HealthJudgement() {}

  /**
   * Judges a handler.
   *
   * @param droppedLastMinute items dropped in the last minute
   * @param configError why the last configuration change was rejected, or null
   */
  static Result judge(String name, HandlerStats stats, long droppedLastMinute, String configError, Redaction redaction) {
    FormattingResultLog log = new FormattingResultLog();
    boolean problem = false;
    if (stats.state() == HandlerState.FAILED) {
      log.critical("handler '{}': its worker thread died: {}", name,
          redaction.mask(stats.failure().orElse("no cause recorded")));
      problem = true;
    } else if (stats.state() == HandlerState.CLOSING || stats.state() == HandlerState.CLOSED) {
      log.warn("handler '{}' is {}", name, stats.state().name().toLowerCase(Locale.ROOT));
      problem = true;
    }
    problem |= queue(log, name, "input", stats.inputQueueSize(), stats.inputQueueCapacity());
    problem |= queue(log, name, "result", stats.resultQueueSize(), stats.resultQueueCapacity());
    problem |= queue(log, name, "callback", stats.callbackQueueSize(), stats.callbackQueueCapacity());
    if (droppedLastMinute > 0) {
      log.warn("handler '{}': {} dropped in the last minute (last: {})", name, droppedLastMinute,
          redaction.mask(stats.lastDrop().orElse("unknown")));
      problem = true;
    }
    if (configError != null) {
      log.warn("handler '{}': its last configuration change was rejected: {}", name, redaction.mask(configError));
      problem = true;
    }
    for (String warning : stats.warnings()) {
      log.warn("handler '{}': {}", name, redaction.shown(warning, Redaction.MAX_TEXT));
      problem = true;
    }
    if (!problem) {
      log.info("handler '{}' is {}: {} processed, {} dropped, input queue {}/{}", name,
          stats.state().name().toLowerCase(Locale.ROOT), stats.processedCount(), stats.droppedCount(),
          stats.inputQueueSize(), stats.inputQueueCapacity());
    }
    return new Result(log);
  }

  private static boolean queue(FormattingResultLog log, String name, String queue, int size, int capacity) {
    if (capacity > 0 && size * 100L > (long) QUEUE_WARN_PERCENT * capacity) {
      log.warn("handler '{}': the {} queue is over {}% full ({}/{})", name, queue, QUEUE_WARN_PERCENT, size, capacity);
      return true;
    }
    return false;
  }
}
