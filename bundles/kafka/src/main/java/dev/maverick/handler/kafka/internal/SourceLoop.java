package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.kafka.internal.OffsetLedger.Mark;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of a {@code kafka_source}: one thread that owns a {@code KafkaConsumer} (which is
 * not thread-safe), fetches the topic's records in the consumer group, publishes each record's
 * value, commits what has been settled, and pauses the partitions while the results in flight
 * reach their limit.
 *
 * <p><b>Backpressure.</b> At most {@code limit} records are published and not yet settled. A record
 * that finds no room is held (never dropped) and every assigned partition is paused, so that Kafka
 * sends nothing more; the loop still polls, to stay in its group. Once the results in flight have
 * fallen to half the limit, the held records are published and the partitions resume.
 *
 * <p><b>Commits.</b> Every {@value #COMMIT_INTERVAL_MILLIS} ms, the positions the {@link OffsetLedger}
 * says may be committed are committed asynchronously, with the highest offset published on each
 * partition as the commit's metadata; when partitions are revoked, and when the loop stops, they
 * are committed synchronously. A record not settled when its partition leaves is read again by the
 * new owner, which counts it as redelivered.
 *
 * <p><b>Stopping.</b> {@link #stop} first drains: nothing more is published, and the loop waits (up
 * to the timeout, and only while results keep settling) for the results in flight to settle, so
 * that their offsets are committed and a successor does not read them again.
 */
final class SourceLoop implements Runnable, ConsumerRebalanceListener {
  static final long COMMIT_INTERVAL_MILLIS = 100;

  private static final Logger LOG = LoggerFactory.getLogger(SourceLoop.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration PAUSED_POLL = Duration.ofMillis(10);
  private static final long DRAIN_PATIENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long FAILURE_BACKOFF_MILLIS = 1000;

  /** Where the loop's records and failures go: the handler. */
  interface Output {
    /** Publishes a record's value (null: no result) with its extras; the ledger knows it as {@code mark}. */
    void publish(Object value, Map<String, Object> extras, SourceLoop loop, Mark mark);

    /** Counts and logs a failure of the loop. */
    void failed(String context, Throwable error);

    /** The handler's name. */
    String name();
  }

  private final KafkaSettings settings;
  private final Output output;
  private final RecordCodec codec;
  private final SourceCounters counters;
  private final IntSupplier limit;
  private final Duration closeTimeout;
  private final OffsetLedger ledger;
  private final SourceHealth health;
  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> held = new ArrayDeque<>();
  private final Object room = new Object();
  private volatile boolean waitingForRoom;
  private volatile boolean draining;
  private volatile boolean stopped;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile String state = "starting";
  private volatile String lastError;
  private volatile int heldCount;
  private boolean paused;
  private long lastCommitAt;
  private long drainProgressAt;
  private long drainSettled = -1;
  private Thread thread;

  /**
   * @param epochs numbers the assignments of partitions, over every loop of the handler
   * @param limit the most records published and not settled (max_in_flight, or the result queue's capacity if smaller)
   * @param closeTimeout how long stopping may drain, commit and close the consumer
   */
  SourceLoop(KafkaSettings settings, Output output, RecordCodec codec, SourceCounters counters, AtomicInteger epochs,
      IntSupplier limit, Duration closeTimeout) {
    this.ledger = new OffsetLedger(epochs);
    this.health = new SourceHealth(settings.bootstrapServers());
    this.settings = settings;
    this.output = output;
    this.codec = codec;
    this.counters = counters;
    this.limit = limit;
    this.closeTimeout = closeTimeout;
  }

  /** Starts the poll thread. */
  void start(ThreadFactory threads) {
    thread = threads.newThread(this);
    thread.start();
  }

  /**
   * Drains (see the class comment), commits, closes the consumer and waits for the thread to end,
   * within about {@code timeout} plus the consumer's close.
   */
  void stop(Duration timeout) {
    draining = true;
    wakeRoomWaiter();
    Thread running = thread;
    if (running == null || running == Thread.currentThread()) {
      stopped = true;
      return;
    }
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      TimeUnit.NANOSECONDS.timedJoin(running, Math.max(0, deadline - System.nanoTime()));
      stopped = true;
      KafkaConsumer<byte[], byte[]> open = consumer;
      if (open != null) {
        open.wakeup();
      }
      wakeRoomWaiter();
      TimeUnit.NANOSECONDS.timedJoin(running, closeTimeout.toNanos() + TimeUnit.SECONDS.toNanos(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (running.isAlive()) {
      LOG.warn("[{}] the poll thread did not stop within {}", output.name(), timeout.plus(closeTimeout));
    }
  }

  /** A published record has been delivered onward: its offset may be committed once those before it are. */
  void settle(Mark mark) {
    if (ledger.settled(mark)) {
      counters.settled.increment();
    } else {
      counters.staleSettles.increment();
    }
    if (waitingForRoom) {
      wakeRoomWaiter();
    }
  }

  // ---- the loop ----------------------------------------------------------------------------------

  @Override
  public void run() {
    Thread.currentThread().setContextClassLoader(Clients.class.getClassLoader());
    try {
      consumer = new KafkaConsumer<>(settings.clientConfig(output.name()), new ByteArrayDeserializer(),
          new ByteArrayDeserializer());
    } catch (KafkaException e) {
      state = "failed: " + settings.redact(String.valueOf(e));
      output.failed("the consumer of " + settings + " could not be created", e);
      return;
    }
    try {
      consumer.subscribe(List.of(settings.topic()), this);
      state = "running";
      while (!stopped && !(draining && drained())) {
        step();
      }
    } finally {
      finish();
    }
  }

  private void step() {
    try {
      publishHeld();
      boolean full = !held.isEmpty() || room() <= 0 || draining;
      if (full && !paused) {
        pause();
      } else if (!full && paused && room() >= resumeAt()) {
        resume();
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(paused ? PAUSED_POLL : POLL)) {
        held.addLast(record);
        counters.fetched.increment();
      }
      publishHeld();
      heldCount = held.size();
      if (paused && (!held.isEmpty() || room() < resumeAt())) {
        awaitRoom();
      }
      commitIfDue(false);
      health.observeIfDue(consumer);
      lastError = null;
    } catch (WakeupException e) {
      // stop(): the loop condition decides
    } catch (KafkaException e) {
      lastError = settings.redact(String.valueOf(e));
      output.failed("polling " + settings + " failed", e);
      pauseBeforeRetry();
    }
  }

  private void publishHeld() {
    while (!held.isEmpty() && room() > 0 && !draining) {
      ConsumerRecord<byte[], byte[]> record = held.pollFirst();
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      Mark mark = ledger.published(partition, record.offset());
      counters.published.increment();
      if (mark.redelivered()) {
        counters.redelivered.increment();
      }
      output.publish(codec.read(record.value(), record.headers()), RecordExtras.of(record, mark), this, mark);
    }
  }

  private int room() {
    return limit.getAsInt() - (int) Math.min(Integer.MAX_VALUE, ledger.outstanding());
  }

  private int resumeAt() {
    return Math.max(1, limit.getAsInt() / 2);
  }

  private void pause() {
    consumer.pause(consumer.assignment());
    paused = true;
    counters.pauses.increment();
  }

  private void resume() {
    consumer.resume(consumer.paused());
    paused = false;
  }

  /** Waits, up to one poll interval, for results to settle. */
  private void awaitRoom() {
    synchronized (room) {
      waitingForRoom = true;
      try {
        if (!stopped && !draining && room() < resumeAt()) {
          room.wait(POLL.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      } finally {
        waitingForRoom = false;
      }
    }
  }

  private void wakeRoomWaiter() {
    synchronized (room) {
      room.notifyAll();
    }
  }

  private void pauseBeforeRetry() {
    synchronized (room) {
      try {
        if (!stopped) {
          room.wait(FAILURE_BACKOFF_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
    }
  }

  /** While draining: done once nothing is in flight, or nothing has settled for a while. */
  private boolean drained() {
    long outstanding = ledger.outstanding();
    if (outstanding == 0) {
      return true;
    }
    long settledNow = counters.settled.sum();
    long now = System.nanoTime();
    if (settledNow != drainSettled) {
      drainSettled = settledNow;
      drainProgressAt = now;
    }
    return now - drainProgressAt > DRAIN_PATIENCE_NANOS;
  }

  private void finish() {
    state = "stopping";
    try {
      try {
        commitIfDue(true);
      } catch (WakeupException stopWokeTheCommit) {
        commitIfDue(true); // the wakeup is spent: this one runs
      }
    } catch (KafkaException e) {
      LOG.warn("[{}] the last commit of {} failed: {}", output.name(), settings, settings.redact(String.valueOf(e)));
    }
    long unsettled = ledger.outstanding();
    if (unsettled > 0) {
      LOG.info("[{}] {} published record(s) not delivered onward at stop: not committed, so read again next time",
          output.name(), unsettled);
    }
    try {
      consumer.close(closeTimeout);
    } catch (RuntimeException e) {
      LOG.warn("[{}] closing the consumer of {} failed: {}", output.name(), settings, settings.redact(String.valueOf(e)));
    }
    consumer = null;
    state = "stopped";
  }

  // ---- commits -----------------------------------------------------------------------------------

  private void commitIfDue(boolean now) {
    long at = System.nanoTime();
    if (!now && at - lastCommitAt < TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MILLIS)) {
      return;
    }
    lastCommitAt = at;
    commit(null, now);
  }

  private void commit(Collection<TopicPartition> only, boolean sync) {
    Map<TopicPartition, long[]> moved = ledger.commitable(only);
    if (moved.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    moved.forEach((partition, position) ->
        offsets.put(partition, new OffsetAndMetadata(position[0], OffsetLedger.metadata(position[1]))));
    if (!sync) {
      consumer.commitAsync(offsets, (committed, error) -> committed(moved, error));
      return;
    }
    try {
      consumer.commitSync(offsets, closeTimeout);
      committed(moved, null);
    } catch (WakeupException e) {
      committed(moved, e);
      throw e;
    } catch (KafkaException e) {
      committed(moved, e);
    }
  }

  private void committed(Map<TopicPartition, long[]> moved, Exception error) {
    if (error == null) {
      counters.commits.increment();
      counters.lastCommitAt = System.currentTimeMillis();
      return;
    }
    counters.commitFailures.increment();
    counters.lastCommitError = settings.redact(String.valueOf(error));
    ledger.commitFailed(moved);
  }

  // ---- rebalances (called by poll, on this thread) -------------------------------------------------

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
    if (revoked.isEmpty()) {
      return;
    }
    commit(revoked, true);
    leave(revoked);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> lost) {
    leave(lost);
  }

  private void leave(Collection<TopicPartition> gone) {
    long abandoned = ledger.forget(gone);
    counters.abandoned.add(abandoned);
    held.removeIf(record -> gone.contains(new TopicPartition(record.topic(), record.partition())));
    heldCount = held.size();
    if (abandoned > 0) {
      LOG.info("[{}] partitions {} moved away with {} record(s) not yet delivered onward: their next owner reads them again",
          output.name(), gone, abandoned);
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
    counters.rebalances.increment();
    if (assigned.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed = consumer.committed(new HashSet<>(assigned), closeTimeout);
    } catch (KafkaException e) {
      committed = Map.of();
      LOG.warn("[{}] the committed offsets of {} could not be read ({}): redeliveries there are not recognised",
          output.name(), assigned, settings.redact(String.valueOf(e)));
    }
    for (TopicPartition partition : assigned) {
      OffsetAndMetadata offset = committed.get(partition);
      ledger.assigned(partition, offset == null ? -1 : offset.offset(), offset == null ? null : offset.metadata());
    }
    if (paused) {
      consumer.pause(assigned);
    }
  }

  // ---- what the stats show -------------------------------------------------------------------------

  /** What the loop is doing: {@code running}, {@code paused}, {@code stopped}, {@code failed: ...}. */
  String state() {
    String now = state;
    return now.equals("running") && paused ? "paused" : now;
  }

  /** The loop's figures, for the handler's stats. */
  Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("state", state());
    health.addTo(details);
    details.put("in_flight", ledger.outstanding());
    details.put("held", heldCount);
    Map<Integer, Long> committed = new TreeMap<>();
    ledger.committedPositions().forEach((partition, position) ->
        committed.put(partition.partition(), position < 0 ? null : position));
    details.put("committed", committed);
    details.put("last_error", lastError);
    return details;
  }

  /** Warnings for the stats: an unreachable broker, a lag that keeps growing, polling that fails. */
  List<String> warnings() {
    List<String> warnings = new ArrayList<>(health.warnings());
    String error = lastError;
    if (error != null) {
      warnings.add("polling fails: " + error);
    }
    return warnings;
  }

  /** The ledger, for tests. */
  OffsetLedger ledger() {
    return ledger;
  }
}
