package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What a handler writes to its log, all of it through the handler class's own logger (so that a
 * handler's level is set by its class name) and with the handler's name in front: drops and
 * failures rate-limited per {@link DropReason} and per {@link LogTopic}, with a summary at close;
 * contained hook failures; lifecycle lines at INFO when {@code verbose}, else DEBUG.
 *
 * <p>A drop without detail logs from a line made once per reason, so that refusing an item on
 * the hot path allocates nothing. The lines of the "queue full" reasons name the queue's capacity
 * and policy at the moment they are written, as their queue describes itself
 * ({@link #describeFullQueue}).
 */
public final class Diagnostics {

  /** Failures logged rate-limited, each topic on its own clock. */
  public enum LogTopic {
    /** An item's processing threw. */
    ITEM_ERROR("item errors"),
    /** A callback task threw. */
    CALLBACK_ERROR("callback errors"),
    /** A hook threw; the handler went on. */
    HOOK_ERROR("hook errors"),
    /** A network call failed. */
    NETWORK_ERROR("network errors"),
    /** Anything else: a producer's source failed, startUp failed. */
    OTHER_ERROR("other errors");

    private final String description;

    LogTopic(String description) {
      this.description = description;
    }
  }

  private static final DropReason[] REASONS = DropReason.values();
  private static final LogTopic[] TOPICS = LogTopic.values();
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Logger log;
  // one line a second per topic: first the drop reasons, then the log topics (see topic())
  private final RateLimitedLog rateLimited;
  private final Supplier<String>[] dropLines;
  private final Supplier<String>[] fullQueues;
  private volatile String name;
  private volatile boolean verbose;

  /**
   * @param log the handler class's logger
   * @param name the handler's name, in front of every line
   * @param verbose lifecycle lines at INFO rather than DEBUG
   */
  @SuppressWarnings("unchecked")
  public Diagnostics(Logger log, String name, boolean verbose) {
    this.log = log;
    this.name = name;
    this.verbose = verbose;
    this.rateLimited = new RateLimitedLog(log, REASONS.length + TOPICS.length, INTERVAL_NANOS);
    this.fullQueues = new Supplier[REASONS.length];
    this.dropLines = new Supplier[REASONS.length];
    for (DropReason reason : REASONS) {
      dropLines[reason.ordinal()] = () -> "[" + this.name + "] " + describeDrop(reason, null);
    }
  }

  /** The handler's logger. */
  public Logger logger() {
    return log;
  }

  /** The handler's name, as lines show it. */
  public String name() {
    return name;
  }

  /** Follows a reconfiguration: a new name, a new verbosity. */
  public void configure(String newName, boolean newVerbose) {
    this.name = newName;
    this.verbose = newVerbose;
  }

  /** How a queue describes itself when it refuses for want of room, e.g. "input queue full (capacity 8, overflow_policy=fail)". */
  public void describeFullQueue(DropReason full, Supplier<String> state) {
    fullQueues[full.ordinal()] = state;
  }

  /** Logs a drop already counted: WARN, at most one line a second per reason. */
  public void dropped(DropReason reason, String detail) {
    rateLimited.warn(topic(reason),
        detail == null ? dropLines[reason.ordinal()] : () -> "[" + name + "] " + describeDrop(reason, detail));
  }

  /** Logs a failure with its stack trace: ERROR, at most one line a second per topic. */
  public void failed(LogTopic topic, String what, Throwable error) {
    rateLimited.error(topic(topic), () -> "[" + name + "] " + what, error);
  }

  /** Logs a failure without its stack trace: WARN, at most one line a second per topic. */
  public void warned(LogTopic topic, Supplier<String> what) {
    rateLimited.warn(topic(topic), () -> "[" + name + "] " + what.get());
  }

  /**
   * A hook (or a caller's callback) threw: logged and ignored, unless the error is one no handler
   * can contain, which is rethrown.
   */
  public void hookFailed(String hook, Throwable error) {
    if (isFatal(error)) {
      throw sneakyThrow(error);
    }
    failed(LogTopic.HOOK_ERROR, hook + " threw; ignored", error);
  }

  /** A lifecycle line: INFO when verbose, else DEBUG. */
  public void verbose(String format, Object... args) {
    if (verbose) {
      log.info("[" + name + "] " + format, args);
    } else if (log.isDebugEnabled()) {
      log.debug("[" + name + "] " + format, args);
    }
  }

  /** Writes what the rate limit held back, one summary line per topic (at close). */
  public void flush() {
    rateLimited.flush(topic -> "[" + name + "] " + (topic < REASONS.length
        ? "drops with reason " + REASONS[topic].key() : TOPICS[topic - REASONS.length].description));
  }

  /** Errors no handler can contain: the JVM's own, except a stack overflow. */
  public static boolean isFatal(Throwable error) {
    return error instanceof VirtualMachineError && !(error instanceof StackOverflowError);
  }

  /** Throws any throwable unchecked; {@code throw sneakyThrow(e)} tells the compiler it does not return. */
  @SuppressWarnings("unchecked")
  public static <T extends Throwable> RuntimeException sneakyThrow(Throwable error) throws T {
    throw (T) error;
  }

  private static int topic(DropReason reason) {
    return reason.ordinal();
  }

  private static int topic(LogTopic topic) {
    return REASONS.length + topic.ordinal();
  }

  private String describeDrop(DropReason reason, String detail) {
    Supplier<String> queue = fullQueues[reason.ordinal()];
    String text = switch (reason) {
      case INVALID -> "invalid item dropped";
      case QUEUE_FULL -> queue.get() + "; item dropped";
      case EVICTED -> "input queue full; oldest item evicted (drop_oldest)";
      case CLOSED -> "item arrived after close; dropped";
      case RESULT_QUEUE_FULL -> queue.get() + "; processed result dropped";
      case RESULT_EVICTED -> "result queue full; oldest result evicted (drop_oldest)";
      case CALLBACK_QUEUE_FULL -> queue.get() + "; callback task dropped";
      case CALLBACK_EVICTED -> "callback queue full; oldest callback task evicted (drop_oldest)";
      case CALLBACK_UNAVAILABLE -> "callback task dropped";
      case CALLBACK_CLOSED -> "callback emitted after close; dropped";
      default -> reason.key() + ": dropped";
    };
    return detail == null ? text : text + ": " + detail;
  }
}
