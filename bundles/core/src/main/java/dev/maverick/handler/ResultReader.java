package dev.maverick.handler;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one exclusive reader of a handler's results, made by {@link Handler#claimResults}. While it
 * is open, {@link Handler#getResult} and {@link Handler#getResultAsync} throw
 * {@link ResultsClaimedException} to everyone, and so does another claim.
 *
 * <p>Results come out in the order the handler queued them (production order; with one worker
 * thread, the order of the items), each with its extras, as a {@link TakenResult} that the reader
 * settles once it is done with it. Taking counts the result as taken in the handler's ledger, as
 * {@code getResult} does; settling runs the handler's {@code hookResultSettled}.
 *
 * <p>{@link #close()} releases the claim: results not taken stay queued for the next reader, and
 * results taken but not settled can still be settled. Thread-safe; a reader that takes from
 * several threads loses the order between them.
 *
 * @param <R> the result type
 */
@ProviderType
public interface ResultReader<R> extends AutoCloseable {

  /** Who reads, as given to {@link Handler#claimResults}. */
  String owner();

  /** The name of the handler whose results this reads. */
  String handlerName();

  /**
   * Takes the next result, waiting up to {@code timeout} for one.
   *
   * @param timeout zero polls once, {@code null} waits without limit
   * @return the result, or empty on timeout, when the handler is closed and no result is left, or
   *     when the calling thread is interrupted (its interrupt flag is then set again)
   * @throws IllegalArgumentException if the timeout is negative
   * @throws IllegalStateException if this reader was closed
   */
  Optional<TakenResult<R>> take(Duration timeout);

  /**
   * Takes up to {@code max} results that are queued now, without waiting, under one lock of the
   * result queue, adding them to {@code into} in order.
   *
   * @return how many were taken (0 when none is queued)
   * @throws IllegalArgumentException if {@code max} is negative
   * @throws IllegalStateException if this reader was closed
   */
  int drainTo(Collection<? super TakenResult<R>> into, int max);

  /** Whether this reader still holds the claim. */
  boolean isOpen();

  /** Releases the claim; untaken results stay queued. Idempotent. */
  @Override
  void close();
}
