package dev.maverick.handler;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link HandlerStats} ({@link HandlerStats#builder()}), for handlers and for tests of code
 * that consumes stats; what is not set is zero, empty or absent.
 */
public final class HandlerStatsBuilder {
  String name = "";
  String clientId = "";
  HandlerState state = HandlerState.IDLE;
  boolean runAsThread;
  boolean disableThread;
  Instant createdAt = Instant.EPOCH;
  Instant lastFeedAt;
  Instant lastGenerateAt;
  Instant lastResultAt;
  Instant lastNetworkCallAt;
  final int[] queueSizes = new int[3];
  final int[] queueCapacities = new int[3];
  final long[] counts = new long[StatsCount.values().length];
  final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
  String resultReader;
  int workersAlive;
  boolean callbackThreadAlive;
  String lastDrop;
  String failure;
  Map<String, Object> details = Map.of();

  HandlerStatsBuilder() {}

  /** Sets the name and client id. */
  public HandlerStatsBuilder identity(String name, String clientId) {
    this.name = name;
    this.clientId = clientId;
    return this;
  }

  /** Sets the lifecycle state. */
  public HandlerStatsBuilder state(HandlerState state) {
    this.state = Objects.requireNonNull(state, "state");
    return this;
  }

  /** Sets the configured {@code run_as_thread} and {@code disable_thread}. */
  public HandlerStatsBuilder threading(boolean runAsThread, boolean disableThread) {
    this.runAsThread = runAsThread;
    this.disableThread = disableThread;
    return this;
  }

  /** Sets when the handler was created. */
  public HandlerStatsBuilder createdAt(Instant createdAt) {
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    return this;
  }

  /** Sets when an item was last accepted (null: never). */
  public HandlerStatsBuilder lastFeedAt(Instant at) {
    this.lastFeedAt = at;
    return this;
  }

  /** Sets when processing last began (null: never). */
  public HandlerStatsBuilder lastGenerateAt(Instant at) {
    this.lastGenerateAt = at;
    return this;
  }

  /** Sets when an item was last processed (null: never). */
  public HandlerStatsBuilder lastResultAt(Instant at) {
    this.lastResultAt = at;
    return this;
  }

  /** Sets when a network call last succeeded (null: never). */
  public HandlerStatsBuilder lastNetworkCallAt(Instant at) {
    this.lastNetworkCallAt = at;
    return this;
  }

  /** Sets the depths of the input, result and callback queues. */
  public HandlerStatsBuilder queueSizes(int input, int result, int callback) {
    queueSizes[0] = input;
    queueSizes[1] = result;
    queueSizes[2] = callback;
    return this;
  }

  /** Sets the capacities of the input, result and callback queues (0 = unbounded). */
  public HandlerStatsBuilder queueCapacities(int input, int result, int callback) {
    queueCapacities[0] = input;
    queueCapacities[1] = result;
    queueCapacities[2] = callback;
    return this;
  }

  /** Sets one counter. */
  public HandlerStatsBuilder count(StatsCount count, long value) {
    counts[count.ordinal()] = value;
    return this;
  }

  /** Sets the drops of one reason. */
  public HandlerStatsBuilder dropped(DropReason reason, long count) {
    drops.put(reason, count);
    return this;
  }

  /** Sets who holds the results ({@code claimResults}); null: nobody. */
  public HandlerStatsBuilder resultReader(String reader) {
    this.resultReader = reader;
    return this;
  }

  /** Sets thread liveness. */
  public HandlerStatsBuilder threads(int workersAlive, boolean callbackThreadAlive) {
    this.workersAlive = workersAlive;
    this.callbackThreadAlive = callbackThreadAlive;
    return this;
  }

  /** Sets the description of the last drop and of a failure (both nullable). */
  public HandlerStatsBuilder diagnostics(String lastDrop, String failure) {
    this.lastDrop = lastDrop;
    this.failure = failure;
    return this;
  }

  /** Sets figures added by a handler subclass. */
  public HandlerStatsBuilder details(Map<String, Object> details) {
    this.details = details;
    return this;
  }

  /** Builds the snapshot. */
  public HandlerStats build() {
    return new HandlerStats(this);
  }
}
