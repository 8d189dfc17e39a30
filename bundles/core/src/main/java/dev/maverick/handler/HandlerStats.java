package dev.maverick.handler;

import dev.maverick.handler.DropReason.Ledger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private final String name;
  private final String clientId;
  private final HandlerState state;
  private final boolean runAsThread;
  private final Instant createdAt;
  private final Instant lastFeedAt;
  private final Instant lastGenerateAt;
  private final Instant lastResultAt;
  private final Instant lastNetworkCallAt;
  private final int inputQueueSize;
  private final int resultQueueSize;
  private final int callbackQueueSize;
  private final int inputQueueCapacity;
  private final int resultQueueCapacity;
  private final int callbackQueueCapacity;
  private final long fedCount;
  private final long acceptedCount;
  private final long generateCount;
  private final long producedCount;
  private final long processedCount;
  private final long inFlight;
  private final long handedInCount;
  private final long handedOffCount;
  private final long resultsHandedIn;
  private final long resultsHandedOff;
  private final long itemErrorCount;
  private final long callbackErrorCount;
  private final long otherErrorCount;
  private final long networkErrorCount;
  private final long resultsPublished;
  private final long resultsTaken;
  private final String resultReader;
  private final long resultsUnsettled;
  private final long callbacksEmitted;
  private final long callbacksCompleted;
  private final long callbacksRunning;
  private final Map<DropReason, Long> drops;
  private final int workersAlive;
  private final boolean callbackThreadAlive;
  private final String lastDrop;
  private final String failure;
  private final Map<String, Object> details;

  private HandlerStats(Builder b) {
    this.name = b.name;
    this.clientId = b.clientId;
    this.state = b.state;
    this.runAsThread = b.runAsThread;
    this.createdAt = b.createdAt;
    this.lastFeedAt = b.lastFeedAt;
    this.lastGenerateAt = b.lastGenerateAt;
    this.lastResultAt = b.lastResultAt;
    this.lastNetworkCallAt = b.lastNetworkCallAt;
    this.inputQueueSize = b.inputQueueSize;
    this.resultQueueSize = b.resultQueueSize;
    this.callbackQueueSize = b.callbackQueueSize;
    this.inputQueueCapacity = b.inputQueueCapacity;
    this.resultQueueCapacity = b.resultQueueCapacity;
    this.callbackQueueCapacity = b.callbackQueueCapacity;
    this.fedCount = b.fedCount;
    this.acceptedCount = b.acceptedCount;
    this.generateCount = b.generateCount;
    this.producedCount = b.producedCount;
    this.processedCount = b.processedCount;
    this.inFlight = b.inFlight;
    this.handedInCount = b.handedInCount;
    this.handedOffCount = b.handedOffCount;
    this.resultsHandedIn = b.resultsHandedIn;
    this.resultsHandedOff = b.resultsHandedOff;
    this.itemErrorCount = b.itemErrorCount;
    this.callbackErrorCount = b.callbackErrorCount;
    this.otherErrorCount = b.otherErrorCount;
    this.networkErrorCount = b.networkErrorCount;
    this.resultsPublished = b.resultsPublished;
    this.resultsTaken = b.resultsTaken;
    this.resultReader = b.resultReader;
    this.resultsUnsettled = b.resultsUnsettled;
    this.callbacksEmitted = b.callbacksEmitted;
    this.callbacksCompleted = b.callbacksCompleted;
    this.callbacksRunning = b.callbacksRunning;
    EnumMap<DropReason, Long> copy = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      copy.put(reason, b.drops.getOrDefault(reason, 0L));
    }
    this.drops = Collections.unmodifiableMap(copy);
    this.workersAlive = b.workersAlive;
    this.callbackThreadAlive = b.callbackThreadAlive;
    this.lastDrop = b.lastDrop;
    this.failure = b.failure;
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(b.details));
  }

  /** A builder, for handlers and for tests of code that consumes stats. */
  public static Builder builder() {
    return new Builder();
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

  /** The seed's {@code run_as_thread}: as configured, {@code run_as_thread && !disable_thread}. */
  public boolean runAsThread() {
    return runAsThread;
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
    return inputQueueSize;
  }

  /** Results waiting in the result queue. */
  public int resultQueueSize() {
    return resultQueueSize;
  }

  /** Callback tasks waiting in the callback queue. */
  public int callbackQueueSize() {
    return callbackQueueSize;
  }

  /** Input queue capacity; 0 = unbounded. */
  public int inputQueueCapacity() {
    return inputQueueCapacity;
  }

  /** Result queue capacity; 0 = unbounded. */
  public int resultQueueCapacity() {
    return resultQueueCapacity;
  }

  /** Callback queue capacity; 0 = unbounded. */
  public int callbackQueueCapacity() {
    return callbackQueueCapacity;
  }

  /** Calls of {@code feed}, accepted or not. */
  public long fedCount() {
    return fedCount;
  }

  /** Items {@code feed} put on the input queue. */
  public long acceptedCount() {
    return acceptedCount;
  }

  /** Calls of {@code generate}. */
  public long generateCount() {
    return generateCount;
  }

  /** Results a producer-style handler published on its own. */
  public long producedCount() {
    return producedCount;
  }

  /** The seed's {@code processed_count}: items processed successfully, on either path. */
  public long processedCount() {
    return processedCount;
  }

  /** Items being processed right now. */
  public long inFlight() {
    return inFlight;
  }

  /** Items taken over from a predecessor (a bundle update, a DS reactivation). */
  public long handedInCount() {
    return handedInCount;
  }

  /** Items handed over to a successor at close (and not since counted as dropped). */
  public long handedOffCount() {
    return handedOffCount;
  }

  /** Results taken over from a predecessor. */
  public long resultsHandedIn() {
    return resultsHandedIn;
  }

  /** Untaken results handed over to a successor at close. */
  public long resultsHandedOff() {
    return resultsHandedOff;
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
    return itemErrorCount + callbackErrorCount + otherErrorCount;
  }

  /** Items whose processing threw. */
  public long itemErrorCount() {
    return itemErrorCount;
  }

  /** Callback tasks that threw. */
  public long callbackErrorCount() {
    return callbackErrorCount;
  }

  /** Errors not tied to an item or callback, e.g. a producer's source failing. */
  public long otherErrorCount() {
    return otherErrorCount;
  }

  /** The seed's {@code network_error_count}: failed network calls, each counted once. */
  public long networkErrorCount() {
    return networkErrorCount;
  }

  /** Non-null results offered to the result queue. */
  public long resultsPublished() {
    return resultsPublished;
  }

  /** Results taken by {@code getResult} or by the reader of the results. */
  public long resultsTaken() {
    return resultsTaken;
  }

  /** Who holds the results ({@code claimResults}), if anyone. */
  public Optional<String> resultReader() {
    return Optional.ofNullable(resultReader);
  }

  /**
   * Results a reader took and has not settled yet (in its hands, or parked for its successor).
   * Part of {@link #resultsTaken()}: settling is the reader's business, outside this handler's
   * ledger.
   */
  public long resultsUnsettled() {
    return resultsUnsettled;
  }

  /** Callback tasks given to {@code emitAsyncCallback}. */
  public long callbacksEmitted() {
    return callbacksEmitted;
  }

  /** Callback tasks that ran without throwing. */
  public long callbacksCompleted() {
    return callbacksCompleted;
  }

  /** Callback tasks running right now. */
  public long callbacksRunning() {
    return callbacksRunning;
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
   * not strings are shown with {@code toString()}; a value that is not a list is one warning.
   */
  public List<String> warnings() {
    Object value = details.get(WARNINGS);
    if (value == null) {
      return List.of();
    }
    List<String> warnings = new ArrayList<>();
    if (value instanceof Collection<?> collection) {
      for (Object warning : collection) {
        if (warning != null) {
          warnings.add(warning.toString());
        }
      }
    } else {
      warnings.add(value.toString());
    }
    return List.copyOf(warnings);
  }

  /** Everything that entered the item ledger: fed, generated, produced, and taken over. */
  public long itemsIn() {
    return fedCount + generateCount + producedCount + handedInCount;
  }

  /**
   * {@code itemsIn - (processed + item errors + item drops + queued + in flight + handed over)};
   * zero when balanced.
   */
  public long unaccountedItems() {
    return itemsIn()
        - (processedCount + itemErrorCount + dropped(Ledger.ITEMS) + inputQueueSize + inFlight + handedOffCount);
  }

  /** {@code published + taken over - (taken + result drops + queued + handed over)}; zero when balanced. */
  public long unaccountedResults() {
    return resultsPublished + resultsHandedIn - (resultsTaken + dropped(Ledger.RESULTS) + resultQueueSize + resultsHandedOff);
  }

  /** {@code emitted - (completed + callback errors + callback drops + queued + running)}; zero when balanced. */
  public long unaccountedCallbacks() {
    return callbacksEmitted
        - (callbacksCompleted + callbackErrorCount + dropped(Ledger.CALLBACKS) + callbackQueueSize + callbacksRunning);
  }

  /** True when all three ledgers balance; expected at every quiescent point. */
  public boolean isBalanced() {
    return unaccountedItems() == 0 && unaccountedResults() == 0 && unaccountedCallbacks() == 0;
  }

  /**
   * The snapshot as a map: first the seed's keys, with timestamps as epoch seconds (or null),
   * then ours. Drops by reason are under {@code dropped_by_reason}, subclass figures under
   * {@code details}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("client_id", clientId);
    map.put("created_at", epochSeconds(createdAt));
    map.put("last_feed_at", epochSeconds(lastFeedAt));
    map.put("last_generate_at", epochSeconds(lastGenerateAt));
    map.put("last_result_at", epochSeconds(lastResultAt));
    map.put("last_network_call_at", epochSeconds(lastNetworkCallAt));
    map.put("input_queue_size", inputQueueSize);
    map.put("result_queue_size", resultQueueSize);
    map.put("run_as_thread", runAsThread);
    map.put("processed_count", processedCount);
    map.put("dropped_count", droppedCount());
    map.put("error_count", errorCount());
    map.put("network_error_count", networkErrorCount);
    map.put("name", name);
    map.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    map.put("callback_queue_size", callbackQueueSize);
    map.put("input_queue_capacity", inputQueueCapacity);
    map.put("result_queue_capacity", resultQueueCapacity);
    map.put("callback_queue_capacity", callbackQueueCapacity);
    map.put("fed_count", fedCount);
    map.put("accepted_count", acceptedCount);
    map.put("generate_count", generateCount);
    map.put("produced_count", producedCount);
    map.put("in_flight", inFlight);
    map.put("handed_in_count", handedInCount);
    map.put("handed_off_count", handedOffCount);
    map.put("results_handed_in_count", resultsHandedIn);
    map.put("results_handed_off_count", resultsHandedOff);
    map.put("item_error_count", itemErrorCount);
    map.put("callback_error_count", callbackErrorCount);
    map.put("other_error_count", otherErrorCount);
    map.put("results_published_count", resultsPublished);
    map.put("results_taken_count", resultsTaken);
    map.put("result_reader", resultReader);
    map.put("results_unsettled", resultsUnsettled);
    map.put("callbacks_emitted_count", callbacksEmitted);
    map.put("callbacks_completed_count", callbacksCompleted);
    map.put("callbacks_running", callbacksRunning);
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

  /** Builds a {@link HandlerStats}. */
  public static final class Builder {
    private String name = "";
    private String clientId = "";
    private HandlerState state = HandlerState.IDLE;
    private boolean runAsThread;
    private Instant createdAt = Instant.EPOCH;
    private Instant lastFeedAt;
    private Instant lastGenerateAt;
    private Instant lastResultAt;
    private Instant lastNetworkCallAt;
    private int inputQueueSize;
    private int resultQueueSize;
    private int callbackQueueSize;
    private int inputQueueCapacity;
    private int resultQueueCapacity;
    private int callbackQueueCapacity;
    private long fedCount;
    private long acceptedCount;
    private long generateCount;
    private long producedCount;
    private long processedCount;
    private long inFlight;
    private long handedInCount;
    private long handedOffCount;
    private long resultsHandedIn;
    private long resultsHandedOff;
    private long itemErrorCount;
    private long callbackErrorCount;
    private long otherErrorCount;
    private long networkErrorCount;
    private long resultsPublished;
    private long resultsTaken;
    private String resultReader;
    private long resultsUnsettled;
    private long callbacksEmitted;
    private long callbacksCompleted;
    private long callbacksRunning;
    private final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    private int workersAlive;
    private boolean callbackThreadAlive;
    private String lastDrop;
    private String failure;
    private Map<String, Object> details = Map.of();

    private Builder() {}

    /** Sets the name and client id. */
    public Builder identity(String name, String clientId) {
      this.name = name;
      this.clientId = clientId;
      return this;
    }

    /** Sets the state and the configured {@code run_as_thread}. */
    public Builder state(HandlerState state, boolean runAsThread) {
      this.state = state;
      this.runAsThread = runAsThread;
      return this;
    }

    /** Sets the timestamps (nullable except {@code created}). */
    public Builder timestamps(Instant created, Instant lastFeed, Instant lastGenerate, Instant lastResult,
        Instant lastNetworkCall) {
      this.createdAt = created;
      this.lastFeedAt = lastFeed;
      this.lastGenerateAt = lastGenerate;
      this.lastResultAt = lastResult;
      this.lastNetworkCallAt = lastNetworkCall;
      return this;
    }

    /** Sets queue depths. */
    public Builder queueSizes(int input, int result, int callback) {
      this.inputQueueSize = input;
      this.resultQueueSize = result;
      this.callbackQueueSize = callback;
      return this;
    }

    /** Sets queue capacities (0 = unbounded). */
    public Builder queueCapacities(int input, int result, int callback) {
      this.inputQueueCapacity = input;
      this.resultQueueCapacity = result;
      this.callbackQueueCapacity = callback;
      return this;
    }

    /** Sets the item ledger. */
    public Builder items(long fed, long accepted, long generated, long produced, long processed, long inFlight,
        long itemErrors) {
      this.fedCount = fed;
      this.acceptedCount = accepted;
      this.generateCount = generated;
      this.producedCount = produced;
      this.processedCount = processed;
      this.inFlight = inFlight;
      this.itemErrorCount = itemErrors;
      return this;
    }

    /** Sets what was taken over from a predecessor and handed over to a successor. */
    public Builder handover(long itemsIn, long itemsOff, long resultsIn, long resultsOff) {
      this.handedInCount = itemsIn;
      this.handedOffCount = itemsOff;
      this.resultsHandedIn = resultsIn;
      this.resultsHandedOff = resultsOff;
      return this;
    }

    /** Sets the result ledger. */
    public Builder results(long published, long taken) {
      this.resultsPublished = published;
      this.resultsTaken = taken;
      return this;
    }

    /** Sets who reads the results (null: nobody claimed them) and how many it took and has not settled. */
    public Builder resultReader(String reader, long unsettled) {
      this.resultReader = reader;
      this.resultsUnsettled = unsettled;
      return this;
    }

    /** Sets the callback ledger. */
    public Builder callbacks(long emitted, long completed, long running, long errors) {
      this.callbacksEmitted = emitted;
      this.callbacksCompleted = completed;
      this.callbacksRunning = running;
      this.callbackErrorCount = errors;
      return this;
    }

    /** Sets the counters outside the ledgers. */
    public Builder errors(long networkErrors, long otherErrors) {
      this.networkErrorCount = networkErrors;
      this.otherErrorCount = otherErrors;
      return this;
    }

    /** Sets the drops of one reason. */
    public Builder dropped(DropReason reason, long count) {
      drops.put(reason, count);
      return this;
    }

    /** Sets thread liveness. */
    public Builder threads(int workersAlive, boolean callbackThreadAlive) {
      this.workersAlive = workersAlive;
      this.callbackThreadAlive = callbackThreadAlive;
      return this;
    }

    /** Sets the description of the last drop and of a failure (both nullable). */
    public Builder diagnostics(String lastDrop, String failure) {
      this.lastDrop = lastDrop;
      this.failure = failure;
      return this;
    }

    /** Sets figures added by a handler subclass. */
    public Builder details(Map<String, Object> details) {
      this.details = details;
      return this;
    }

    /** Builds the snapshot. */
    public HandlerStats build() {
      return new HandlerStats(this);
    }
  }
}
