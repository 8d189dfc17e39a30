package dev.maverick.handler.wire.internal;

import dev.maverick.handler.Admission;
import dev.maverick.handler.Handler;
import dev.maverick.handler.wire.WireDropReason;
import dev.maverick.handler.wire.WireLedger.DeadLetterLedger;
import dev.maverick.handler.wire.WireLedger.TargetLedger;
import dev.maverick.handler.wire.WirePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
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
 * next place before it leaves the one it is in ({@link LaneBooks}); what the target refuses goes
 * where {@link LaneRefusals} says.
 */
final class Lane {
  private static final Logger LOG = LoggerFactory.getLogger(Lane.class);
  /** How many copies the delivering thread takes from the buffer at once. */
  private static final int BATCH = 64;
  /** How long one offer waits for room in the target, and one wait for a target, before looking at the flags again. */
  private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final Duration OFFER_WAIT = Duration.ofNanos(WAIT_NANOS);
  /**
   * How long an inline offer waits for room: a target that keeps up makes room within microseconds
   * (its worker takes a batch), so a saturated graph stays on the reader's thread instead of
   * handing every batch to the lane's; a target that has no room for this long is slow, or away,
   * and its copies go to the buffer.
   */
  private static final Duration INLINE_WAIT = Duration.ofMillis(2);

  private final String wire;
  private final HandlerSlot slot;
  private final LaneBuffer buffer;
  private final boolean isDeadLetter;
  private final long shutdownNanos;
  private final boolean inline;
  /**
   * Who delivers now: this lane's thread, or the reader delivering inline. Held by the lane's
   * thread from before it takes copies from the buffer until its hand is empty and the buffer is;
   * the reader delivers inline only while it holds it and the buffer is empty, so that copies reach
   * the target in order whichever thread offers them.
   */
  private final AtomicBoolean delivering = new AtomicBoolean();

  private final LaneBooks books;
  private final LaneRefusals refusals;
  /** The reader's hand in this lane's books: the reader counts what it took here before it hands it over. */
  final LongAdder readerHand;

