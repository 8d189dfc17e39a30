package dev.maverick.handler.wire.internal;

import dev.maverick.handler.wire.WireConfig;
import dev.maverick.handler.wire.WireDropReason;
import dev.maverick.handler.wire.WireLedger;
import dev.maverick.handler.wire.WireLedger.TargetLedger;
import dev.maverick.handler.wire.WireState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running wire: one {@link SourceReader}, one {@link Lane} per target and one for the dead letter,
 * each with its thread named after the wire ({@code wire-<name>-reader}, {@code wire-<name>-to-<target>},
 * {@code wire-<name>-dead-letter}). It takes over what its predecessor handed over before its
 * threads start, and at close either hands what it holds to its successor or delivers it for up to
 * {@code shutdown_timeout}. No thread is left after {@link #close}.
 */
final class WireEngine {
  private static final Logger LOG = LoggerFactory.getLogger(WireEngine.class);
  /** A wire blocked longer than this is a warning (and the health check's WARN). */
  static final Duration BLOCKED_WARNING = Duration.ofSeconds(5);
  /** A refusal (dead letter, or drop for a refused item) this recent is a warning. */
  static final Duration REFUSAL_WARNING = Duration.ofSeconds(60);

  private final WireConfig config;
  private final String key;
  private final String owner;
  private final HandlerDirectory directory;
  private final HandlerSlot source;
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final Lane deadLetter;
  private final SourceReader reader;
  private final LongAdder unwired = new LongAdder();
  private volatile boolean closed;

  /**
   * @param key the hand-over key: the wire's configuration PID, the same for every instance of it
   */
  WireEngine(WireConfig config, String key, HandlerDirectory directory) {
    this.config = config;
    this.key = key;
    this.owner = "wire '" + config.name() + "'";
    this.directory = directory;
    this.source = new HandlerSlot(config.from());
    this.deadLetter = config.deadLetter().map(name -> new Lane(config.name(), config.from(), new HandlerSlot(name),
        config.bufferSize(), config.policy(), null, true, config.shutdownTimeout(), false)).orElse(null);
    boolean oneTarget = config.to().size() == 1;
    for (String target : config.to()) {
      lanes.put(target, new Lane(config.name(), config.from(), new HandlerSlot(target), config.bufferSize(),
          config.policy(), deadLetter, false, config.shutdownTimeout(), oneTarget));
    }
    this.reader = config.enabled() ? new SourceReader(config, source, List.copyOf(lanes.values())) : null;
  }

  /** Takes over what the predecessor handed over, then follows the handlers and starts the threads. */
  synchronized void start() {
    WireHandover.adopt(key, owner, lanes, deadLetter, unwired);
    String prefix = "wire-" + config.name();
    if (deadLetter != null) {
      directory.follow(deadLetter.slot());
      deadLetter.start(prefix + "-dead-letter");
    }
    for (Lane lane : lanes.values()) {
      directory.follow(lane.slot());
      lane.start(prefix + "-to-" + lane.target());
    }
    if (reader != null) {
      directory.follow(source);
      reader.start(prefix + "-reader");
    }
    LOG.info("{} started: {} -> {}{}", owner, config.from(), String.join(", ", config.to()),
        config.enabled() ? "" : " (disabled: it reads nothing)");
  }

  /**
   * Closes the wire: it stops reading (releasing the source), then either hands everything it holds
   * to the next instance of its configuration ({@code handOver}) or lets each lane deliver what it
   * holds for up to {@code shutdown_timeout} and counts the rest ({@code shutdown}). Idempotent.
   */
  synchronized void close(boolean handOver) {
    if (closed) {
      return;
    }
    closed = true;
    if (reader != null) {
      reader.stop();
    }
    if (handOver) {
      List<WireHandover.Parked> parked = new ArrayList<>();
      for (Lane lane : lanes.values()) {
        parked.add(new WireHandover.Parked(lane, lane.stopForHandover()));
      }
      if (deadLetter != null) {
        parked.add(new WireHandover.Parked(deadLetter, deadLetter.stopForHandover()));
      }
      WireHandover.park(key, owner, parked, config.shutdownTimeout());
    } else {
      long timeout = config.shutdownTimeout().toNanos();
      lanes.values().forEach(Lane::beginDraining);
      long deadline = System.nanoTime() + timeout;
      lanes.values().forEach(lane -> lane.stopDraining(deadline));
      if (deadLetter != null) {
        deadLetter.stopDraining(System.nanoTime() + timeout);
      }
    }
    directory.close();
    LOG.info("{} closed{}", owner, handOver ? " for its next instance" : "");
  }

  /** Whether every thread of the wire has ended (true after {@link #close}). */
  boolean threadsEnded() {
    boolean ended = reader == null || !reader.threadAlive();
    for (Lane lane : lanes.values()) {
      ended &= !lane.threadAlive();
    }
    return ended && (deadLetter == null || !deadLetter.threadAlive());
  }

  /**
   * The state: closed, disabled, waiting for a handler (or for the source's results: running only
   * once the reader holds them, so that nobody else can take one), or running.
   */
  WireState state() {
    if (closed) {
      return WireState.CLOSED;
    }
    if (!config.enabled()) {
      return WireState.DISABLED;
    }
    boolean waiting = source.waiting() || !reader.claimed() || reader.claimProblem() != null
        || lanes.values().stream().anyMatch(lane -> lane.slot().waiting())
        || (deadLetter != null && deadLetter.slot().waiting());
    return waiting ? WireState.WAITING : WireState.RUNNING;
  }

  /**
   * A snapshot of the books, read upstream first: taken, each lane's reader hand, what the reader
   * filtered or dropped, then each lane's buffer, hand and final places, then the dead letter.
   */
  WireLedger ledger() {
    long now = System.nanoTime();
    long taken = reader == null ? 0 : reader.taken.sum();
    List<Lane> targets = List.copyOf(lanes.values());
    long[] readerHands = new long[targets.size()];
    for (int i = 0; i < readerHands.length; i++) {
      readerHands[i] = targets.get(i).readerHand.sum();
    }
    long filtered = reader == null ? 0 : reader.filtered.sum();
    long missing = reader == null ? 0 : reader.selectMissing.sum();
    long unwiredNow = unwired.sum();
    Map<String, TargetLedger> books = new LinkedHashMap<>();
    Duration blocked = Duration.ZERO;
    for (int i = 0; i < readerHands.length; i++) {
      TargetLedger lane = targets.get(i).targetLedger(readerHands[i], now);
      books.put(lane.target(), lane);
      blocked = lane.blockedFor().compareTo(blocked) > 0 ? lane.blockedFor() : blocked;
    }
    Map<WireDropReason, Long> dropped = new EnumMap<>(WireDropReason.class);
    if (missing != 0) {
      dropped.put(WireDropReason.SELECT_MISSING, missing);
    }
    return new WireLedger(config.name(), taken, filtered, dropped, unwiredNow, books,
        Optional.ofNullable(deadLetter).map(Lane::deadLetterLedger), blocked);
  }

  /** The wire's current problems, one short sentence each; see {@code Wire.warnings()}. */
  List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (closed) {
      return warnings;
    }
    long now = System.nanoTime();
    if (reader != null && source.waiting()) {
      warnings.add("waiting for handler '" + source.name() + "' (its source)");
    } else if (reader != null && reader.claimProblem() != null) {
      warnings.add("cannot read its source: " + reader.claimProblem());
    }
    for (Lane lane : lanes.values()) {
      if (lane.slot().waiting()) {
        warnings.add("waiting for handler '" + lane.target() + "' (a target)");
      }
      Duration blocked = lane.blockedFor(now);
      if (blocked.compareTo(BLOCKED_WARNING) > 0) {
        warnings.add("blocked for " + blocked.toSeconds() + " s delivering to '" + lane.target() + "' ("
            + (lane.slot().waiting() ? "it is not registered" : "it takes nothing: its input queue is full") + ")");
      }
      refusalWarning(lane, now, warnings);
    }
    if (deadLetter != null) {
      if (deadLetter.slot().waiting()) {
        warnings.add("waiting for handler '" + deadLetter.target() + "' (its dead letter)");
      }
      refusalWarning(deadLetter, now, warnings);
    }
    return warnings;
  }

  private void refusalWarning(Lane lane, long now, List<String> warnings) {
    long last = lane.lastRefusal();
    if (last == 0 || now - last > REFUSAL_WARNING.toNanos()) {
      return;
    }
    long ago = TimeUnit.NANOSECONDS.toSeconds(now - last);
    if (lane.isDeadLetter()) {
      if (lane.refusedDrops() > 0) {
        warnings.add("its dead letter '" + lane.target() + "' did not take " + lane.refusedDrops() + " item(s) so far,"
            + " dropped; the last " + ago + " s ago");
      }
    } else if (deadLetter != null) {
      warnings.add("dead-lettering: '" + lane.target() + "' refused or failed on items; " + lane.deadLettered()
          + " sent to '" + deadLetter.target() + "' so far, the last " + ago + " s ago");
    } else {
      warnings.add("dropping: '" + lane.target() + "' refused " + lane.refusedDrops() + " item(s) so far, the last "
          + ago + " s ago (the wire has no dead_letter)");
    }
  }

  /** The configuration. */
  WireConfig config() {
    return config;
  }
}
