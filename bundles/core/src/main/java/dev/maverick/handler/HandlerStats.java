package dev.maverick.handler;

import dev.maverick.handler.DropReason.Ledger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of a handler's counters, queues and timestamps.
 *
 * <p>Counters are read without stopping the handler. Every move of an element is counted in its
 * new place before it leaves the old one, and the snapshot reads places from upstream to
 * downstream, so a snapshot taken under load may count a moving element twice but never zero
 * times: {@link #unaccountedItems()} and its siblings are never positive. At a quiescent point
 * (nothing being fed or processed) the three ledgers of the accounting law balance exactly:
 * <ul>
 *   <li>items: {@code fed + generated + produced + taken over = processed + item errors + item drops + queued
 *       + in flight + handed over}
 *   <li>results: {@code published + taken over = taken + result drops + queued + handed over}
 *   <li>callbacks: {@code emitted = completed + callback errors + callback drops + queued + running}
 * </ul>
 * {@link #unaccountedItems()} and its siblings give the difference, zero when balanced.
 *
 * <p><b>Timestamps.</b> {@link #createdAt()} is exact. The {@code last_*_at} timestamps are read
 * from a coarse clock that a shared thread updates once a millisecond, because reading the real
 * clock three times per item cost more than all the rest of the handler's bookkeeping: each one
 * is at most one millisecond plus the time the operating system keeps that thread from running
 * (a few milliseconds at worst on a busy machine) <em>earlier</em> than the event it records,
 * never later; and never before {@link #createdAt()}, nor after the snapshot was taken. The seed
 * reports them in seconds.
 *
 * <p>{@link #toMap()} uses the seed's key names ({@code processed_count}, {@code dropped_count},
 * ...) followed by ours.
 */
public final class HandlerStats {
  /**
   * The {@link #details()} key under which a handler reports its current problems: a
   * {@code List<String>}, one short sentence each (e.g. {@code disconnected},
   * {@code broker unreachable}), empty or absent when there is none. Health checks warn with each.
   */
  public static final String WARNINGS = "warnings";

  private static final StatsCount[] COUNTS = StatsCount.values();

  private final String name;
  private final String clientId;
  private final HandlerState state;
  private final boolean runAsThread;
  private final boolean threaded;
  private final Instant createdAt;
  private final Instant lastFeedAt;
  private final Instant lastGenerateAt;
  private final Instant lastResultAt;
  private final Instant lastNetworkCallAt;
  private final int[] queueSizes;
  private final int[] queueCapacities;
  private final long[] counts;
  private final Map<DropReason, Long> drops;
  private final String resultReader;
  private final int workersAlive;
  private final boolean callbackThreadAlive;
  private final String lastDrop;
  private final String failure;
  private final Map<String, Object> details;

  HandlerStats(HandlerStatsBuilder b) {
    this.name = b.name;
    this.clientId = b.clientId;
    this.state = b.state;
    this.runAsThread = b.runAsThread;
    this.threaded = b.runAsThread && !b.disableThread;
    this.createdAt = b.createdAt;
    this.lastFeedAt = b.lastFeedAt;
    this.lastGenerateAt = b.lastGenerateAt;
    this.lastResultAt = b.lastResultAt;
    this.lastNetworkCallAt = b.lastNetworkCallAt;
    this.queueSizes = b.queueSizes.clone();
    this.queueCapacities = b.queueCapacities.clone();
    this.counts = b.counts.clone();
    EnumMap<DropReason, Long> copy = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      copy.put(reason, b.drops.getOrDefault(reason, 0L));
    }
    this.drops = Collections.unmodifiableMap(copy);
    this.resultReader = b.resultReader;
    this.workersAlive = b.workersAlive;
    this.callbackThreadAlive = b.callbackThreadAlive;
    this.lastDrop = b.lastDrop;
    this.failure = b.failure;
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(b.details));
  }

  /** A builder, for handlers and for tests of code that consumes stats. */
  public static HandlerStatsBuilder builder() {
    return new HandlerStatsBuilder();
  }

  /** The handler's name. */
  public String name() {
    return name;
  }

  /** The seed's {@code client_id}: {@code client_id_prefix-uuid}. */
  public String clientId() {
    return clientId;
  }

  /** The lifecycle state when the snapshot was taken. */
  public HandlerState state() {
    return state;
  }

  /** The configured {@code run_as_thread}. */
  public boolean runAsThread() {
    return runAsThread;
  }

  /**
   * Whether worker threads may run on their own: {@code run_as_thread && !disable_thread}. The
   * seed reports this as {@code run_as_thread}, and so does {@link #toMap()}.
   */
  public boolean threaded() {
    return threaded;
  }

  /** When the handler was created. */
  public Instant createdAt() {
    return createdAt;
  }

  /** When an item was last accepted by {@code feed}. To about a millisecond: see the class description. */
  public Optional<Instant> lastFeedAt() {
    return Optional.ofNullable(lastFeedAt);
  }

  /** When processing of an item last began. To about a millisecond: see the class description. */
  public Optional<Instant> lastGenerateAt() {
    return Optional.ofNullable(lastGenerateAt);
  }

  /** When an item was last processed successfully. To about a millisecond: see the class description. */
  public Optional<Instant> lastResultAt() {
    return Optional.ofNullable(lastResultAt);
  }

  /** When a network call last succeeded. To about a millisecond: see the class description. */
  public Optional<Instant> lastNetworkCallAt() {
    return Optional.ofNullable(lastNetworkCallAt);
  }

  /** Items waiting in the input queue. */
  public int inputQueueSize() {
    return queueSizes[0];
  }

  /** Results waiting in the result queue. */
  public int resultQueueSize() {
    return queueSizes[1];
  }

  /** Callback tasks waiting in the callback queue. */
  public int callbackQueueSize() {
    return queueSizes[2];
  }

  /** Input queue capacity; 0 = unbounded. */
  public int inputQueueCapacity() {
    return queueCapacities[0];
  }

  /** Result queue capacity; 0 = unbounded. */
  public int resultQueueCapacity() {
    return queueCapacities[1];
  }

  /** Callback queue capacity; 0 = unbounded. */
  public int callbackQueueCapacity() {
    return queueCapacities[2];
  }

  /** One counter. */
  public long count(StatsCount count) {
    return counts[count.ordinal()];
  }

  /** {@link StatsCount#FED}. */
  public long fedCount() {
    return count(StatsCount.FED);
  }

  /** {@link StatsCount#ACCEPTED}. */
  public long acceptedCount() {
    return count(StatsCount.ACCEPTED);
  }

  /** {@link StatsCount#GENERATED}. */
  public long generateCount() {
    return count(StatsCount.GENERATED);
  }

  /** {@link StatsCount#PRODUCED}. */
  public long producedCount() {
    return count(StatsCount.PRODUCED);
  }

  /** {@link StatsCount#PROCESSED}. */
  public long processedCount() {
    return count(StatsCount.PROCESSED);
  }

  /** {@link StatsCount#IN_FLIGHT}. */
  public long inFlight() {
    return count(StatsCount.IN_FLIGHT);
  }

  /** {@link StatsCount#HANDED_IN}. */
  public long handedInCount() {
    return count(StatsCount.HANDED_IN);
  }

  /** {@link StatsCount#HANDED_OFF}. */
  public long handedOffCount() {
    return count(StatsCount.HANDED_OFF);
  }

  /** {@link StatsCount#RESULTS_HANDED_IN}. */
  public long resultsHandedIn() {
    return count(StatsCount.RESULTS_HANDED_IN);
  }

  /** {@link StatsCount#RESULTS_HANDED_OFF}. */
  public long resultsHandedOff() {
    return count(StatsCount.RESULTS_HANDED_OFF);
  }

  /** The seed's {@code dropped_count}: every drop of an item, a result or a callback task. */
  public long droppedCount() {
    long total = 0;
    for (long count : drops.values()) {
      total += count;
    }
    return total;
  }

  /** Drops of one reason. */
  public long dropped(DropReason reason) {
    return drops.get(reason);
  }

  /** Drops in one ledger. */
  public long dropped(Ledger ledger) {
    long total = 0;
    for (Map.Entry<DropReason, Long> entry : drops.entrySet()) {
      if (entry.getKey().ledger() == ledger) {
        total += entry.getValue();
      }
    }
    return total;
  }

  /** Drops by reason, every reason present. */
  public Map<DropReason, Long> drops() {
    return drops;
  }

  /** The seed's {@code error_count}: failed items, failed callbacks and failures of a producer's source. */
  public long errorCount() {
    return itemErrorCount() + callbackErrorCount() + otherErrorCount();
  }

  /** {@link StatsCount#ITEM_ERRORS}. */
  public long itemErrorCount() {
    return count(StatsCount.ITEM_ERRORS);
  }

  /** {@link StatsCount#CALLBACK_ERRORS}. */
  public long callbackErrorCount() {
    return count(StatsCount.CALLBACK_ERRORS);
  }

  /** {@link StatsCount#OTHER_ERRORS}. */
  public long otherErrorCount() {
    return count(StatsCount.OTHER_ERRORS);
  }

  /** {@link StatsCount#NETWORK_ERRORS}. */
  public long networkErrorCount() {
    return count(StatsCount.NETWORK_ERRORS);
  }

  /** {@link StatsCount#RESULTS_PUBLISHED}. */
  public long resultsPublished() {
    return count(StatsCount.RESULTS_PUBLISHED);
  }

  /** {@link StatsCount#RESULTS_TAKEN}. */
  public long resultsTaken() {
    return count(StatsCount.RESULTS_TAKEN);
  }

  /** Who holds the results ({@code claimResults}), if anyone. */
  public Optional<String> resultReader() {
    return Optional.ofNullable(resultReader);
  }

  /**
   * {@link StatsCount#RESULTS_UNSETTLED}: in the reader's hands, or parked for its successor. Settling
   * is the reader's business, outside this handler's ledger.
   */
  public long resultsUnsettled() {
    return count(StatsCount.RESULTS_UNSETTLED);
  }

  /** {@link StatsCount#CALLBACKS_EMITTED}. */
  public long callbacksEmitted() {
    return count(StatsCount.CALLBACKS_EMITTED);
  }

  /** {@link StatsCount#CALLBACKS_COMPLETED}. */
  public long callbacksCompleted() {
    return count(StatsCount.CALLBACKS_COMPLETED);
  }

  /** {@link StatsCount#CALLBACKS_RUNNING}. */
  public long callbacksRunning() {
    return count(StatsCount.CALLBACKS_RUNNING);
  }

  /** Worker threads alive. */
  public int workersAlive() {
    return workersAlive;
  }

  /** Whether the callback thread is alive. */
  public boolean callbackThreadAlive() {
    return callbackThreadAlive;
  }

  /** The last drop: its reason and, where known, what was wrong. */
  public Optional<String> lastDrop() {
    return Optional.ofNullable(lastDrop);
  }

  /** Why the handler is {@link HandlerState#FAILED}, if it is. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Figures a handler subclass adds (e.g. the state of a microphone). Under {@value #WARNINGS} a
   * handler may report its current problems, a {@code List<String>}: see {@link #warnings()}.
   */
  public Map<String, Object> details() {
    return details;
  }

  /**
   * The handler's current problems, as it reports them under {@code details().get("warnings")}
   * ({@value #WARNINGS}): e.g. {@code disconnected} for a speech engine that lost its server,
   * {@code broker unreachable} for a Kafka client. Empty when there are none. Elements that are
   * not strings are shown with {@code toString()}; a value that is not a collection is one warning.
   */
  public List<String> warnings() {
    Object value = details.get(WARNINGS);
    if (value == null) {
      return List.of();
    }
    List<String> warnings = new ArrayList<>();
    for (Object warning : value instanceof Collection<?> collection ? collection : List.of(value)) {
      if (warning != null) {
        warnings.add(warning.toString());
      }
    }
    return List.copyOf(warnings);
  }

  /** Everything that entered the item ledger: fed, generated, produced, and taken over. */
  public long itemsIn() {
    return fedCount() + generateCount() + producedCount() + handedInCount();
  }

  /**
   * {@code itemsIn - (processed + item errors + item drops + queued + in flight + handed over)};
   * zero when balanced.
   */
  public long unaccountedItems() {
    return itemsIn() - (processedCount() + itemErrorCount() + dropped(Ledger.ITEMS) + inputQueueSize() + inFlight()
        + handedOffCount());
  }

  /** {@code published + taken over - (taken + result drops + queued + handed over)}; zero when balanced. */
  public long unaccountedResults() {
    return resultsPublished() + resultsHandedIn()
        - (resultsTaken() + dropped(Ledger.RESULTS) + resultQueueSize() + resultsHandedOff());
  }

  /** {@code emitted - (completed + callback errors + callback drops + queued + running)}; zero when balanced. */
  public long unaccountedCallbacks() {
    return callbacksEmitted()
        - (callbacksCompleted() + callbackErrorCount() + dropped(Ledger.CALLBACKS) + callbackQueueSize() + callbacksRunning());
  }

  /** True when all three ledgers balance; expected at every quiescent point. */
  public boolean isBalanced() {
    return unaccountedItems() == 0 && unaccountedResults() == 0 && unaccountedCallbacks() == 0;
  }

  /**
   * The snapshot as a map: first the seed's keys, with timestamps as epoch seconds (or null) and
   * {@code run_as_thread} as the seed reports it ({@link #threaded()}), then ours: every
   * {@link StatsCount} under its key, drops by reason under {@code dropped_by_reason}, subclass figures
   * under {@code details}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("client_id", clientId);
    map.put("created_at", epochSeconds(createdAt));
    map.put("last_feed_at", epochSeconds(lastFeedAt));
    map.put("last_generate_at", epochSeconds(lastGenerateAt));
    map.put("last_result_at", epochSeconds(lastResultAt));
    map.put("last_network_call_at", epochSeconds(lastNetworkCallAt));
    map.put("input_queue_size", inputQueueSize());
    map.put("result_queue_size", resultQueueSize());
    map.put("run_as_thread", threaded);
    map.put(StatsCount.PROCESSED.key(), processedCount());
    map.put("dropped_count", droppedCount());
    map.put("error_count", errorCount());
    map.put(StatsCount.NETWORK_ERRORS.key(), networkErrorCount());
    map.put("name", name);
    map.put("state", state.name().toLowerCase(Locale.ROOT));
    map.put("callback_queue_size", callbackQueueSize());
    map.put("input_queue_capacity", inputQueueCapacity());
    map.put("result_queue_capacity", resultQueueCapacity());
    map.put("callback_queue_capacity", callbackQueueCapacity());
    for (StatsCount count : COUNTS) {
      map.put(count.key(), count(count)); // the seed's two keep their place above
    }
    map.put("result_reader", resultReader);
    Map<String, Long> byReason = new LinkedHashMap<>();
    drops.forEach((reason, count) -> byReason.put(reason.key(), count));
    map.put("dropped_by_reason", byReason);
    map.put("workers_alive", workersAlive);
    map.put("callback_thread_alive", callbackThreadAlive);
    map.put("last_drop", lastDrop);
    map.put("failure", failure);
    map.put("details", details);
    return map;
  }

  private static Double epochSeconds(Instant instant) {
    return instant == null ? null : instant.getEpochSecond() + instant.getNano() / 1e9;
  }

  @Override
  public String toString() {
    return "HandlerStats" + toMap();
  }
}
