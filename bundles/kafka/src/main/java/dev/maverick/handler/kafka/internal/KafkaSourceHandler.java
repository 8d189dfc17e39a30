package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.QueueFullException;
import dev.maverick.handler.kafka.internal.OffsetLedger.Mark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code kafka_source} handler: a producer-style handler whose input is a Kafka topic. Its
 * poll thread ({@link SourceLoop}) consumes {@code topic} in the consumer group {@code group} and
 * publishes each record's value as a result, with {@code topic}, {@code partition},
 * {@code offset}, {@code key}, {@code timestamp} and {@code assignment} (and {@code redelivered},
 * when so) as the result's extras. It takes no items.
 *
 * <p>A record's offset is committed once its result has been delivered onward: taken with
 * {@code getResult}, or settled by the reader that claimed the results (a wire, once its target
 * has it). {@link #hookResultSettled} finds the record by the extras it was published with.
 */
final class KafkaSourceHandler extends ArchitectureHandler<Object, Object> {
  private final RecordCodec codec = new RecordCodec();
  private final SourceCounters counters = new SourceCounters();
  /** Epochs of partition assignments, unique over every poll loop of this handler. */
  private final AtomicInteger epochs = new AtomicInteger();
  private final Object loopLock = new Object();
  private volatile KafkaSettings settings;
  private volatile SourceLoop loop; // written under loopLock
  private volatile boolean running; // written under loopLock: between startUp and shutDown

  /**
   * Creates a source; starts no thread and connects to nothing (both happen on {@link #start()}).
   *
   * @throws dev.maverick.handler.InvalidConfigurationException if a Kafka key is bad
   */
  KafkaSourceHandler(HandlerConfig config) {
    super(config);
    this.settings = KafkaSettings.forSource(config);
  }

  /** The settings in force. */
  KafkaSettings settings() {
    return settings;
  }

  @Override
  protected boolean validateItem(Object item, Map<String, ?> extra) {
    throw new InvalidItemException("handler '" + name() + "': a kafka_source takes no items; it publishes the "
        + "records of topic '" + settings.topic() + "' (to write to a topic, feed a kafka_sink)");
  }

  @Override
  protected Object generateResults(Object item, Map<String, ?> extra) {
    throw new UnsupportedOperationException("handler '" + name() + "': a kafka_source takes no items");
  }

  // ---- the poll loop -------------------------------------------------------------------------------

  @Override
  protected void startUp() {
    synchronized (loopLock) {
      running = true;
      startLoop(settings);
    }
  }

  @Override
  protected void shutDown() {
    synchronized (loopLock) {
      running = false;
      stopLoop();
    }
  }

  @Override
  protected void configurationChanged(HandlerConfig previous, HandlerConfig current) {
    KafkaSettings before = settings;
    KafkaSettings after = KafkaSettings.forSource(current);
    settings = after;
    if (!after.sameClient(before)) {
      synchronized (loopLock) {
        if (running) {
          stopLoop(); // commits what has settled; what is in flight is read again by the new consumer
          startLoop(after);
        }
      }
    }
  }

  private void startLoop(KafkaSettings current) {
    loop = new SourceLoop(current, new SourceLoop.Output() {
      @Override
      public void publish(Object value, Map<String, Object> extras, SourceLoop from, Mark mark) {
        KafkaSourceHandler.this.publish(value, extras, from, mark);
      }

      @Override
      public void failed(String context, Throwable error) {
        recordError(context + ": " + settings.redact(String.valueOf(error)), null);
      }

      @Override
      public String name() {
        return KafkaSourceHandler.this.name();
      }
    }, codec, counters, epochs, this::limit, config().shutdownTimeout());
    loop.start(threadFactory("source"));
  }

  private void stopLoop() {
    if (loop != null) {
      loop.stop(config().shutdownTimeout());
      loop = null;
    }
  }

  /** The most results in flight: max_in_flight, or the result queue's capacity when smaller. */
  private int limit() {
    int capacity = config().resultQueueSize();
    int most = settings.maxInFlight();
    return capacity > 0 ? Math.min(capacity, most) : most;
  }

  private void publish(Object value, Map<String, Object> extras, SourceLoop from, Mark mark) {
    if (value == null) {
      // a tombstone or JSON null: no result, so nothing to deliver, and the record is done
      publishResult(null, extras);
      from.settle(mark);
      return;
    }
    try {
      publishResult(value, extras);
    } catch (QueueFullException cannotHappen) {
      // the loop publishes only while results in flight are under the queue's capacity
      recordError("result queue full although the source keeps to its capacity", cannotHappen);
    }
  }

  /**
   * A result has been delivered onward: its record may be committed once those before it on its
   * partition are. A result of a poll loop that has been replaced since (or of a partition that
   * moved away) is stale: its record is read again by whoever consumes the partition now.
   */
  @Override
  protected void hookResultSettled(Object result, Map<String, ?> extra) {
    SourceLoop current = loop;
    Mark mark = RecordExtras.mark(extra);
    if (mark != null && current != null) {
      current.settle(mark);
    } else {
      counters.staleSettles.increment();
    }
  }

  @Override
  protected Map<String, Object> statsDetails() {
    Map<String, Object> details = new LinkedHashMap<>(settings.toDisplayMap());
    SourceLoop current = loop;
    List<String> warnings = new ArrayList<>();
    if (current == null) {
      details.put("state", running ? "starting" : "not started");
    } else {
      details.putAll(current.details());
      warnings.addAll(current.warnings());
    }
    details.putAll(counters.toMap());
    details.put(HandlerStats.WARNINGS, warnings);
    return details;
  }

  /** The current poll loop, for tests. */
  SourceLoop loop() {
    return loop;
  }

  /** How long stopping may take, for tests. */
  Duration stopTimeout() {
    return config().shutdownTimeout();
  }
}
