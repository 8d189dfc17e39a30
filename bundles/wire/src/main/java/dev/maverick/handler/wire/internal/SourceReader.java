package dev.maverick.handler.wire.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.ResultReader;
import dev.maverick.handler.ResultsClaimedException;
import dev.maverick.handler.TakenResult;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that reads a wire's source: it claims the source's results whenever an instance
 * of the source is registered (and releases the claim when it goes), takes results in batches in
 * production order, and puts a copy of each into every target's lane, after the filter, the
 * select and the extras. Under {@code block} a full lane makes it wait, which stops it taking,
 * which lets the source's result queue fill: backpressure reaches the source.
 */
final class SourceReader {
  private static final Logger LOG = LoggerFactory.getLogger(SourceReader.class);
  /** Results taken at once: one lock of the source's result queue for up to this many. */
  static final int BATCH = 64;
  private static final Duration TAKE_WAIT = Duration.ofMillis(100);
  private static final long CLAIM_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  /** How long an instance that left the registry without closing is still read. */
  private static final long DEPARTURE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final WireConfig config;
  private final String owner;
  private final HandlerSlot source;
  private final List<Lane> lanes;
  private final Map<String, ?> plainExtras;

  final LongAdder taken = new LongAdder();
  final LongAdder filtered = new LongAdder();
  final LongAdder selectMissing = new LongAdder();

  private volatile boolean running = true;
  private volatile String claimProblem;
  /** Whether the reader holds a claim on the source's results now. */
  private volatile boolean claimed;
  private Thread thread;
  // the reader thread's own
  private ResultReader<Object> claim;
  private Handler<Object, Object> claimedFrom;
  private long departedAt;
  private final java.util.function.BooleanSupplier overflow = this::sourceClosing;
  /**
   * The last result extras found to be all overridden by {@link #plainExtras}: a source hands the
   * same map with every result (the extras an upstream wire gave it, frozen by the core: it cannot
   * change), and comparing key sets again for each result allocated iterators on the hot path
   * (a fifth of the wired graph's allocation per result in the benchmark).
   */
  private Map<String, ?> lastOverridden;

  SourceReader(WireConfig config, HandlerSlot source, List<Lane> lanes) {
    this.config = config;
    this.owner = "wire '" + config.name() + "'";
    this.source = source;
    this.lanes = List.copyOf(lanes);
    Map<String, Object> plain = new LinkedHashMap<>(config.extra());
    plain.put(Wire.FROM_EXTRA, config.from());
    this.plainExtras = Map.copyOf(plain);
  }

