package dev.maverick.handler;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
   * Takes the next result from the result queue.
   *
   * @param timeout how long to wait: zero polls once, {@code null} waits without limit
   * @return the result, or empty when none arrived in time (or none can arrive: closed and empty)
   * @throws IllegalArgumentException if the timeout is negative
   */
  Optional<R> getResult(Duration timeout);

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

  /** {@link #getResult(Duration)} on the handler's own executor. */
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
