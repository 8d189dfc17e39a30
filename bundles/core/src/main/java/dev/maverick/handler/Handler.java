package dev.maverick.handler;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An architecture handler: it takes items, does its work on its own threads (or directly, with
 * {@link #generate}), and publishes results through a bounded, thread-safe queue.
 *
 * <p>In OSGi every handler is registered under this interface with the service properties
 * {@value #NAME_PROPERTY} and {@value #KIND_PROPERTY}; consumers find handlers through the service
 * registry, never through classes of a handler bundle. Implement it by extending
 * {@link ArchitectureHandler}.
 *
 * <p>Every item given to a handler is accounted for: at every moment it is queued, in flight,
 * processed, errored, or dropped for a named {@link DropReason} (see {@link HandlerStats}).
 *
 * @param <I> the item type
 * @param <R> the result type
 */
@ProviderType
public interface Handler<I, R> extends AutoCloseable {

  /** Service property: the handler's unique name, its {@code name} configuration key. */
  String NAME_PROPERTY = "handler.name";

  /** Service property: the handler's kind, e.g. {@code echo}, {@code network}, {@code stt}. */
  String KIND_PROPERTY = "handler.kind";

  /** Service property: the configuration PID behind the handler, when it came from Config Admin. */
  String PID_PROPERTY = "handler.pid";

  /** Service property: why the last configuration change was rejected, when it was (the handler kept its last good one). */
  String CONFIG_ERROR_PROPERTY = "handler.config.error";

  /** The handler's name: its {@code name} configuration key, or its client id when none is set. */
  String name();

  /**
   * Queues an item for the worker, without extra data.
   *
   * @return true if the item was queued; false if it was dropped (invalid, queue full, closed),
   *     in which case it has been counted with its reason
   * @throws QueueFullException if the input queue is full under {@link OverflowPolicy#FAIL}
   */
  boolean feed(I item);

  /** As {@link #feed(Object)}, with extra data handed through to every template method. */
  boolean feed(I item, Map<String, ?> extra);

  /**
   * Offers an item for a caller that keeps it when the handler will not take it (a wire with
   * backpressure), instead of the handler dropping it. It waits up to {@code timeout} for room in
   * the input queue whatever the {@code overflow_policy}: it never evicts a queued item and never
   * throws for a full queue.
   *
   * <p>Only an {@link Admission.Outcome#ACCEPTED} item is the handler's: it is counted as any fed
   * item from then on (fed, accepted, and later processed, errored or dropped). With any other
   * outcome ({@code FULL}, {@code INVALID} with what {@code validateItem} or {@code expected_type}
   * said, {@code CLOSED}) the handler counted nothing and the item is still the caller's. The
   * feed hooks run as for {@link #feed}.
   *
   * @param extra extra data handed through to every template method, and kept with the result
   * @param timeout how long to wait for room: zero does not wait, {@code null} waits without limit
   * @param onFailure may be null; called once, on the worker's thread after {@code hookOnError},
   *     if processing the accepted item throws (so that the caller can dead-letter it). It is not
   *     called when an accepted item is dropped later (close, {@code clearFeed}): the handler
   *     counts that drop under its reason.
   * @return what became of the item
   * @throws IllegalArgumentException if the timeout is negative
   */
  Admission offer(I item, Map<String, ?> extra, Duration timeout, Consumer<? super Throwable> onFailure);

  /**
   * Takes the next result from the result queue. The result's reader is done with it at once:
   * see {@code ArchitectureHandler#hookResultSettled}.
   *
   * @param timeout how long to wait: zero polls once, {@code null} waits without limit
   * @return the result, or empty when none arrived in time (or none can arrive: closed and empty)
   * @throws IllegalArgumentException if the timeout is negative
   * @throws ResultsClaimedException while {@link #claimResults a reader} holds the results
   */
  Optional<R> getResult(Duration timeout);

  /**
   * Makes {@code owner} the one reader of this handler's results, until it closes the returned
   * reader: meanwhile {@link #getResult} and {@link #getResultAsync} throw
   * {@link ResultsClaimedException} to everyone, naming the owner, and so does another claim. The
   * reader takes results in production order with their extras, and settles each when it is done
   * with it. Closing the reader leaves untaken results queued. Works also after {@link #close()}:
   * results stay readable.
   *
   * @param owner who reads, as people should read it in an error, e.g. {@code wire 'voice'}
   *     (the message becomes "the results of 'stt' are read by wire 'voice'")
   * @throws ResultsClaimedException if another reader holds the results
   */
  ResultReader<R> claimResults(String owner);

  /** Who holds the results ({@link #claimResults}), if anyone. */
  Optional<String> resultReader();

  /**
   * Processes an item on the caller's thread, bypassing the queues: validate, preprocess,
   * generate, postprocess.
   *
   * @throws InvalidItemException if the item fails validation
   * @throws HandlerClosedException after {@link #close()}
   */
  R generate(I item);

  /** As {@link #generate(Object)}, with extra data. */
  R generate(I item, Map<String, ?> extra);

  /** {@link #feed(Object, Map)} on the handler's own executor. */
  CompletableFuture<Boolean> feedAsync(I item, Map<String, ?> extra);

  /**
   * {@link #getResult(Duration)} on the handler's own executor.
   *
   * @throws ResultsClaimedException at once, while {@link #claimResults a reader} holds the results
   */
  CompletableFuture<Optional<R>> getResultAsync(Duration timeout);

  /** {@link #generate(Object, Map)} on the handler's own executor. */
  CompletableFuture<R> generateAsync(I item, Map<String, ?> extra);

  /** {@link #start()} on the handler's own executor. */
  CompletableFuture<Void> startAsync();

  /** {@link #close()} on a thread of the handler's own, which ends with it. */
  CompletableFuture<Void> closeAsync();

  /**
   * Starts the worker threads. Idempotent; not needed before {@link #feed}, which starts them on
   * first use when {@code run_as_thread} is set. Does nothing (and logs why) when
   * {@code disable_thread} is set.
   *
   * @throws HandlerClosedException after {@link #close()}
   */
  void start();

  /**
   * Stops intake, lets the workers finish queued items for up to {@code shutdown_timeout}, counts
   * what is left as dropped ({@link DropReason#SHUTDOWN}), runs pending callbacks and ends every
   * thread the handler started. Idempotent and final; results stay readable. The seed's
   * {@code cleanup()}.
   */
  @Override
  void close();

  /** A consistent, immutable snapshot of the handler's counters, queues and timestamps. */
  HandlerStats stats();

  /** The configuration in force. */
  HandlerConfig config();

  /** The lifecycle state. */
  HandlerState state();
}
