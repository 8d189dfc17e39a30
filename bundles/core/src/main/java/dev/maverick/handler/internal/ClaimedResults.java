package dev.maverick.handler.internal;

import dev.maverick.handler.ResultReader;
import dev.maverick.handler.TakenResult;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The exclusive reader of one handler's result queue. Each result it takes is counted taken in the
 * handler's ledger by the queue, under its lock, before it leaves the queue (as {@code getResult}
 * counts it), and unsettled in the handler's {@link Settlement} until the reader settles it.
 *
 * @param <R> the result type
 */
public final class ClaimedResults<R> implements ResultReader<R> {
  private final String handlerName;
  private final String owner;
  private final BoundedQueue<Object> results;
  private final LongAdder takenInto;
  private final Function<Object, TakenResult<R>> asTaken;
  private final Consumer<ClaimedResults<?>> onClose;
  private volatile boolean open = true;

  /**
   * @param handlerName the handler's name, for messages
   * @param owner who reads
   * @param results the handler's result queue
   * @param takenInto the handler's count of results taken
   * @param settlement the handler's settlement, which counts a taken result until it is settled
   * @param onClose gives the claim back to the handler, once
   */
  public ClaimedResults(String handlerName, String owner, BoundedQueue<Object> results, LongAdder takenInto,
      Settlement settlement, Consumer<ClaimedResults<?>> onClose) {
    this.handlerName = handlerName;
    this.owner = owner;
    this.results = results;
    this.takenInto = takenInto;
    this.asTaken = settlement::taken;
    this.onClose = onClose;
  }

  @Override
  public String owner() {
    return owner;
  }

  @Override
  public String handlerName() {
    return handlerName;
  }

  @Override
  public Optional<TakenResult<R>> take(Duration timeout) {
    long nanos = Waits.timeoutNanos(timeout);
    requireOpen();
    Object queued = Waits.poll(results, nanos, takenInto);
    return queued == null ? Optional.empty() : Optional.of(asTaken.apply(queued));
  }

  @Override
  public int drainTo(Collection<? super TakenResult<R>> into, int max) {
    Objects.requireNonNull(into, "into");
    if (max < 0) {
      throw new IllegalArgumentException("max must be zero or positive; got " + max);
    }
    requireOpen();
    return results.drainTo(into, max, asTaken, takenInto);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public synchronized void close() {
    if (open) {
      open = false;
      onClose.accept(this);
    }
  }

  private void requireOpen() {
    if (!open) {
      throw new IllegalStateException("the reader " + owner + " of the results of '" + handlerName + "' was closed");
    }
  }

  @Override
  public String toString() {
    return "ResultReader[" + owner + " of '" + handlerName + "'" + (open ? "]" : ", closed]");
  }
}
