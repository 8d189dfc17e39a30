package dev.maverick.handler.wire.internal;

import dev.maverick.handler.Admission;
import dev.maverick.handler.Handler;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireDropReason;
import dev.maverick.handler.wire.WireLedger.DeadLetterLedger;
import dev.maverick.handler.wire.WireLedger.TargetLedger;
import dev.maverick.handler.wire.WirePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target of a wire (or its dead letter): a bounded {@link LaneBuffer} and one delivering
 * thread that offers the buffered copies to the target in order, waiting while the target is full
 * or away. A slow target fills only its own buffer; then the wire's policy decides.
 *
 * <p>Every copy is, at every moment, in one place of this lane's books: in the reader's hand
 * (taken, not yet buffered here), buffered, in this thread's hand, or done (delivered, dropped
 * for a reason, sent to the dead letter, handed to the wire's successor). A copy is counted in its
 * next place before it leaves the one it is in.
 */
final class Lane {
  private static final Logger LOG = LoggerFactory.getLogger(Lane.class);
  /** How many copies the delivering thread takes from the buffer at once. */
  private static final int BATCH = 64;
  /** How long one offer waits for room in the target, and one wait for a target, before looking at the flags again. */
  private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final Duration OFFER_WAIT = Duration.ofNanos(WAIT_NANOS);

  private final String wire;
  private final HandlerSlot slot;
  private final LaneBuffer buffer;
  private final Lane deadLetter;
  private final boolean isDeadLetter;
  private final long shutdownNanos;
  private final String from;
  private final boolean inline;
  /**
   * Who delivers now: this lane's thread, or the reader delivering inline. Held by the lane's
   * thread from before it takes copies from the buffer until its hand is empty and the buffer is;
   * the reader delivers inline only while it holds it and the buffer is empty, so that copies reach
   * the target in order whichever thread offers them.
   */
  private final AtomicBoolean delivering = new AtomicBoolean();

  // the books (see the class comment); each written as a copy moves, read by ledger snapshots
  final LongAdder readerHand = new LongAdder();
  private final LongAdder inHand = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder handedIn = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder handedOff = new LongAdder();
  private final LongAdder[] dropped = new LongAdder[WireDropReason.values().length];

  /** When the last refusal was logged (System.nanoTime()) and how many were not logged since. */
  private final long[] refusalLog = new long[2];
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private volatile boolean running = true;
  private volatile boolean draining;
  private volatile boolean accepting = true;
  /** System.nanoTime() since when the target has taken nothing while this lane had a copy for it; 0 when not. */
  private volatile long blockedSince;
  /** System.nanoTime() of the last copy refused (dead-lettered or dropped as refused); 0 when none. */
  private volatile long lastRefusal;
  private Thread thread;

  /**
   * @param wire the wire's name, for thread names and messages
   * @param from the wire's source, named in the extras of dead letters
   * @param slot the target (or dead-letter) handler
   * @param deadLetter where refused and failed copies go; null to drop them (and always for the dead letter itself)
   * @param isDeadLetter true for the wire's dead-letter lane
   * @param inline true when the reader may deliver on its own thread while this lane holds nothing
   *     (the one target of a wire under {@code block}): one thread hand-over less per result
   */
  Lane(String wire, String from, HandlerSlot slot, int capacity, WirePolicy policy, Lane deadLetter,
      boolean isDeadLetter, Duration shutdownTimeout, boolean inline) {
    this.inline = inline && !isDeadLetter && policy == WirePolicy.BLOCK;
    this.wire = wire;
    this.from = from;
    this.slot = slot;
    this.buffer = new LaneBuffer(capacity, policy);
    this.deadLetter = deadLetter;
    this.isDeadLetter = isDeadLetter;
    this.shutdownNanos = shutdownTimeout.toNanos();
    for (int i = 0; i < dropped.length; i++) {
      dropped[i] = new LongAdder();
    }
  }

  /** The target's (or dead letter's) name. */
  String target() {
    return slot.name();
  }

  HandlerSlot slot() {
    return slot;
  }

  /** True for the wire's dead-letter lane. */
  boolean isDeadLetter() {
    return isDeadLetter;
  }