  /** Starts the reading thread. */
  void start(String threadName) {
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Why the source's results cannot be claimed now (another reader holds them), or null. */
  String claimProblem() {
    return claimProblem;
  }

  /** Whether the reader holds the source's results now (until then the wire is not reading, whatever is registered). */
  boolean claimed() {
    return claimed;
  }

  /**
   * Stops taking: the batch in hand is put into the lanes whatever their capacity, and the claim is
   * released (untaken results stay queued in the source, for the wire's successor).
   */
  void stop() {
    running = false;
    Thread reading = thread;
    if (reading == null) {
      return;
    }
    reading.interrupt();
    try {
      reading.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reading.isAlive()) {
      LOG.warn("wire '{}': the reader thread did not stop: {}", config.name(), reading);
    }
  }

  /** Whether the reading thread is alive. */
  boolean threadAlive() {
    Thread reading = thread;
    return reading != null && reading.isAlive();
  }

  private void run() {
    List<TakenResult<Object>> batch = new ArrayList<>(BATCH);
    List<List<Delivery>> perLane = new ArrayList<>();
    lanes.forEach(lane -> perLane.add(new ArrayList<>(BATCH)));
    try {
      while (running) {
        ResultReader<Object> reader = currentClaim();
        if (reader == null) {
          continue;
        }
        batch.clear();
        try {
          if (reader.drainTo(batch, BATCH) == 0) {
            Optional<TakenResult<Object>> one = reader.take(TAKE_WAIT);
            if (one.isEmpty()) {
              continue;
            }
            batch.add(one.get());
            reader.drainTo(batch, BATCH - 1);
          }
        } catch (IllegalStateException closed) {
          // the claim was released under us (never by us while running): claim again
          claim = null;
          claimed = false;
        }
        if (!batch.isEmpty()) {
          distribute(batch, perLane);
        }
      }
    } finally {
      release();
    }
  }

  /** The claim on the current source instance, made or renewed as instances come and go; null to look again. */
  private ResultReader<Object> currentClaim() {
    Handler<Object, Object> now = source.current();
    if (claim != null && claim.isOpen()) {
      if (claimedFrom == now || stillReading(claimedFrom, now)) {
        return claim;
      }
    }
    release();
    if (now == null) {
      awaitSource(null);
      return null;
    }
    try {
      claim = now.claimResults(owner);
      claimedFrom = now;
      departedAt = 0;
      claimProblem = null;
      claimed = true;
      LOG.info("wire '{}' reads the results of '{}'", config.name(), config.from());
      return claim;
    } catch (ResultsClaimedException e) {
      if (!e.getMessage().equals(claimProblem)) {
        LOG.warn("wire '{}' cannot read its source: {}; it tries again until it can", config.name(), e.getMessage());
      }
      claimProblem = e.getMessage();
      awaitSource(now);
      return null;
    }
  }

  /**
   * Whether to go on reading an instance of the source that left the registry. A component
   * unregisters its handler and then closes it, and the handler's workers finish the items in hand,
   * which needs room in its result queue: so the wire reads it to the end while it closes (what
   * it has not taken by then goes to the successor with the hand-over), and moves on once it is
   * closed and empty. An instance that left and does not close (renamed) is let go after a grace
   * period, or at once when a successor is here.
   */
  private boolean stillReading(Handler<Object, Object> departed, Handler<Object, Object> successor) {
    HandlerState state = departed.state();
    if (state == HandlerState.CLOSED) {
      return departed.stats().resultQueueSize() > 0;
    }
    if (state == HandlerState.CLOSING) {
      return true;
    }
    if (departedAt == 0) {
      departedAt = System.nanoTime();
    }
    return successor == null && System.nanoTime() - departedAt < DEPARTURE_GRACE_NANOS;
  }

  private void awaitSource(Handler<Object, Object> notThis) {
    try {
      source.awaitOther(notThis, CLAIM_RETRY_NANOS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // only stop() interrupts: the loop ends
    }
  }

  private void release() {
    if (claim != null) {
      claimed = false;
      claim.close();
      claim = null;
      claimedFrom = null;
    }
  }

  /**
   * Puts a copy of each result into every lane, in order. Each result is counted in every lane's
   * reader hand before it is counted taken, and leaves a hand only once it is buffered, refused or
   * evicted by that lane, or filtered.
   */
  private void distribute(List<TakenResult<Object>> batch, List<List<Delivery>> perLane) {
    int count = batch.size();
    for (Lane lane : lanes) {
      lane.readerHand.add(count);
    }
    taken.add(count);
    int notPassed = 0;
    int missing = 0;
    List<TakenResult<Object>> doneWith = null;
    for (TakenResult<Object> taken : batch) {
      Object result = taken.result();
      if (!config.passes(result)) {
        notPassed++;
        doneWith = add(doneWith, taken);
        continue;
      }
      Object item = select(result);
      if (item == null) {
        missing++;
        doneWith = add(doneWith, taken);
        continue;
      }
      if (lanes.size() == 1) {
        perLane.get(0).add(Delivery.only(item, extrasOf(taken.extra()), taken));
        continue;
      }
      Delivery[] copies = Delivery.copies(item, extrasOf(taken.extra()), taken, lanes.size());
      for (int i = 0; i < copies.length; i++) {
        perLane.get(i).add(copies[i]);
      }
    }
    if (doneWith != null) {
      filtered.add(notPassed);
      selectMissing.add(missing);
      for (Lane lane : lanes) {
        lane.readerHand.add(-(notPassed + missing));
      }
      if (missing > 0) {
        LOG.debug("wire '{}': {} result(s) without the key '{}' dropped", config.name(), missing, config.select().orElse(""));
      }
      doneWith.forEach(TakenResult::settle);
    }
    for (int i = 0; i < lanes.size(); i++) {
      List<Delivery> copies = perLane.get(i);
      lanes.get(i).deliverOrBuffer(copies, !running, overflow);
      copies.clear();
    }
  }

  /**
   * Whether a put waiting for room should stop waiting and overflow the buffer: when the wire stops,
   * and while the source it reads is closing. A closing handler's workers must put the results of
   * the items in hand into its result queue before it can hand over and close; were the wire to
   * wait for a target that is itself going away (both in one bundle being updated), neither would
   * ever move. The buffer is over its capacity by at most what the closing source still holds.
   */
  private boolean sourceClosing() {
    if (!running) {
      return true;
    }
    Handler<Object, Object> reading = claimedFrom;
    if (reading == null) {
      return false;
    }
    HandlerState state = reading.state();
    return state == HandlerState.CLOSING || state == HandlerState.CLOSED;
  }

  private Object select(Object result) {
    Optional<String> key = config.select();
    if (key.isEmpty()) {
      return result;
    }
    return result instanceof Map<?, ?> map ? map.get(key.get()) : null;
  }

  /** The result's extras, then the wire's {@code extra}, then {@code wire.from}. */
  private Map<String, ?> extrasOf(Map<String, ?> resultExtras) {
    if (resultExtras.isEmpty() || resultExtras == lastOverridden) {
      return plainExtras;
    }
    if (plainExtras.keySet().containsAll(resultExtras.keySet())) {
      lastOverridden = resultExtras;
      return plainExtras; // nothing of the result's own survives (e.g. the wire.from of a wire before this one)
    }
    Map<String, Object> merged = new LinkedHashMap<>(resultExtras);
    merged.putAll(plainExtras);
    return merged.containsValue(null) ? java.util.Collections.unmodifiableMap(merged) : Map.copyOf(merged);
  }

  private static <T> List<T> add(List<T> list, T element) {
    List<T> result = list == null ? new ArrayList<>() : list;
    result.add(element);
    return result;
  }
}
