package dev.maverick.handler;

import dev.maverick.handler.internal.Diagnostics;
import dev.maverick.handler.internal.Envelope;
import dev.maverick.handler.internal.Hook;
import dev.maverick.handler.internal.Intake;
import dev.maverick.handler.internal.Machinery;
import dev.maverick.handler.internal.Subclass;
import dev.maverick.handler.internal.Tally;
import dev.maverick.handler.internal.Types;
import dev.maverick.handler.internal.Waits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The base class of every architecture handler, a port of the seed's {@code ArchitectureHandler}.
 *
 * <p>Items given to {@link #feed} wait in a bounded input queue; worker threads take them in FIFO
 * order through the template methods {@link #validateItem} (at feed time), {@link #preprocessItem},
 * {@link #generateResults} and {@link #postprocessResult}, and put non-null results on a bounded
 * result queue read by {@link #getResult}. {@link #generate} runs the same chain on the caller's
 * thread. A dedicated callback thread runs slow user callbacks scheduled with
 * {@link #emitAsyncCallback}; producer-style handlers that own their input publish with
 * {@link #publishResult}. Hooks ({@code hook*}) are no-ops by default; an exception thrown by a
 * hook is logged and never breaks the handler, and counting never depends on them.
 *
 * <p>A handler is ready once constructed: {@code feed} works without {@link #start()}, which is
 * idempotent. No thread is started in the constructor, so that a subclass is fully built before
 * any of its methods run on another thread; workers start on {@link #start()} or on the first
 * {@code feed} when {@code run_as_thread} is set.
 *
 * <p>Every item, result and callback task is accounted for: see {@link HandlerStats}. This class
 * holds the template methods and hooks; the machinery behind them (lifecycle, queues with their
 * drop reasons, workers, callbacks, ledger, async calls, hand-over, logging) is in parts of the
 * core's own, each with one job.
 *
 * @param <I> the item type
 * @param <R> the result type
 */
public abstract class ArchitectureHandler<I, R> implements Handler<I, R> {

  private final Subclass template = new Template();
  private final Machinery machinery;
  /** The hot path's part, held here too: one field load per item. */
  private final Intake intake;

  /**
   * Creates a handler, ready to accept items. Starts no thread.
   *
   * @param config its configuration; see {@link HandlerConfig}
   * @throws InvalidConfigurationException if its {@code worker_threads} would pass the runtime's
   *     {@link WorkerBudget}; nothing is then made or reserved
   */
  protected ArchitectureHandler(HandlerConfig config) {
    this.machinery = new Machinery(Objects.requireNonNull(config, "config"), this, LoggerFactory.getLogger(getClass()),
        template);
    this.intake = machinery.intake();
    if (config.generateResultsCallback().isEmpty()
        && !Types.overrides(getClass(), ArchitectureHandler.class, "generateResults", 2)) {
      machinery.diagnostics().logger().warn("[{}] {} neither overrides generateResults nor has a "
          + "generate_results_callback; every item will fail with UnsupportedOperationException", name(),
          getClass().getName());
    }
  }

  // ---- the public API ------------------------------------------------------------------------

  @Override
  public final String name() {
    return machinery.diagnostics().name();
  }

  /** The seed's {@code client_id}: {@code client_id_prefix} and a random UUID; it never changes. */
  public final String clientId() {
    return machinery.clientId();
  }

  @Override
  public final HandlerConfig config() {
    return machinery.config();
  }

  @Override
  public final HandlerState state() {
    return machinery.lifecycle().state();
  }

  @Override
  public final boolean feed(I item) {
    return feed(item, Map.of());
  }

  @Override
  public final boolean feed(I item, Map<String, ?> extra) {
    return intake.feed(item, extra);
  }

  @Override
  public final Admission offer(I item, Map<String, ?> extra, Duration timeout, Consumer<? super Throwable> onFailure) {
    return intake.offer(item, extra, Waits.timeoutNanos(timeout), onFailure);
  }

  @Override
  public final Optional<R> getResult(Duration timeout) {
    Object taken = machinery.results().take(Waits.timeoutNanos(timeout));
    if (taken == null) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    R result = (R) Envelope.valueOf(taken);
    template.fire(Hook.RESULT_SETTLED, result, Envelope.extraOf(taken), null);
    template.fire(Hook.AFTER_RESULT, result, null, null);
    return Optional.of(result);
  }

  @Override
  public final ResultReader<R> claimResults(String owner) {
    return machinery.results().claim(Objects.requireNonNull(owner, "owner"));
  }

  @Override
  public final Optional<String> resultReader() {
    return machinery.results().reader();
  }

  @Override
  public final R generate(I item) {
    return generate(item, Map.of());
  }

  @Override
  @SuppressWarnings("unchecked")
  public final R generate(I item, Map<String, ?> extra) {
    return (R) intake.generate(item, extra);
  }

  @Override
  public final CompletableFuture<Boolean> feedAsync(I item, Map<String, ?> extra) {
    return machinery.async().run(() -> feed(item, extra));
  }

  @Override
  public final CompletableFuture<Optional<R>> getResultAsync(Duration timeout) {
    machinery.results().requireUnclaimed();
    return machinery.async().run(() -> getResult(timeout));
  }

  @Override
  public final CompletableFuture<R> generateAsync(I item, Map<String, ?> extra) {
    return machinery.async().run(() -> generate(item, extra));
  }

  @Override
  public final CompletableFuture<Void> startAsync() {
    return machinery.async().run(() -> {
      start();
      return null;
    });
  }

  @Override
  public final CompletableFuture<Void> closeAsync() {
    return machinery.closeAsync(this::close);
  }

  @Override
  public final void start() {
    machinery.start();
  }

  @Override
  public final void close() {
    machinery.close(null);
  }

  /**
   * Closes the handler for a successor, as a bundle update or a DS reactivation needs: intake
   * stops, the workers finish the item in hand (for up to {@code shutdown_timeout}), and the
   * queued items and untaken results, instead of being drained, are parked under {@code key} in
   * the core bundle's hand-over store for a new instance to {@linkplain #adoptHandover adopt}, with
   * their extras. What nobody adopts within {@code shutdown_timeout} is counted here as dropped
   * ({@code shutdown}, {@code result_shutdown}) and logged with its number. Pending callbacks run
   * as in {@link #close()}. Idempotent with {@link #close()}: whichever comes first decides.
   *
   * @param key what the successor will ask for, usually the configuration PID
   */
  public final void closeAndHandOver(String key) {
    machinery.close(Objects.requireNonNull(key, "key"));
  }

  /**
   * Takes over what a predecessor parked under {@code key}: its items go to the head of the input
   * queue, in their order and whatever the capacity; its results to the result queue. Each item
   * is validated again (a class from an older bundle revision may no longer fit) and an invalid
   * one is counted as dropped. Call it before the handler is published.
   *
   * @return how many items were taken over
   */
  public final int adoptHandover(String key) {
    return machinery.adopt(Objects.requireNonNull(key, "key"));
  }

  @Override
  public final HandlerStats stats() {
    return machinery.stats();
  }

  // ---- beyond the seed -------------------------------------------------------------------------

  /**
   * Applies a new configuration to the live handler, as DS {@code @Modified} does. Queue
   * capacities and policies change in place and no queued item is lost (a smaller queue keeps
   * its surplus until it drains); worker threads are added or retired after their current item;
   * the client id stays.
   *
   * @throws HandlerClosedException after {@link #close()}
   * @throws InvalidConfigurationException if the new {@code worker_threads} would pass the
   *     runtime's {@link WorkerBudget}; nothing changes then
   */
  public final void reconfigure(HandlerConfig newConfig) {
    machinery.reconfigure(Objects.requireNonNull(newConfig, "newConfig"));
  }

  /**
   * Removes every item waiting in the input queue, counting each as dropped
   * ({@link DropReason#CLEARED}). The seed's {@code clear_feed()}.
   *
   * @return how many items were removed
   */
  public final int clearFeed() {
    return machinery.clearFeed();
  }

  /** The threads this handler started and that are still alive (for tests and diagnostics). */
  public final List<Thread> liveThreads() {
    return machinery.threads().live();
  }

  // ---- template methods ------------------------------------------------------------------------

  /**
   * Decides whether an item is acceptable, before it is queued or generated. Default: it is an
   * instance of one of the {@code expected_type} classes (any item, {@code null} included, when
   * none is configured; {@code null} fails when one is). Return false, or throw
   * {@link InvalidItemException} to say exactly what is wrong and what is allowed.
   */
  protected boolean validateItem(I item, Map<String, ?> extra) {
    List<Class<?>> types = config().expectedTypes();
    return types.isEmpty() || item != null && Types.isInstanceOfAny(item, types);
  }

  /** Normalizes or transforms an item before {@link #generateResults}. Default: unchanged. */
  protected I preprocessItem(I item, Map<String, ?> extra) {
    return item;
  }

  /**
   * The core computation. Default: calls {@code generate_results_callback} inline and returns its
   * value; without one, throws {@link UnsupportedOperationException}. A {@code null} result means
   * "no result": it is counted as processed and not queued.
   */
  @SuppressWarnings("unchecked")
  protected R generateResults(I item, Map<String, ?> extra) {
    BiFunction<Object, Map<String, ?>, Object> callback = config().generateResultsCallback().orElse(null);
    if (callback == null) {
      throw new UnsupportedOperationException("handler '" + name()
          + "': generateResults is not overridden and no generate_results_callback is configured");
    }
    return (R) callback.apply(item, extra);
  }

  /** Final transformation of a result (e.g. indices to labels). Default: unchanged. */
  protected R postprocessResult(I item, Map<String, ?> extra, R result) {
    return result;
  }

  // ---- the network path ------------------------------------------------------------------------

  /**
   * Builds the payload of a network call. Default: the seed's
   * {@code {client_id, item, extra, timestamp}}, timestamp in epoch seconds.
   */
  protected Object prepareRequestPayload(I item, Map<String, ?> extra) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("client_id", clientId());
    payload.put("item", item);
    payload.put("extra", extra);
    payload.put("timestamp", System.currentTimeMillis() / 1000.0);
    return payload;
  }

  /**
   * Makes a network call through {@link #doPerformRequest}: fires the network hooks, enforces
   * {@code network_timeout} (unless {@link #enforcesNetworkTimeout()} says the subclass does),
   * counts a failure once in {@code network_error_count} and rethrows it (checked exceptions
   * wrapped in {@link NetworkCallException}).
   */
  protected final Object performRequest(Object payload) {
    Optional<Duration> timeout = config().networkTimeout();
    return machinery.network().perform(payload, () -> doPerformRequest(payload),
        enforcesNetworkTimeout() ? null : timeout.orElse(null));
  }

  /**
   * Performs the actual request (HTTP, gRPC, ...): the seed's {@code _perform_request}. Default:
   * returns the payload unchanged, as the seed's stub does.
   */
  protected Object doPerformRequest(Object payload) throws Exception {
    return payload;
  }

  /**
   * True if {@link #doPerformRequest} enforces {@code network_timeout} itself (an HTTP client's
   * own timeout). Otherwise {@link #performRequest} runs the call on the handler's executor and
   * gives up after the timeout.
   */
  protected boolean enforcesNetworkTimeout() {
    return false;
  }

  // ---- callbacks and producers -----------------------------------------------------------------

  /**
   * Schedules {@code generate_results_callback(result, extra)} on the dedicated callback thread,
   * started on first use, also when {@code run_as_thread} is false. It never blocks the caller
   * ({@code block} is not a callback policy) and never runs the callback on the caller's thread.
   *
   * @return true if the task was queued; false if it was dropped and counted: no callback, threads
   *     disabled, queue full, or closed
   * @throws QueueFullException if the callback queue is full under {@link OverflowPolicy#FAIL}
   */
  protected final boolean emitAsyncCallback(R result, Map<String, ?> extra) {
    HandlerConfig current = config();
    return machinery.callbacks().emit(current.generateResultsCallback().orElse(null), current.disableThread(), result,
        Envelope.freeze(extra));
  }

  /**
   * Publishes a result made by a producer-style handler that owns its input (a microphone, a
   * socket): counts it as produced and processed, schedules the callback when one is configured,
   * and queues the result with its extras as the worker does. A {@code null} result is counted and
   * not queued.
   *
   * @return true if the result was queued
   * @throws QueueFullException if the result queue is full under {@link OverflowPolicy#FAIL}
   */
  protected final boolean publishResult(R result, Map<String, ?> extra) {
    machinery.ledger().produced();
    if (result == null) {
      return false;
    }
    Map<String, ?> frozen = Envelope.freeze(extra);
    HandlerConfig current = config();
    if (current.generateResultsCallback().isPresent() && !current.disableThread()) {
      emitAsyncCallback(result, frozen);
    }
    return machinery.results().publish(result, frozen, true);
  }

  /**
   * Counts and logs an error that belongs to no item or callback, such as a producer's source
   * failing. It is part of the seed's {@code error_count}.
   */
  protected final void recordError(String context, Throwable error) {
    machinery.ledger().otherError();
    machinery.diagnostics().failed(Diagnostics.LogTopic.OTHER_ERROR, context, error);
  }

  /**
   * A thread factory for a subclass's own threads (a producer loop): daemon threads named after
   * the handler, counted in {@link #liveThreads()}. Stop them in {@link #shutDown()}.
   */
  protected final ThreadFactory threadFactory(String role) {
    return machinery.threads().factory(role, (thread, error) ->
        recordError("thread " + thread.getName() + " ended with an uncaught error", error));
  }

  // ---- lifecycle hooks for subclasses ----------------------------------------------------------

  /**
   * Called once, when the handler first starts its workers ({@link #start()}, or the first feed
   * with {@code run_as_thread}). Producers start their source here. An exception is recorded as
   * an error; {@link #start()} rethrows it, a feed does not.
   */
  protected void startUp() {}

  /** Called first in {@link #close()}, before intake stops: producers stop their source here. */
  protected void shutDown() {}

  /**
   * Called last in {@link #close()}, once no thread of the handler runs any more: release what
   * the processing needed until the end (an HTTP client, a model).
   */
  protected void afterClose() {}

  /** Called after {@link #reconfigure} has applied a new configuration. */
  protected void configurationChanged(HandlerConfig previous, HandlerConfig current) {}

  /**
   * Figures a subclass adds to {@link #stats()} under {@code details}, e.g. a source's state;
   * current problems as a {@code List<String>} under {@link HandlerStats#WARNINGS}.
   */
  protected Map<String, Object> statsDetails() {
    return Map.of();
  }

  // ---- the seed's hooks: no-ops, exceptions logged and swallowed -------------------------------

  /** Start of {@code feed} (and of {@code offer}). */
  protected void hookBeforeFeed(I item, Map<String, ?> extra) {}

  /** End of every {@code feed} (and {@code offer}); {@code accepted} tells whether the item was queued. */
  protected void hookAfterFeed(I item, Map<String, ?> extra, boolean accepted) {}

  /** Before an item is processed, on either path. */
  protected void hookBeforeGenerate(I item, Map<String, ?> extra) {}

  /** After an item was processed successfully (and its result queued, on the threaded path). */
  protected void hookAfterGenerate(I item, Map<String, ?> extra, R result) {}

  /** Before a network call. */
  protected void hookBeforeNetworkCall(Object payload) {}

  /** After a successful network call. */
  protected void hookAfterNetworkCall(Object payload, Object response) {}

  /** After {@code getResult} returned a result. */
  protected void hookAfterResult(R result) {}

  /**
   * A result's reader is done with it: {@code getResult} took it (called at once, before
   * {@link #hookAfterResult}), or the {@link ResultReader} that took it settled it
   * ({@link TakenResult#settle()}: delivered onward, filtered, dropped or dead-lettered), on the
   * settling thread, once per result. Not called for a result this handler dropped (result queue
   * full, evicted, handed over and expired): nobody read it. A source that must not lose what it
   * published acknowledges it here (a Kafka source commits the record's offset), so that a crash
   * before this point replays it.
   */
  protected void hookResultSettled(R result, Map<String, ?> extra) {}

  /** After processing an item threw; called with the original item. */
  protected void hookOnError(I item, Map<String, ?> extra, Throwable error) {}

  /** After a callback task threw; called with the result that was emitted. */
  protected void hookOnCallbackError(R result, Map<String, ?> extra, Throwable error) {}

  /** After a network call failed, before the failure is rethrown. */
  protected void hookNetworkError(Object payload, Throwable error) {}

  // ---- internals -------------------------------------------------------------------------------

  /**
   * Processes one item already counted in flight, and moves it out of flight exactly once, before
   * its result becomes visible: whoever sees the result sees the item's ledger settled.
   */
  private R runItem(I item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, Tally tally, boolean direct) {
    I prepared = item;
    R result;
    try {
      // inside the counted try: a fatal error thrown by the hook still moves the item out of flight
      template.fire(Hook.BEFORE_GENERATE, item, extra, null);
      tally.started();
      prepared = preprocessItem(item, extra);
      result = postprocessResult(prepared, extra, generateResults(prepared, extra));
    } catch (Throwable error) {
      tally.failed();
      machinery.diagnostics().failed(Diagnostics.LogTopic.ITEM_ERROR, "processing an item failed", error);
      template.fire(Hook.ON_ERROR, item, extra, error);
      if (onFailure != null) {
        template.fire(Hook.ON_FAILURE, onFailure, error, null);
      }
      if (direct || Diagnostics.isFatal(error)) {
        throw Diagnostics.sneakyThrow(error);
      }
      return null;
    }
    tally.processed();
    if (!direct && result != null) {
      machinery.results().publish(result, extra, false);
    }
    template.fire(Hook.AFTER_GENERATE, prepared, extra, result);
    return result;
  }

  /** The template methods and hooks, as the core's parts call them. */
  private final class Template implements Subclass {

    @Override
    @SuppressWarnings("unchecked")
    public Object run(Object item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, Tally tally,
        boolean direct) {
      return runItem((I) item, extra, onFailure, tally, direct);
    }

    @Override
    @SuppressWarnings("unchecked")
    public InvalidItemException check(Object item, Map<String, ?> extra) {
      try {
        if (validateItem((I) item, extra)) {
          return null;
        }
        return new InvalidItemException("handler '" + name() + "': " + Types.mismatch(config().expectedTypes(), item));
      } catch (InvalidItemException e) {
        return e;
      } catch (RuntimeException e) {
        return new InvalidItemException("handler '" + name() + "': validateItem failed: " + e, e);
      }
    }

    @Override
    public void startUp() {
      ArchitectureHandler.this.startUp();
    }

    /**
     * The one place a hook's failure is contained. The hooks of every item and result come first,
     * as identity tests: where this is inlined with a constant hook, the JIT keeps only its branch.
     */
    @Override
    @SuppressWarnings("unchecked")
    public Object fire(Hook hook, Object a, Object b, Object c) {
      try {
        if (hook == Hook.BEFORE_FEED) {
          hookBeforeFeed((I) a, (Map<String, ?>) b);
        } else if (hook == Hook.AFTER_FEED) {
          hookAfterFeed((I) a, (Map<String, ?>) b, (Boolean) c);
        } else if (hook == Hook.BEFORE_GENERATE) {
          hookBeforeGenerate((I) a, (Map<String, ?>) b);
        } else if (hook == Hook.AFTER_GENERATE) {
          hookAfterGenerate((I) a, (Map<String, ?>) b, (R) c);
        } else if (hook == Hook.RESULT_SETTLED) {
          hookResultSettled((R) a, (Map<String, ?>) b);
        } else if (hook == Hook.AFTER_RESULT) {
          hookAfterResult((R) a);
        } else {
          return fireOther(hook, a, b, c);
        }
      } catch (Throwable error) {
        machinery.diagnostics().hookFailed(hook.method(), error);
      }
      return null;
    }

    /** The other hooks; what they throw is contained by {@link #fire}. */
    @SuppressWarnings("unchecked")
    private Object fireOther(Hook hook, Object a, Object b, Object c) {
      switch (hook) {
        case ON_ERROR -> hookOnError((I) a, (Map<String, ?>) b, (Throwable) c);
        case ON_FAILURE -> ((Consumer<Throwable>) a).accept((Throwable) b);
        case ON_CALLBACK_ERROR -> hookOnCallbackError((R) a, (Map<String, ?>) b, (Throwable) c);
        case BEFORE_NETWORK_CALL -> hookBeforeNetworkCall(a);
        case AFTER_NETWORK_CALL -> hookAfterNetworkCall(a, b);
        case NETWORK_ERROR -> hookNetworkError(a, (Throwable) b);
        case SHUT_DOWN -> shutDown();
        case AFTER_CLOSE -> afterClose();
        case CONFIGURATION_CHANGED -> configurationChanged((HandlerConfig) a, (HandlerConfig) b);
        case STATS_DETAILS -> {
          return statsDetails();
        }
        default -> throw new AssertionError(hook);
      }
      return null;
    }
  }
}