  /** Starts the delivering thread. */
  void start(String threadName) {
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  // ---- intake -----------------------------------------------------------------------------------

  /**
   * The reader puts copies in (counted in {@link #readerHand} already), as the policy says when
   * full; under {@code block} it waits for room until {@code overflow} says to stop waiting.
   */
  void put(List<Delivery> copies, boolean force, BooleanSupplier overflow) {
    if (copies.isEmpty()) {
      return;
    }
    List<Delivery> gone = buffer.put(copies, readerHand, dropped[WireDropReason.BUFFER_FULL.ordinal()],
        dropped[WireDropReason.EVICTED.ordinal()], force, overflow);
    gone.forEach(Delivery::done);
  }

  /**
   * The reader hands over copies: offered on the reader's own thread while this lane holds
   * nothing ({@code inline}, one target under {@code block}), else buffered for the lane's thread.
   * An inline offer never waits: at the first copy the target has no room for (or is away), the
   * rest goes to the buffer and the lane's thread takes over, so the buffer fills, and the reader
   * blocks, exactly as without inline offers; only the thread hand-over is saved while the target
   * keeps up.
   */
  void deliverOrBuffer(List<Delivery> copies, boolean force, BooleanSupplier overflow) {
    if (!inline || force || copies.isEmpty() || buffer.size() > 0 || !delivering.compareAndSet(false, true)) {
      put(copies, force, overflow);
      return;
    }
    List<Delivery> rest = copies;
    try {
      if (buffer.size() == 0) {
        int count = copies.size();
        inHand.add(count);
        readerHand.add(-count);
        int done = 0;
        while (done < count && deliver(copies.get(done), Duration.ZERO)) {
          done++;
        }
        rest = copies.subList(done, count);
        readerHand.add(rest.size()); // back in the reader's hand, to be buffered as the policy says
        inHand.add(-rest.size());
      }
    } finally {
      delivering.set(false); // before a put that may wait for the lane's thread to make room
    }
    put(rest, false, overflow);
  }

  /** Copies taken over from the wire's predecessor, before the thread starts. */
  void adopt(List<Delivery> copies) {
    buffer.putAll(copies, handedIn);
  }

  /**
   * The dead letter's intake: a copy refused by a target or failed in it. Never blocks (it may run
   * on a target's worker thread): when the buffer is full, or the lane closed, the copy is dropped
   * and counted.
   */
  void receive(Delivery copy) {
    if (accepting && buffer.offer(copy, received)) {
      return;
    }
    WireDropReason reason = accepting ? WireDropReason.DEAD_LETTER_FULL : WireDropReason.SHUTDOWN;
    dropped[reason.ordinal()].increment();
    received.increment();
    lastRefusal = System.nanoTime();
    LOG.warn("wire '{}': an item for the dead letter '{}' was dropped ({}): {}", wire, slot.name(), reason, copy.extra);
    copy.done();
  }

  // ---- delivery ---------------------------------------------------------------------------------

  private void run() {
    List<Delivery> hand = new ArrayList<>(BATCH);
    int next = 0;
    boolean holding = false; // this thread holds delivering
    try {
      while (running) {
        if (next == hand.size()) {
          hand.clear();
          next = 0;
          if (buffer.size() == 0) {
            if (holding) {
              delivering.set(false);
              holding = false;
            }
            if (draining) {
              return;
            }
          }
          Thread.interrupted(); // a stale interrupt must not make a wait spin; stop() clears running first
          if (!buffer.awaitCopies(WAIT_NANOS)) {
            if (slot.current() != null) {
              blockedSince = 0;
            }
          } else if (holding || (holding = acquireDelivery())) {
            buffer.take(hand, BATCH, 0, inHand);
          }
          continue;
        }
        if (!draining && slot.current() == null && slot.goneLongerThan(shutdownNanos)) {
          List<Delivery> held = new ArrayList<>(hand.subList(next, hand.size()));
          hand.clear();
          next = 0;
          expire(held);
        } else if (deliver(hand.get(next))) {
          next++;
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("wire '{}': the thread delivering to '{}' failed; it stops", wire, slot.name(), e);
      throw e;
    } finally {
      buffer.putBack(hand.subList(next, hand.size()), inHand);
      if (holding) {
        delivering.set(false);
      }
    }
  }

  /** Waits while the reader delivers inline (one batch at most); false if the thread is stopping. */
  private boolean acquireDelivery() {
    while (!delivering.compareAndSet(false, true)) {
      if (!running) {
        return false;
      }
      LockSupport.parkNanos(50_000);
    }
    return true;
  }

  /** Offers one copy; true when it is done with (delivered, or refused and counted), false to try it again. */
  private boolean deliver(Delivery copy) {
    return deliver(copy, OFFER_WAIT);
  }

  /**
   * Offers one copy, waiting up to {@code offerWait} for room (and, when the target is away and
   * the wait is not zero, a while for it); true when it is done with, false to try it again.
   */
  private boolean deliver(Delivery copy, Duration offerWait) {
    Handler<Object, Object> target = slot.current();
    if (target == null) {
      if (offerWait.isZero() && !draining) {
        return false;
      }
      if (draining) {
        refuse(copy, WireDropReason.SHUTDOWN, "the wire closed before '" + slot.name() + "' came back");
        return true;
      }
      markBlocked();
      try {
        slot.awaitOther(null, WAIT_NANOS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
    Admission admission = target.offer(copy.item, copy.extra, offerWait, onFailure(copy));
    switch (admission.outcome()) {
      case ACCEPTED:
        delivered.increment();
        inHand.decrement();
        blockedSince = 0;
        copy.done();
        return true;
      case INVALID:
        refuse(copy, WireDropReason.INVALID, admission.message().orElse("invalid"));
        return true;
      case CLOSED:
        slot.departed(target); // closing for a successor, or for good: wait for whichever comes
        markBlocked();
        return false;
      case FULL:
      default:
        if (!offerWait.isZero()) {
          markBlocked();
        }
        return false;
    }
  }

  private void markBlocked() {
    if (blockedSince == 0) {
      blockedSince = System.nanoTime();
    }
  }

  private Consumer<Throwable> onFailure(Delivery copy) {
    Lane letters = deadLetter;
    if (letters == null) {
      return null;
    }
    return error -> {
      failed.increment();
      lastRefusal = System.nanoTime();
      letters.receive(Delivery.unsettled(copy.item, letterExtras(copy, "failed", String.valueOf(error))));
    };
  }

  /** A copy the target refused, or could not get: to the dead letter, or dropped with the reason. */
  private void refuse(Delivery copy, WireDropReason reason, String error) {
    lastRefusal = System.nanoTime();
    if (isDeadLetter) {
      WireDropReason why = reason == WireDropReason.INVALID ? WireDropReason.DEAD_LETTER_REFUSED : reason;
      dropped[why.ordinal()].increment();
      inHand.decrement();
      warnRefused("the dead letter '" + slot.name() + "' did not take an item", why, error, "dropped");
      copy.done();
    } else if (deadLetter != null) {
      deadLetter.receive(Delivery.rerouted(copy, letterExtras(copy, reason.key(), error)));
      deadLettered.increment();
      inHand.decrement();
    } else {
      dropped[reason.ordinal()].increment();
      inHand.decrement();
      warnRefused("'" + slot.name() + "' did not take an item", reason, error, "dropped, as the wire has no dead_letter");
      copy.done();
    }
  }

  /** A refusal is logged at most once a second per lane, with how many were not logged since. */
  private void warnRefused(String what, WireDropReason reason, String error, String outcome) {
    long now = System.nanoTime();
    synchronized (refusalLog) {
      if (refusalLog[0] != 0 && now - refusalLog[0] < LOG_INTERVAL_NANOS) {
        refusalLog[1]++;
        return;
      }
      long unlogged = refusalLog[1];
      refusalLog[0] = now;
      refusalLog[1] = 0;
      LOG.warn("wire '{}': {} ({}: {}); {}{}", wire, what, reason, error, outcome,
          unlogged == 0 ? "" : " (and " + unlogged + " more in the last second, not logged one by one)");
    }
  }

  private Map<String, Object> letterExtras(Delivery copy, String reason, String error) {
    Map<String, Object> extras = new LinkedHashMap<>(copy.extra);
    extras.put(Wire.FROM_EXTRA, from);
    extras.put(Wire.REASON_EXTRA, reason);
    extras.put(Wire.TARGET_EXTRA, slot.name());
    if (error != null) {
      extras.put(Wire.ERROR_EXTRA, error);
    }
    return extras;
  }

  /**
   * The target stayed away past shutdown_timeout: what the lane holds now (the rest of the thread's
   * hand, then the buffer) is refused as {@code shutdown}, and from then on the lane waits for the
   * target without limit, as for one it never saw. The clock stops first, so that a copy arriving
   * once the refusals are counted is kept.
   */
  private void expire(List<Delivery> hand) {
    slot.forgetDeparture();
    List<Delivery> held = new ArrayList<>(hand);
    held.addAll(buffer.drain(inHand));
    for (Delivery copy : held) {
      refuse(copy, WireDropReason.SHUTDOWN, "'" + slot.name() + "' went away and no successor came within shutdown_timeout");
    }
    LOG.warn("wire '{}': '{}' went away and no successor came within shutdown_timeout; {} item(s) {}", wire,
        slot.name(), held.size(), deadLetter == null || isDeadLetter ? "dropped" : "sent to the dead letter");
  }

  // ---- stopping ---------------------------------------------------------------------------------

  /**
   * Stops the thread now, for a successor: the copies in its hand go back to the head of the
   * buffer, and everything buffered is returned, counted handed off.
   */
  List<Delivery> stopForHandover() {
    accepting = false;
    stopThread();
    return buffer.drain(handedOff);
  }

  /** From now on the thread ends once the lane is empty, and refuses at once what it cannot deliver. */
  void beginDraining() {
    draining = true;
    buffer.wakeTaker();
  }

  /**
   * Lets the thread deliver what the lane holds until {@code deadline} (System.nanoTime()), then
   * stops it; what is left is refused as {@code shutdown} (to the dead letter, or dropped).
   */
  void stopDraining(long deadline) {
    beginDraining();
    Thread worker = thread;
    if (worker != null) {
      try {
        TimeUnit.NANOSECONDS.timedJoin(worker, Math.max(1, deadline - System.nanoTime()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    accepting = false;
    stopThread();
    List<Delivery> left = buffer.drain(inHand);
    for (Delivery copy : left) {
      refuse(copy, WireDropReason.SHUTDOWN, "not delivered within shutdown_timeout when the wire closed");
    }
    if (!left.isEmpty()) {
      LOG.warn("wire '{}': {} item(s) for '{}' not delivered within shutdown_timeout at close", wire, left.size(),
          slot.name());
    }
  }

  private void stopThread() {
    running = false;
    Thread worker = thread;
    if (worker == null) {
      return;
    }
    worker.interrupt();
    try {
      worker.join(TimeUnit.NANOSECONDS.toMillis(WAIT_NANOS) * 50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      LOG.warn("wire '{}': the thread delivering to '{}' did not stop: {}", wire, slot.name(), worker);
    }
  }

  /** Whether the delivering thread is alive. */
  boolean threadAlive() {
    Thread worker = thread;
    return worker != null && worker.isAlive();
  }

  /** A handed-off copy whose successor never came: it moves from handed off to dropped ({@code shutdown}). */
  void expiredHandOff(Delivery copy) {
    dropped[WireDropReason.SHUTDOWN.ordinal()].increment();
    handedOff.decrement();
    copy.done();
  }

  // ---- books ------------------------------------------------------------------------------------

  /** How long the target has taken nothing while this lane had a copy for it (also the reader waiting for room). */
  Duration blockedFor(long now) {
    long since = blockedSince;
    long readerSince = buffer.blockedSince();
    long earliest = since == 0 ? readerSince : readerSince == 0 ? since : Math.min(since, readerSince);
    return earliest == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - earliest));
  }

  /** System.nanoTime() of the last copy this lane refused, or 0. */
  long lastRefusal() {
    return lastRefusal;
  }

  /** Copies sent to the dead letter, or received by it. */
  long deadLettered() {
    return isDeadLetter ? received.sum() : deadLettered.sum();
  }

  /** Copies dropped as refused by the target (no dead letter), or by the dead letter itself. */
  long refusedDrops() {
    return dropped[WireDropReason.INVALID.ordinal()].sum() + dropped[WireDropReason.DEAD_LETTER_REFUSED.ordinal()].sum()
        + dropped[WireDropReason.SHUTDOWN.ordinal()].sum();
  }

  /**
   * A target's books, read downstream of the reader's hand (which the caller read first, with
   * {@code readerHandNow}): buffered, in hand, then the final places.
   */
  TargetLedger targetLedger(long readerHandNow, long now) {
    long handedInNow = handedIn.sum();
    long bufferedNow = buffer.size();
    long handNow = inHand.sum();
    long deliveredNow = delivered.sum();
    Map<WireDropReason, Long> drops = drops();
    long lettered = deadLettered.sum();
    long off = handedOff.sum();
    return new TargetLedger(slot.name(), handedInNow, deliveredNow, drops, lettered, bufferedNow, buffer.capacity(),
        readerHandNow + handNow, off, failed.sum(), slot.waiting(), blockedFor(now));
  }

  /** The dead letter's books: what came in first, then buffered, in hand, and the final places. */
  DeadLetterLedger deadLetterLedger() {
    long receivedNow = received.sum();
    long handedInNow = handedIn.sum();
    long bufferedNow = buffer.size();
    long handNow = inHand.sum();
    long deliveredNow = delivered.sum();
    Map<WireDropReason, Long> drops = drops();
    return new DeadLetterLedger(slot.name(), receivedNow, handedInNow, deliveredNow, drops, bufferedNow, handNow,
        handedOff.sum(), slot.waiting());
  }

  private Map<WireDropReason, Long> drops() {
    Map<WireDropReason, Long> drops = new EnumMap<>(WireDropReason.class);
    for (WireDropReason reason : WireDropReason.values()) {
      long count = dropped[reason.ordinal()].sum();
      if (count != 0) {
        drops.put(reason, count);
      }
    }
    return drops;
  }
}