  private volatile boolean running = true;
  private volatile boolean draining;
  private volatile boolean accepting = true;
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
    this.slot = slot;
    this.buffer = new LaneBuffer(capacity, policy);
    this.isDeadLetter = isDeadLetter;
    this.shutdownNanos = shutdownTimeout.toNanos();
    this.books = new LaneBooks(slot, buffer);
    this.refusals = new LaneRefusals(wire, from, slot, deadLetter, isDeadLetter, books);
    this.readerHand = books.readerHand;
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
    List<Delivery> gone = buffer.put(copies, readerHand, books.dropped(WireDropReason.BUFFER_FULL),
        books.dropped(WireDropReason.EVICTED), force, overflow);
    gone.forEach(Delivery::done);
  }

  /**
   * The reader hands over copies: offered on the reader's own thread while this lane holds
   * nothing ({@code inline}, one target under {@code block}), else buffered for the lane's thread.
   * An inline offer waits for room only briefly ({@link #INLINE_WAIT}): at the first copy the
   * target has no room for within it (or while it is away, or while the source closes), the rest
   * goes to the buffer and the lane's thread takes over, so the buffer fills, and the reader
   * blocks, exactly as without inline offers; only the thread hand-over is saved while the target
   * keeps up. (An inline offer that waited longer would keep a slow target's buffer empty: what the
   * wire holds would wait in the source instead, out of the wire's books and of its hand-over.)
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
        books.inHand.add(count);
        readerHand.add(-count);
        int done = 0;
        int accepted = 0;
        while (done < count && !overflow.getAsBoolean()) {
          int outcome = deliverInline(copies.get(done));
          if (outcome < 0) {
            break;
          }
          accepted += outcome;
          done++;
        }
        if (accepted > 0) {
          books.delivered.add(accepted);
          books.inHand.add(-accepted);
          books.clearBlocked();
        }
        rest = copies.subList(done, count);
        readerHand.add(rest.size()); // back in the reader's hand, to be buffered as the policy says
        books.inHand.add(-rest.size());
      }
    } finally {
      delivering.set(false); // before a put that may wait for the lane's thread to make room
    }
    put(rest, false, overflow);
  }

  /** Copies taken over from the wire's predecessor, before the thread starts. */
  void adopt(List<Delivery> copies) {
    buffer.putAll(copies, books.handedIn);
  }

  /**
   * The dead letter's intake: a copy refused by a target or failed in it. Never blocks (it may run
   * on a target's worker thread): when the buffer is full, or the lane closed, the copy is dropped
   * and counted.
   */
  void receive(Delivery copy) {
    if (accepting && buffer.offer(copy, books.received)) {
      return;
    }
    WireDropReason reason = accepting ? WireDropReason.DEAD_LETTER_FULL : WireDropReason.SHUTDOWN;
    books.dropped(reason).increment();
    books.received.increment();
    books.refusedNow();
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
              books.clearBlocked();
            }
          } else if (holding || (holding = acquireDelivery())) {
            buffer.take(hand, BATCH, 0, books.inHand);
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
      buffer.putBack(hand.subList(next, hand.size()), books.inHand);
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

  /**
   * An inline offer of one copy, waiting for room at most {@link #INLINE_WAIT}: the target's acceptance is not counted
   * here but by the caller, once per batch (the copy stays counted in the hand meanwhile, and in
   * the target too: twice, never zero times).
   *
   * @return 1 if the target accepted it, 0 if it is done with otherwise (refused and counted), -1
   *     to leave it to the lane's thread
   */
  private int deliverInline(Delivery copy) {
    Handler<Object, Object> target = slot.current();
    if (target == null) {
      return -1;
    }
    // the copy is done with once the target is done with the item (its result settled), not on acceptance
    Admission admission = target.offer(copy.item, copy.extra, INLINE_WAIT, refusals.onFailure(copy), copy);
    if (admission.isAccepted()) {
      return 1;
    }
    if (admission.outcome() == Admission.Outcome.INVALID) {
      refusals.refuse(copy, WireDropReason.INVALID, admission.message().orElse("invalid"));
      return 0;
    }
    if (admission.outcome() == Admission.Outcome.CLOSED) {
      slot.departed(target);
    }
    return -1;
  }

  /**
   * Offers one copy, waiting a while for room or for the target; true when it is done with
   * (delivered, or refused and counted), false to try it again.
   */
  private boolean deliver(Delivery copy) {
    Handler<Object, Object> target = slot.current();
    if (target == null) {
      if (draining) {
        refusals.refuse(copy, WireDropReason.SHUTDOWN, "the wire closed before '" + slot.name() + "' came back");
        return true;
      }
      books.markBlocked();
      try {
        slot.awaitOther(null, WAIT_NANOS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
    Admission admission = target.offer(copy.item, copy.extra, OFFER_WAIT, refusals.onFailure(copy), copy);
    switch (admission.outcome()) {
      case ACCEPTED:
        books.delivered.increment();
        books.inHand.decrement();
        books.clearBlocked();
        return true;
      case INVALID:
        refusals.refuse(copy, WireDropReason.INVALID, admission.message().orElse("invalid"));
        return true;
      case CLOSED:
        slot.departed(target); // closing for a successor, or for good: wait for whichever comes
        books.markBlocked();
        return false;
      case FULL:
      default:
        books.markBlocked();
        return false;
    }
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
    held.addAll(buffer.drain(books.inHand));
    for (Delivery copy : held) {
      refusals.refuse(copy, WireDropReason.SHUTDOWN, "'" + slot.name() + "' went away and no successor came within shutdown_timeout");
    }
    LOG.warn("wire '{}': '{}' went away and no successor came within shutdown_timeout; {} item(s) {}", wire,
        slot.name(), held.size(), refusals.dropping() ? "dropped" : "sent to the dead letter");
  }

  // ---- stopping ---------------------------------------------------------------------------------

  /**
   * Stops the thread now, for a successor: the copies in its hand go back to the head of the
   * buffer, and everything buffered is returned, counted handed off.
   */
  List<Delivery> stopForHandover() {
    accepting = false;
    stopThread();
    return buffer.drain(books.handedOff);
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
    List<Delivery> left = buffer.drain(books.inHand);
    for (Delivery copy : left) {
      refusals.refuse(copy, WireDropReason.SHUTDOWN, "not delivered within shutdown_timeout when the wire closed");
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
    books.dropped(WireDropReason.SHUTDOWN).increment();
    books.handedOff.decrement();
    copy.done();
  }

  // ---- books ------------------------------------------------------------------------------------

  /** How long the target has taken nothing while this lane had a copy for it (also the reader waiting for room). */
  Duration blockedFor(long now) {
    return books.blockedFor(now);
  }

  /** System.nanoTime() of the last copy this lane refused, or 0. */
  long lastRefusal() {
    return books.lastRefusal();
  }

  /** Copies sent to the dead letter, or received by it. */
  long deadLettered() {
    return isDeadLetter ? books.received.sum() : books.deadLettered.sum();
  }

  /** Copies dropped as refused by the target (no dead letter), or by the dead letter itself. */
  long refusedDrops() {
    return books.refusedDrops();
  }

  /** A target's books, read downstream of the reader's hand, which the caller read first ({@code readerHandNow}). */
  TargetLedger targetLedger(long readerHandNow, long now) {
    return books.targetLedger(readerHandNow, now);
  }

  /** The dead letter's books. */
  DeadLetterLedger deadLetterLedger() {
    return books.deadLetterLedger();
  }
}
