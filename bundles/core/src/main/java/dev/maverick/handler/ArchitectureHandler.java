package dev.maverick.handler;

import dev.maverick.handler.internal.BoundedQueue;
import dev.maverick.handler.internal.BoundedQueue.Offer;
import dev.maverick.handler.internal.ClaimedResults;
import dev.maverick.handler.internal.CoarseClock;
import dev.maverick.handler.internal.Envelope;
import dev.maverick.handler.internal.HandoverStore;
import dev.maverick.handler.internal.HandoverStore.Parcel;
import dev.maverick.handler.internal.NamedThreadFactory;
import dev.maverick.handler.internal.RateLimitedLog;
import dev.maverick.handler.internal.Settlement;
import dev.maverick.handler.internal.ThreadBudget;
import dev.maverick.handler.internal.Waits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
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
 * <p>Every item, result and callback task is accounted for: see {@link HandlerStats}.
 *
 * @param <I> the item type
 * @param <R> the result type
 */
public abstract class ArchitectureHandler<I, R> implements Handler<I, R> {

  private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int ASYNC_THREADS = 8;
  private static final DropReason[] REASONS = DropReason.values();
  private static final int TOPIC_ITEM_ERROR = REASONS.length;
  private static final int TOPIC_CALLBACK_ERROR = REASONS.length + 1;
  private static final int TOPIC_HOOK_ERROR = REASONS.length + 2;
  private static final int TOPIC_NETWORK_ERROR = REASONS.length + 3;
  private static final int TOPIC_OTHER_ERROR = REASONS.length + 4;
  private static final int TOPICS = REASONS.length + 5;
  // indexes into lastAt
  private static final int LAST_FEED_AT = 0;
  private static final int LAST_GENERATE_AT = 1;
  private static final int LAST_RESULT_AT = 2;
  private static final int LAST_NETWORK_CALL_AT = 3;
  /** Accesses lastAt's elements; static final, so that the JIT compiles each access to a plain move. */
  private static final VarHandle LAST_AT = MethodHandles.arrayElementVarHandle(long[].class);

  private final Logger log;
  private final RateLimitedLog rateLimitedLog;
  private final String clientId;
  private final Instant createdAt = Instant.now();
  private final Object lifecycleLock = new Object();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();
  private final List<Worker> workers = new CopyOnWriteArrayList<>();
  /** Held while startUp() runs, and by close() to forbid it: startUp never runs after shutDown. */
  private final Object startUpLock = new Object();
  private boolean startedUp; // guarded by startUpLock

  /** Hold an item (a result) alone, or an {@link Envelope} when it has extras, a failure callback, or is null. */
  private final BoundedQueue<Object> inputQueue;
  private final BoundedQueue<Object> resultQueue;
  private final BoundedQueue<CallbackTask<R>> callbackQueue;

  private final LongAdder accepted = new LongAdder();
  private final LongAdder feedRejected = new LongAdder();
  private final LongAdder generated = new LongAdder();
  private final LongAdder produced = new LongAdder();
  private final LongAdder processed = new LongAdder();
  private final LongAdder inFlight = new LongAdder();
  private final LongAdder itemErrors = new LongAdder();
  private final LongAdder callbackErrors = new LongAdder();
  private final LongAdder otherErrors = new LongAdder();
  private final LongAdder networkErrors = new LongAdder();
  private final LongAdder resultsQueued = new LongAdder();
  private final LongAdder resultsRejected = new LongAdder();
  private final LongAdder resultsTaken = new LongAdder();
  private final LongAdder callbacksQueued = new LongAdder();
  private final LongAdder callbacksRefused = new LongAdder();
  private final LongAdder callbacksCompleted = new LongAdder();
  private final LongAdder callbacksRunning = new LongAdder();
  private final LongAdder handedIn = new LongAdder();
  private final LongAdder handedOff = new LongAdder();
  private final LongAdder resultsHandedIn = new LongAdder();
  private final LongAdder resultsHandedOff = new LongAdder();
  private final LongAdder[] drops = new LongAdder[REASONS.length];
  /** The log line of each drop reason without detail, made once: a drop on the hot path allocates nothing. */
  private final Supplier<String>[] dropMessages = dropMessages();

  private final ThreadBudget.Reservation workerReservation;
  private final Settlement settlement = new Settlement(this::resultSettled);
  private final Object claimLock = new Object();
  /** The exclusive reader of the results, or null. */
  private volatile ClaimedResults<R> claim;

  private volatile HandlerConfig config;
  private volatile String name;
  private volatile HandlerState state = HandlerState.IDLE;
  private volatile boolean autoStart;
  private volatile boolean abortWorkers;
  private volatile boolean abortCallbacks;
  private volatile Thread callbackThread;
  private volatile ThreadPoolExecutor asyncExecutor;
  /** Set by close() when it shuts the executor down; none is made after that. */
  private boolean asyncRetired;
  private volatile Throwable failure;
  private volatile LastDrop lastDrop;
  // last_feed_at, last_generate_at, last_result_at, last_network_call_at: epoch millis from
  // CoarseClock, written only when they change (at most once a millisecond) with release stores,
  // so that the producer and the workers do not bounce a cache line per item; stats() reads them
  // with acquire.
  private final long[] lastAt = new long[4];

  private final ThreadFactory workerThreads;
  private final ThreadFactory callbackThreads;
  private final ThreadFactory asyncThreads;
  private final ThreadFactory closeThreads;

  /**
   * Creates a handler, ready to accept items. Starts no thread.
   *
   * @param config its configuration; see {@link HandlerConfig}
   */
  protected ArchitectureHandler(HandlerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    // first: a handler refused for want of threads has made and reserved nothing
    this.workerReservation = ThreadBudget.instance().reserve(this, config);
    this.clientId = config.clientIdPrefix() + "-" + UUID.randomUUID();
    this.name = config.name().orElse(clientId);
    this.log = LoggerFactory.getLogger(getClass());
    this.rateLimitedLog = new RateLimitedLog(log, TOPICS, LOG_INTERVAL_NANOS);
    for (int i = 0; i < drops.length; i++) {
      drops[i] = new LongAdder();
    }
    long offerNanos = config.offerTimeout().toNanos();
    this.inputQueue = new BoundedQueue<>(config.maxQueueSize(), config.overflowPolicy(), offerNanos,
        drops[DropReason.EVICTED.ordinal()], () -> noteDrop(DropReason.EVICTED, null));
    this.resultQueue = new BoundedQueue<>(config.resultQueueSize(), config.resultOverflowPolicy(), offerNanos,
        drops[DropReason.RESULT_EVICTED.ordinal()], () -> noteDrop(DropReason.RESULT_EVICTED, null));
    this.callbackQueue = new BoundedQueue<>(config.callbackQueueSize(), config.callbackOverflowPolicy(), offerNanos,
        drops[DropReason.CALLBACK_EVICTED.ordinal()], () -> noteDrop(DropReason.CALLBACK_EVICTED, null));
    Thread.UncaughtExceptionHandler uncaught = (thread, error) ->
        log.error("[{}] thread {} ended with an uncaught error", this.name, thread.getName(), error);
    this.workerThreads = tracked(new NamedThreadFactory(this::name, "worker", uncaught));
    this.callbackThreads = tracked(new NamedThreadFactory(this::name, "callback", uncaught));
    this.asyncThreads = tracked(new NamedThreadFactory(this::name, "async", uncaught));
    this.closeThreads = tracked(new NamedThreadFactory(this::name, "close", uncaught));
    this.autoStart = config.threaded();
    if (config.generateResultsCallback().isEmpty() && !overridesGenerateResults()) {
      log.warn("[{}] {} neither overrides generateResults nor has a generate_results_callback; "
          + "every item will fail with UnsupportedOperationException", name, getClass().getName());
    }
    CoarseClock.register(); // last: nothing after it can throw; close() unregisters
  }

  // ---- the public API ------------------------------------------------------------------------

  @Override
  public final String name() {
    return name;
  }

  /** The seed's {@code client_id}: {@code client_id_prefix} and a random UUID; it never changes. */
  public final String clientId() {
    return clientId;
  }

  @Override
  public final HandlerConfig config() {
    return config;
  }

  @Override
  public final HandlerState state() {
    return state;
  }

  @Override
  public final boolean feed(I item) {
    return feed(item, Map.of());
  }

  @Override
  public final boolean feed(I item, Map<String, ?> extra) {
    boolean queued = false;
    Map<String, ?> frozen = Map.of();
    try {
      frozen = Envelope.freeze(extra);
      queued = offerItem(item, frozen);
    } finally {
      if (!queued) {
        feedRejected.increment(); // after the drop is counted: a snapshot never misses the item
      }
    }
    if (!queued) {
      return false; // offerItem fired the after-feed hook
    }
    // out of the try: a fatal error thrown by the hook must not count an accepted item as refused
    fireAfterFeed(item, frozen, true);
    return true;
  }

  private boolean offerItem(I item, Map<String, ?> frozen) {
    fireBeforeFeed(item, frozen);
    InvalidItemException invalid = check(item, frozen);
    if (invalid != null) {
      drop(DropReason.INVALID, invalid.getMessage());
      fireAfterFeed(item, frozen, false);
      return false;
    }
    if (autoStart) {
      startByThemselves("on first feed");
    }
    Offer outcome = inputQueue.offer(Envelope.wrap(item, frozen, null), accepted);
    switch (outcome) {
      case ACCEPTED:
      case ACCEPTED_EVICTING:
        stamp(LAST_FEED_AT);
        return true; // feed() fires the after-feed hook
      case CLOSED:
        drop(DropReason.CLOSED, null);
        fireAfterFeed(item, frozen, false);
        return false;
      case REJECTED_FAIL:
        drop(DropReason.QUEUE_FULL, null);
        fireAfterFeed(item, frozen, false);
        throw new QueueFullException(name, "input", inputQueue.capacity());
      case REJECTED:
      default:
        drop(DropReason.QUEUE_FULL, null);
        fireAfterFeed(item, frozen, false);
        return false;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A result taken here is settled at once: {@link #hookResultSettled} runs, then
   * {@link #hookAfterResult}.
   *
   * @throws ResultsClaimedException while a {@link ResultReader} holds the results
   */
  @Override
  public final Optional<R> getResult(Duration timeout) {
    long nanos = Waits.timeoutNanos(timeout);
    requireUnclaimed();
    Object taken;
    try {
      taken = resultQueue.poll(nanos, resultsTaken);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    if (taken == null) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    R result = (R) Envelope.valueOf(taken);
    resultSettled(result, Envelope.extraOf(taken));
    try {
      hookAfterResult(result);
    } catch (Throwable error) {
      hookFailed("hookAfterResult", error);
    }
    return Optional.of(result);
  }

  @Override
  public final R generate(I item) {
    return generate(item, Map.of());
  }

  @Override
  public final R generate(I item, Map<String, ?> extra) {
    Map<String, ?> frozen = Envelope.freeze(extra);
    InvalidItemException invalid = check(item, frozen);
    if (invalid != null) {
      drop(DropReason.INVALID, invalid.getMessage());
      generated.increment();
      throw invalid;
    }
    HandlerState now = state;
    if (now == HandlerState.CLOSING || now == HandlerState.CLOSED) {
      drop(DropReason.CLOSED, null);
      generated.increment();
      throw new HandlerClosedException(name, "generate");
    }
    inFlight.increment();
    generated.increment();
    return runItem(item, frozen, null, true);
  }

  @Override
  public final CompletableFuture<Boolean> feedAsync(I item, Map<String, ?> extra) {
    return async(() -> feed(item, extra));
  }

  /**
   * {@inheritDoc}
   *
   * @throws ResultsClaimedException at once, while a {@link ResultReader} holds the results
   */
  @Override
  public final CompletableFuture<Optional<R>> getResultAsync(Duration timeout) {
    requireUnclaimed();
    return async(() -> getResult(timeout));
  }

  @Override
  public final Admission offer(I item, Map<String, ?> extra, Duration timeout, Consumer<? super Throwable> onFailure) {
    long nanos = Waits.timeoutNanos(timeout);
    Map<String, ?> frozen = Envelope.freeze(extra);
    fireBeforeFeed(item, frozen);
    InvalidItemException invalid = check(item, frozen);
    if (invalid != null) {
      fireAfterFeed(item, frozen, false);
      return Admission.invalid(invalid.getMessage());
    }
    if (autoStart) {
      startByThemselves("on first feed");
    }
    Offer outcome = inputQueue.offerWaiting(Envelope.wrap(item, frozen, onFailure), nanos, accepted);
    if (outcome == Offer.ACCEPTED) {
      stamp(LAST_FEED_AT);
    }
    fireAfterFeed(item, frozen, outcome == Offer.ACCEPTED);
    return switch (outcome) {
      case ACCEPTED -> Admission.ACCEPTED;
      case CLOSED -> Admission.CLOSED;
      default -> Admission.FULL;
    };
  }

  @Override
  public final ResultReader<R> claimResults(String owner) {
    Objects.requireNonNull(owner, "owner");
    synchronized (claimLock) {
      ClaimedResults<R> current = claim;
      if (current != null) {
        throw new ResultsClaimedException(name, current.owner());
      }
      ClaimedResults<R> reader = new ClaimedResults<>(name, owner, resultQueue, resultsTaken, settlement,
          this::releaseClaim);
      claim = reader;
      logVerbose("results claimed by {}", owner);
      return reader;
    }
  }

  @Override
  public final Optional<String> resultReader() {
    ClaimedResults<R> current = claim;
    return current == null ? Optional.empty() : Optional.of(current.owner());
  }

  private void releaseClaim(ClaimedResults<R> reader) {
    synchronized (claimLock) {
      if (claim == reader) {
        claim = null;
        logVerbose("results released by {}", reader.owner());
      }
    }
  }

  private void requireUnclaimed() {
    ClaimedResults<R> current = claim;
    if (current != null) {
      throw new ResultsClaimedException(name, current.owner());
    }
  }

  /** A result's reader is done with it: the hook, contained as every hook is. */
  @SuppressWarnings("unchecked")
  private void resultSettled(Object result, Map<String, ?> extra) {
    try {
      hookResultSettled((R) result, extra);
    } catch (Throwable error) {
      hookFailed("hookResultSettled", error);
    }
  }

  @Override
  public final CompletableFuture<R> generateAsync(I item, Map<String, ?> extra) {
    return async(() -> generate(item, extra));
  }

  @Override
  public final CompletableFuture<Void> startAsync() {
    return async(() -> {
      start();
      return null;
    });
  }

  @Override
  public final CompletableFuture<Void> closeAsync() {
    HandlerState now = state;
    if (now != HandlerState.CLOSING && now != HandlerState.CLOSED) {
      closeThreads.newThread(this::close).start();
    }
    // completes when the close has finished, whoever runs it (also one already under way)
    return terminated.copy();
  }

  @Override
  public final void start() {
    synchronized (lifecycleLock) {
      HandlerState now = state;
      if (now == HandlerState.CLOSING || now == HandlerState.CLOSED) {
        throw new HandlerClosedException(name, "start()");
      }
      if (config.disableThread()) {
        log.warn("[{}] threads disabled by configuration (disable_thread=true); start() ignored", name);
        return;
      }
      autoStart = false;
      if (now != HandlerState.RUNNING) {
        resizeWorkers(config.workerThreads());
        state = HandlerState.RUNNING;
        logVerbose("started {} worker thread(s)", config.workerThreads());
      }
    }
    runStartUpOnce(true);
  }

  @Override
  public final void close() {
    closeWith(null);
  }

  /**
   * Closes the handler for a successor, as a bundle update or a DS reactivation needs: intake
   * stops, the workers finish the item in hand (for up to {@code shutdown_timeout}), and the
   * queued items and untaken results, instead of being drained, are parked under {@code key} in
   * the core bundle's hand-over store for a new instance to {@linkplain #adoptHandover adopt}. What
   * nobody adopts within {@code shutdown_timeout} is counted here as dropped ({@code shutdown},
   * {@code result_shutdown}) and logged with its number. Pending callbacks run as in
   * {@link #close()}. Idempotent with {@link #close()}: whichever comes first decides.
   *
   * @param key what the successor will ask for, usually the configuration PID
   */
  public final void closeAndHandOver(String key) {
    closeWith(Objects.requireNonNull(key, "key"));
  }

  /**
   * Takes over what a predecessor parked under {@code key}: its items go to the head of the input
   * queue, in their order and whatever the capacity; its results to the result queue. Each item
   * is validated again (a class from an older bundle revision may no longer fit) and an invalid
   * one is counted as dropped. Call it before the handler is published.
   *
   * @return how many items were taken over
   */
  @SuppressWarnings("unchecked")
  public final int adoptHandover(String key) {
    Parcel parcel = HandoverStore.instance().claim(Objects.requireNonNull(key, "key"));
    if (parcel == null) {
      return 0;
    }
    List<Object> valid = new ArrayList<>(parcel.items().size());
    for (Object parked : parcel.items()) {
      InvalidItemException invalid = check((I) Envelope.valueOf(parked), Envelope.extraOf(parked));
      if (invalid == null) {
        valid.add(parked);
      } else {
        drop(DropReason.INVALID, "taken over from '" + parcel.owner() + "': " + invalid.getMessage());
      }
    }
    inputQueue.addAllFirst(valid);
    handedIn.add(parcel.items().size());
    resultQueue.addAllFirst(parcel.results());
    resultsHandedIn.add(parcel.results().size());
    log.info("[{}] took over {} item(s) and {} result(s) from '{}'", name, parcel.items().size(),
        parcel.results().size(), parcel.owner());
    if (!valid.isEmpty() && autoStart) {
      startByThemselves("for the items taken over");
    }
    return parcel.items().size();
  }

  private void closeWith(String handoverKey) {
    boolean owner;
    synchronized (lifecycleLock) {
      owner = state != HandlerState.CLOSING && state != HandlerState.CLOSED;
      if (owner) {
        state = HandlerState.CLOSING;
        autoStart = false;
      }
    }
    if (!owner) {
      if (!ownThreads.contains(Thread.currentThread())) {
        terminated.join();
      }
      return;
    }
    try {
      closeInOrder(handoverKey);
    } finally {
      state = HandlerState.CLOSED;
      workerReservation.release();
      CoarseClock.unregister();
      try {
        afterClose();
      } catch (Throwable error) {
        hookFailed("afterClose", error);
      }
      rateLimitedLog.flush(topic -> "[" + name + "] " + describeTopic(topic));
      terminated.complete(null);
    }
  }

  private void closeInOrder(String handoverKey) {
    logVerbose(handoverKey == null ? "closing" : "closing for a successor");
    synchronized (startUpLock) { // waits for a startUp() under way; none may begin after this
      startedUp = true;
    }
    try {
      shutDown();
    } catch (Throwable error) {
      hookFailed("shutDown", error);
    }
    long timeoutNanos = config.shutdownTimeout().toNanos();
    inputQueue.close();
    if (handoverKey != null) {
      abortWorkers = true; // finish the item in hand, leave the queue to the successor
      inputQueue.wakeConsumers();
    }
    if (!awaitThreads(workerThreadsAlive(), System.nanoTime() + timeoutNanos)) {
      abortWorkers = true;
      workers.forEach(worker -> worker.thread.interrupt());
      awaitThreads(workerThreadsAlive(), System.nanoTime() + CLOSE_GRACE_NANOS);
    }
    if (handoverKey != null) {
      handOver(handoverKey, timeoutNanos);
    }
    int leftItems = inputQueue.drain(drops[DropReason.SHUTDOWN.ordinal()]).size();
    if (leftItems > 0) {
      lastDrop = new LastDrop(DropReason.SHUTDOWN, leftItems + " at once");
      log.warn("[{}] {} queued item(s) dropped at close: not processed within shutdown_timeout={}s or no worker ran",
          name, leftItems, config.shutdownTimeout().toNanos() / 1e9);
    }
    callbackQueue.close();
    Thread callbacks = callbackThread;
    if (callbacks != null && !awaitThreads(List.of(callbacks), System.nanoTime() + timeoutNanos)) {
      abortCallbacks = true;
      callbacks.interrupt();
      awaitThreads(List.of(callbacks), System.nanoTime() + CLOSE_GRACE_NANOS);
    }
    int leftCallbacks = callbackQueue.drain(drops[DropReason.CALLBACK_SHUTDOWN.ordinal()]).size();
    if (leftCallbacks > 0) {
      lastDrop = new LastDrop(DropReason.CALLBACK_SHUTDOWN, leftCallbacks + " at once");
      log.warn("[{}] {} pending callback(s) dropped at close: not run within shutdown_timeout", name, leftCallbacks);
    }
    // results stay readable, and a worker that overran the deadline may still add its result
    resultQueue.release();
    ThreadPoolExecutor executor;
    synchronized (lifecycleLock) {
      executor = asyncExecutor;
      asyncExecutor = null;
      asyncRetired = true;
    }
    if (executor != null) {
      retire(executor);
      awaitThreads(new ArrayList<>(ownThreads), System.nanoTime() + CLOSE_GRACE_NANOS);
    }
    List<Thread> leftovers = new ArrayList<>(ownThreads);
    leftovers.remove(Thread.currentThread());
    leftovers.removeIf(thread -> thread.getName().startsWith(name + "-close-"));
    if (!leftovers.isEmpty()) {
      log.warn("[{}] thread(s) still running after close, stuck in code that ignores interrupts: {}", name, leftovers);
    }
    logVerbose("closed");
  }

  /**
   * Lets the async calls under way finish for a grace second (not interrupted, a getResult about to
   * take a result still takes it), then interrupts the rest. A call still waiting for a thread is
   * answered here, as it would be after close (refused, empty, or HandlerClosedException): thrown
   * away, its future would never complete.
   */
  private static void retire(ThreadPoolExecutor executor) {
    executor.shutdown();
    boolean finished = false;
    try {
      finished = executor.awaitTermination(CLOSE_GRACE_NANOS, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!finished) {
      for (Runnable waiting : executor.shutdownNow()) {
        waiting.run();
      }
    }
  }

  private void handOver(String key, long timeoutNanos) {
    List<Object> items = new ArrayList<>(inputQueue.drain(handedOff));
    List<Object> results = new ArrayList<>(resultQueue.drain(resultsHandedOff));
    if (items.isEmpty() && results.isEmpty()) {
      return;
    }
    HandoverStore.instance().park(key, new Parcel(name, items, results, System.nanoTime() + timeoutNanos, () -> {
      // nobody took them: they move from "handed over" to "dropped", counted there first
      dropMany(DropReason.SHUTDOWN, items.size());
      handedOff.add(-items.size());
      dropMany(DropReason.RESULT_SHUTDOWN, results.size());
      resultsHandedOff.add(-results.size());
    }));
  }

  @Override
  public final HandlerStats stats() {
    HandlerConfig current = config;
    HandlerStats.Builder stats = HandlerStats.builder()
        .identity(name, clientId)
        .state(state, current.threaded())
        .timestamps(createdAt, stamped(LAST_FEED_AT), stamped(LAST_GENERATE_AT), stamped(LAST_RESULT_AT),
            stamped(LAST_NETWORK_CALL_AT));
    // Every move of an element counts it in its new place before it leaves the old one, so
    // reading places upstream first (what came in, the queues, what is in flight, then the final
    // places) may count an element that moves during the read twice, but never zero times:
    // unaccounted*() is never positive, and zero at quiescence.
    long acceptedNow = accepted.sum();
    long fedNow = acceptedNow + feedRejected.sum();
    long generatedNow = generated.sum();
    long producedNow = produced.sum();
    long handedInNow = handedIn.sum();
    long publishedNow = resultsQueued.sum() + resultsRejected.sum();
    long resultsHandedInNow = resultsHandedIn.sum();
    long emittedNow = callbacksQueued.sum() + callbacksRefused.sum();
    ClaimedResults<R> reader = claim;
    stats.queueSizes(inputQueue.size(), resultQueue.size(), callbackQueue.size())
        .queueCapacities(inputQueue.capacity(), resultQueue.capacity(), callbackQueue.capacity());
    long flying = inFlight.sum();
    long running = callbacksRunning.sum();
    long processedNow = processed.sum();
    long itemErrorsNow = itemErrors.sum();
    long handedOffNow = handedOff.sum();
    long taken = resultsTaken.sum();
    long resultsHandedOffNow = resultsHandedOff.sum();
    long completed = callbacksCompleted.sum();
    long callbackErrorsNow = callbackErrors.sum();
    for (DropReason reason : REASONS) {
      stats.dropped(reason, drops[reason.ordinal()].sum());
    }
    stats.items(fedNow, acceptedNow, generatedNow, producedNow, processedNow, flying, itemErrorsNow)
        .handover(handedInNow, handedOffNow, resultsHandedInNow, resultsHandedOffNow)
        .results(publishedNow, taken)
        .resultReader(reader == null ? null : reader.owner(), settlement.unsettled())
        .callbacks(emittedNow, completed, running, callbackErrorsNow)
        .errors(networkErrors.sum(), otherErrors.sum());
    Thread callbacks = callbackThread;
    int alive = 0;
    for (Worker worker : workers) {
      alive += worker.thread.isAlive() ? 1 : 0;
    }
    stats.threads(alive, callbacks != null && callbacks.isAlive());
    LastDrop last = lastDrop;
    Throwable failed = failure;
    stats.diagnostics(last == null ? null : last.describe(), failed == null ? null : failed.toString());
    try {
      stats.details(Objects.requireNonNullElse(statsDetails(), Map.of()));
    } catch (Throwable error) {
      hookFailed("statsDetails", error);
    }
    return stats.build();
  }

  // ---- beyond the seed -------------------------------------------------------------------------

  /**
   * Applies a new configuration to the live handler, as DS {@code @Modified} does. Queue
   * capacities and policies change in place and no queued item is lost (a smaller queue keeps
   * its surplus until it drains); worker threads are added or retired after their current item;
   * the client id stays.
   *
   * @throws HandlerClosedException after {@link #close()}
   */
  public final void reconfigure(HandlerConfig newConfig) {
    Objects.requireNonNull(newConfig, "newConfig");
    HandlerConfig previous;
    boolean startQueued;
    synchronized (lifecycleLock) {
      HandlerState now = state;
      if (now == HandlerState.CLOSING || now == HandlerState.CLOSED) {
        throw new HandlerClosedException(name, "reconfigure");
      }
      workerReservation.resize(newConfig); // first: refused, nothing changes
      previous = config;
      config = newConfig;
      name = newConfig.name().orElse(clientId);
      long offerNanos = newConfig.offerTimeout().toNanos();
      inputQueue.reconfigure(newConfig.maxQueueSize(), newConfig.overflowPolicy(), offerNanos);
      resultQueue.reconfigure(newConfig.resultQueueSize(), newConfig.resultOverflowPolicy(), offerNanos);
      callbackQueue.reconfigure(newConfig.callbackQueueSize(), newConfig.callbackOverflowPolicy(), offerNanos);
      boolean workersWanted = now == HandlerState.RUNNING || now == HandlerState.FAILED;
      if (newConfig.disableThread()) {
        resizeWorkers(0);
        state = HandlerState.IDLE;
      } else if (workersWanted) {
        resizeWorkers(newConfig.workerThreads());
        state = HandlerState.RUNNING; // also out of FAILED: the dead worker has been replaced
      }
      autoStart = state == HandlerState.IDLE && newConfig.threaded();
      // items queued while threads were off would otherwise wait for a feed that may never come
      startQueued = autoStart && inputQueue.size() > 0;
      if (!name.equals(previous.name().orElse(clientId))) {
        renameThreads(previous.name().orElse(clientId));
      }
    }
    try {
      configurationChanged(previous, newConfig);
    } catch (Throwable error) {
      hookFailed("configurationChanged", error);
    }
    logVerbose("reconfigured: {}", newConfig);
    if (startQueued) { // after configurationChanged: the queued items see the subclass's new settings
      startByThemselves("for the items queued while threads were off");
    }
  }

  /**
   * Removes every item waiting in the input queue, counting each as dropped
   * ({@link DropReason#CLEARED}). The seed's {@code clear_feed()}.
   *
   * @return how many items were removed
   */
  public final int clearFeed() {
    int removed = inputQueue.drain(drops[DropReason.CLEARED.ordinal()]).size();
    if (removed > 0) {
      lastDrop = new LastDrop(DropReason.CLEARED, removed + " at once");
      log.info("[{}] clearFeed removed {} queued item(s)", name, removed);
    }
    return removed;
  }

  /** Waits for {@link #close()} to finish, from any thread. */
  public final boolean awaitTermination(Duration timeout) throws InterruptedException {
    try {
      terminated.get(Waits.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  /** The threads this handler started and that are still alive (for tests and diagnostics). */
  public final List<Thread> liveThreads() {
    List<Thread> alive = new ArrayList<>();
    for (Thread thread : ownThreads) {
      if (thread.isAlive()) {
        alive.add(thread);
      }
    }
    return alive;
  }

  // ---- template methods ------------------------------------------------------------------------

  /**
   * Decides whether an item is acceptable, before it is queued or generated. Default: it is an
   * instance of one of the {@code expected_type} classes (any item, {@code null} included, when
   * none is configured; {@code null} fails when one is). Return false, or throw
   * {@link InvalidItemException} to say exactly what is wrong and what is allowed.
   */
  protected boolean validateItem(I item, Map<String, ?> extra) {
    List<Class<?>> types = config.expectedTypes();
    if (types.isEmpty()) {
      return true;
    }
    if (item == null) {
      return false;
    }
    for (Class<?> type : types) {
      if (boxed(type).isInstance(item)) {
        return true;
      }
    }
    return false;
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
    BiFunction<Object, Map<String, ?>, Object> callback = config.generateResultsCallback().orElse(null);
    if (callback == null) {
      throw new UnsupportedOperationException("handler '" + name
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
    payload.put("client_id", clientId);
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
    try {
      hookBeforeNetworkCall(payload);
    } catch (Throwable error) {
      hookFailed("hookBeforeNetworkCall", error);
    }
    logVerbose("network call");
    Object response;
    try {
      response = callWithTimeout(payload);
    } catch (Throwable error) {
      networkErrors.increment();
      try {
        hookNetworkError(payload, error);
      } catch (Throwable hookError) {
        hookFailed("hookNetworkError", hookError);
      }
      rateLimitedLog.warn(TOPIC_NETWORK_ERROR, () -> "[" + name + "] network call failed: " + error);
      if (error instanceof RuntimeException || error instanceof Error) {
        throw sneakyThrow(error);
      }
      throw new NetworkCallException("handler '" + name + "': network call failed: " + error, error);
    }
    stamp(LAST_NETWORK_CALL_AT);
    try {
      hookAfterNetworkCall(payload, response);
    } catch (Throwable error) {
      hookFailed("hookAfterNetworkCall", error);
    }
    return response;
  }

  private Object callWithTimeout(Object payload) throws Exception {
    Optional<Duration> timeout = config.networkTimeout();
    ThreadPoolExecutor executor = timeout.isPresent() && !enforcesNetworkTimeout() ? executor() : null;
    if (executor == null) {
      return doPerformRequest(payload);
    }
    Future<Object> call = executor.submit(() -> doPerformRequest(payload));
    try {
      return call.get(Waits.saturatedNanos(timeout.get()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new NetworkCallException("handler '" + name + "': network call timed out after network_timeout="
          + timeout.get().toMillis() / 1000.0 + "s", e);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw sneakyThrow(cause);
    }
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
    boolean queued = false;
    try {
      queued = scheduleCallback(result, extra);
      return queued;
    } finally {
      if (!queued) {
        callbacksRefused.increment();
      }
    }
  }

  private boolean scheduleCallback(R result, Map<String, ?> extra) {
    HandlerConfig current = config;
    BiFunction<Object, Map<String, ?>, Object> callback = current.generateResultsCallback().orElse(null);
    if (callback == null || current.disableThread()) {
      drop(DropReason.CALLBACK_UNAVAILABLE,
          callback == null ? "no generate_results_callback is configured" : "threads are disabled (disable_thread=true)");
      return false;
    }
    if (callbackThread == null) {
      startCallbackThread();
    }
    Offer outcome = callbackQueue.offer(new CallbackTask<>(callback, result, Envelope.freeze(extra)), callbacksQueued);
    switch (outcome) {
      case ACCEPTED:
      case ACCEPTED_EVICTING:
        return true;
      case CLOSED:
        drop(DropReason.CALLBACK_CLOSED, null);
        return false;
      case REJECTED_FAIL:
        drop(DropReason.CALLBACK_QUEUE_FULL, null);
        throw new QueueFullException(name, "callback", callbackQueue.capacity());
      case REJECTED:
      default:
        drop(DropReason.CALLBACK_QUEUE_FULL, null);
        return false;
    }
  }

  /**
   * Publishes a result made by a producer-style handler that owns its input (a microphone, a
   * socket): counts it as produced and processed, schedules the callback when one is configured,
   * and queues the result as the worker does. A {@code null} result is counted and not queued.
   *
   * @return true if the result was queued
   * @throws QueueFullException if the result queue is full under {@link OverflowPolicy#FAIL}
   */
  protected final boolean publishResult(R result, Map<String, ?> extra) {
    processed.increment();
    produced.increment();
    stamp(LAST_RESULT_AT);
    if (result == null) {
      return false;
    }
    Map<String, ?> frozen = Envelope.freeze(extra);
    HandlerConfig current = config;
    if (current.generateResultsCallback().isPresent() && !current.disableThread()) {
      emitAsyncCallback(result, frozen);
    }
    return queueResult(result, frozen, true);
  }

  /**
   * Counts and logs an error that belongs to no item or callback, such as a producer's source
   * failing. It is part of the seed's {@code error_count}.
   */
  protected final void recordError(String context, Throwable error) {
    otherErrors.increment();
    rateLimitedLog.error(TOPIC_OTHER_ERROR, () -> "[" + name + "] " + context, error);
  }

  /**
   * A thread factory for a subclass's own threads (a producer loop): daemon threads named after
   * the handler, counted in {@link #liveThreads()}. Stop them in {@link #shutDown()}.
   */
  protected final ThreadFactory threadFactory(String role) {
    return tracked(new NamedThreadFactory(this::name, role, (thread, error) ->
        recordError("thread " + thread.getName() + " ended with an uncaught error", error)));
  }

  // ---- lifecycle hooks for subclasses ----------------------------------------------------------

  /**
   * Called once, when the handler first starts its workers ({@link #start()}, or the first feed
   * with {@code run_as_thread}). Producers start their source here. An exception is recorded as
   * an error; {@link #start()} rethrows it, a feed does not.
   */
  protected void startUp() {
    // no-op by default
  }

  /** Called first in {@link #close()}, before intake stops: producers stop their source here. */
  protected void shutDown() {
    // no-op by default
  }

  /**
   * Called last in {@link #close()}, once no thread of the handler runs any more: release what
   * the processing needed until the end (an HTTP client, a model).
   */
  protected void afterClose() {
    // no-op by default
  }

  /** Called after {@link #reconfigure} has applied a new configuration. */
  protected void configurationChanged(HandlerConfig previous, HandlerConfig current) {
    // no-op by default
  }

  /** Figures a subclass adds to {@link #stats()} under {@code details}, e.g. a source's state. */
  protected Map<String, Object> statsDetails() {
    return Map.of();
  }

  // ---- the seed's hooks: no-ops, exceptions logged and swallowed -------------------------------

  /** Start of {@code feed}. */
  protected void hookBeforeFeed(I item, Map<String, ?> extra) {}

  /** End of every {@code feed}; {@code accepted} tells whether the item was queued. */
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
  private R runItem(I item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, boolean direct) {
    I prepared = item;
    R result;
    try {
      // inside the counted try: a fatal error thrown by the hook still moves the item out of flight
      try {
        hookBeforeGenerate(item, extra);
      } catch (Throwable error) {
        hookFailed("hookBeforeGenerate", error);
      }
      stamp(LAST_GENERATE_AT);
      prepared = preprocessItem(item, extra);
      result = postprocessResult(prepared, extra, generateResults(prepared, extra));
    } catch (Throwable error) {
      itemErrors.increment();
      inFlight.decrement();
      itemFailed(item, extra, error, onFailure);
      if (direct || isFatal(error)) {
        throw sneakyThrow(error);
      }
      return null;
    }
    processed.increment();
    inFlight.decrement();
    stamp(LAST_RESULT_AT);
    if (!direct && result != null) {
      queueResult(result, extra, false);
    }
    try {
      hookAfterGenerate(prepared, extra, result);
    } catch (Throwable error) {
      hookFailed("hookAfterGenerate", error);
    }
    return result;
  }

  private void itemFailed(I item, Map<String, ?> extra, Throwable error, Consumer<? super Throwable> onFailure) {
    rateLimitedLog.error(TOPIC_ITEM_ERROR, () -> "[" + name + "] processing an item failed", error);
    try {
      hookOnError(item, extra, error);
    } catch (Throwable hookError) {
      hookFailed("hookOnError", hookError);
    }
    if (onFailure != null) {
      try {
        onFailure.accept(error);
      } catch (Throwable callbackError) {
        hookFailed("the onFailure callback of offer", callbackError);
      }
    }
  }

  private boolean queueResult(R result, Map<String, ?> extra, boolean throwOnFail) {
    boolean queued = false;
    try {
      queued = offerResult(Envelope.wrap(result, extra, null), throwOnFail);
      return queued;
    } finally {
      if (!queued) {
        resultsRejected.increment();
      }
    }
  }

  private boolean offerResult(Object result, boolean throwOnFail) {
    Offer outcome = resultQueue.offer(result, resultsQueued);
    switch (outcome) {
      case ACCEPTED:
      case ACCEPTED_EVICTING:
        return true;
      case REJECTED_FAIL:
        drop(DropReason.RESULT_QUEUE_FULL, null);
        if (throwOnFail) {
          throw new QueueFullException(name, "result", resultQueue.capacity());
        }
        return false;
      case REJECTED:
      case CLOSED:
      default:
        drop(DropReason.RESULT_QUEUE_FULL, null);
        return false;
    }
  }

  private InvalidItemException check(I item, Map<String, ?> extra) {
    try {
      if (validateItem(item, extra)) {
        return null;
      }
      return new InvalidItemException("handler '" + name + "': " + describeInvalid(item));
    } catch (InvalidItemException e) {
      return e;
    } catch (RuntimeException e) {
      return new InvalidItemException("handler '" + name + "': validateItem failed: " + e, e);
    }
  }

  private String describeInvalid(I item) {
    List<Class<?>> types = config.expectedTypes();
    String got = item == null ? "null" : item.getClass().getName();
    if (types.isEmpty()) {
      return "item rejected by validateItem (got " + got + ")";
    }
    StringBuilder expected = new StringBuilder();
    for (Class<?> type : types) {
      expected.append(expected.length() == 0 ? "" : " or ").append(type.getName());
    }
    return "item validation failed: expected " + expected + " (expected_type); got " + got;
  }

  private void drop(DropReason reason, String detail) {
    drops[reason.ordinal()].increment();
    noteDrop(reason, detail);
  }

  /** Records and logs (rate-limited) a drop already counted. */
  private void noteDrop(DropReason reason, String detail) {
    LastDrop previous = lastDrop;
    if (detail != null || previous == null || previous.reason != reason) {
      lastDrop = new LastDrop(reason, detail);
    }
    rateLimitedLog.warn(reason.ordinal(),
        detail == null ? dropMessages[reason.ordinal()] : () -> "[" + name + "] " + describeDrop(reason, detail));
  }

  @SuppressWarnings("unchecked")
  private Supplier<String>[] dropMessages() {
    Supplier<String>[] messages = new Supplier[REASONS.length];
    for (DropReason reason : REASONS) {
      messages[reason.ordinal()] = () -> "[" + name + "] " + describeDrop(reason, null);
    }
    return messages;
  }

  private void dropMany(DropReason reason, int count) {
    if (count > 0) {
      drops[reason.ordinal()].add(count);
      lastDrop = new LastDrop(reason, count + " at once");
    }
  }

  private String describeDrop(DropReason reason, String detail) {
    String text = switch (reason) {
      case INVALID -> "invalid item dropped";
      case QUEUE_FULL -> "input queue full (capacity " + inputQueue.capacity() + ", overflow_policy="
          + config.overflowPolicy() + "); item dropped";
      case EVICTED -> "input queue full; oldest item evicted (drop_oldest)";
      case CLOSED -> "item arrived after close; dropped";
      case RESULT_QUEUE_FULL -> "result queue full (capacity " + resultQueue.capacity() + ", result_overflow_policy="
          + config.resultOverflowPolicy() + "); processed result dropped";
      case RESULT_EVICTED -> "result queue full; oldest result evicted (drop_oldest)";
      case CALLBACK_QUEUE_FULL -> "callback queue full (capacity " + callbackQueue.capacity()
          + ", callback_overflow_policy=" + config.callbackOverflowPolicy() + "); callback task dropped";
      case CALLBACK_EVICTED -> "callback queue full; oldest callback task evicted (drop_oldest)";
      case CALLBACK_UNAVAILABLE -> "callback task dropped";
      case CALLBACK_CLOSED -> "callback emitted after close; dropped";
      default -> reason.key() + ": dropped";
    };
    return detail == null ? text : text + ": " + detail;
  }

  private String describeTopic(int topic) {
    if (topic < REASONS.length) {
      return "drops with reason " + REASONS[topic].key();
    }
    return switch (topic - REASONS.length) {
      case 0 -> "item errors";
      case 1 -> "callback errors";
      case 2 -> "hook errors";
      case 3 -> "network errors";
      default -> "other errors";
    };
  }

  private void hookFailed(String hook, Throwable error) {
    if (isFatal(error)) {
      throw sneakyThrow(error);
    }
    rateLimitedLog.error(TOPIC_HOOK_ERROR, () -> "[" + name + "] " + hook + " threw; ignored", error);
  }

  private void fireBeforeFeed(I item, Map<String, ?> extra) {
    try {
      hookBeforeFeed(item, extra);
    } catch (Throwable error) {
      hookFailed("hookBeforeFeed", error);
    }
  }

  private void fireAfterFeed(I item, Map<String, ?> extra, boolean wasAccepted) {
    try {
      hookAfterFeed(item, extra, wasAccepted);
    } catch (Throwable error) {
      hookFailed("hookAfterFeed", error);
    }
  }

  /** Starts the workers if still IDLE and due to start by themselves; {@code why} ends the log line. */
  private void startByThemselves(String why) {
    boolean started = false;
    synchronized (lifecycleLock) {
      if (autoStart && state == HandlerState.IDLE && config.threaded()) {
        resizeWorkers(config.workerThreads());
        state = HandlerState.RUNNING;
        started = true;
      }
      autoStart = false;
    }
    if (started) {
      logVerbose("started {} worker thread(s) " + why, config.workerThreads());
      runStartUpOnce(false);
    }
  }

  private void runStartUpOnce(boolean rethrow) {
    synchronized (startUpLock) {
      if (startedUp) {
        return;
      }
      startedUp = true;
      try {
        startUp();
      } catch (RuntimeException | Error error) {
        recordError("startUp failed", error);
        if (rethrow) {
          throw error;
        }
      }
    }
  }

  /** Called with lifecycleLock held. */
  private void resizeWorkers(int wanted) {
    workers.removeIf(worker -> !worker.thread.isAlive());
    List<Worker> active = new ArrayList<>();
    for (Worker worker : workers) {
      if (!worker.retire) {
        active.add(worker);
      }
    }
    for (int i = active.size(); i < wanted; i++) {
      Worker worker = new Worker();
      worker.thread = workerThreads.newThread(worker);
      workers.add(worker);
      worker.thread.start();
    }
    if (active.size() > wanted) {
      for (Worker worker : active.subList(wanted, active.size())) {
        worker.retire = true;
      }
      inputQueue.wakeConsumers();
    }
  }

  private List<Thread> workerThreadsAlive() {
    List<Thread> threads = new ArrayList<>();
    for (Worker worker : workers) {
      threads.add(worker.thread);
    }
    return threads;
  }

  private void startCallbackThread() {
    synchronized (lifecycleLock) {
      if (callbackThread != null || callbackQueue.isClosed()) {
        return;
      }
      Thread thread = callbackThreads.newThread(this::runCallbacks);
      callbackThread = thread;
      thread.start();
    }
  }

  private void runCallbacks() {
    while (!abortCallbacks) {
      CallbackTask<R> task;
      try {
        task = callbackQueue.poll(Long.MAX_VALUE, callbacksRunning);
      } catch (InterruptedException e) {
        continue;
      }
      if (task == null) {
        if (callbackQueue.isClosed()) {
          return;
        }
        continue;
      }
      try {
        task.callback.apply(task.result, task.extra);
        callbacksCompleted.increment();
      } catch (Throwable error) {
        callbackErrors.increment();
        rateLimitedLog.error(TOPIC_CALLBACK_ERROR, () -> "[" + name + "] callback failed", error);
        try {
          hookOnCallbackError(task.result, task.extra, error);
        } catch (Throwable hookError) {
          hookFailed("hookOnCallbackError", hookError);
        }
        if (isFatal(error)) {
          callbackThreadDied(error);
          throw sneakyThrow(error);
        }
      } finally {
        callbacksRunning.decrement();
      }
    }
  }

  /** Its replacement runs the callbacks still queued; without one, none would ever run again. */
  private void callbackThreadDied(Throwable fatal) {
    failure = fatal;
    log.error("[{}] callback thread {} died; a new one takes over the queued callbacks", name,
        Thread.currentThread().getName(), fatal);
    synchronized (lifecycleLock) {
      if (callbackThread == Thread.currentThread()) {
        callbackThread = null;
      }
    }
    startCallbackThread();
  }

  private ThreadPoolExecutor executor() {
    ThreadPoolExecutor executor = asyncExecutor;
    if (executor != null) {
      return executor;
    }
    synchronized (lifecycleLock) {
      // still made while CLOSING: async calls then must not run (and block) on the caller's thread
      if (asyncExecutor == null && !asyncRetired) {
        ThreadPoolExecutor created = new ThreadPoolExecutor(ASYNC_THREADS, ASYNC_THREADS, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), asyncThreads);
        created.allowCoreThreadTimeOut(true);
        asyncExecutor = created;
      }
      return asyncExecutor;
    }
  }

  /** Runs work on the handler's executor; once closed, inline (everything is then non-blocking). */
  private <T> CompletableFuture<T> async(Supplier<T> work) {
    ThreadPoolExecutor executor = executor();
    if (executor != null) {
      try {
        return CompletableFuture.supplyAsync(work, executor);
      } catch (RejectedExecutionException closedMeanwhile) {
        // fall through: the handler closed between the two lines
      }
    }
    try {
      return CompletableFuture.completedFuture(work.get());
    } catch (Throwable error) {
      return CompletableFuture.failedFuture(error);
    }
  }

  private void renameThreads(String previousName) {
    for (Thread thread : ownThreads) {
      String threadName = thread.getName();
      if (threadName.startsWith(previousName + "-")) {
        thread.setName(name + threadName.substring(previousName.length()));
      }
    }
  }

  /** Threads are tracked from creation (every one is started at once) until their task ends. */
  private ThreadFactory tracked(ThreadFactory factory) {
    return task -> {
      Thread[] created = new Thread[1];
      created[0] = factory.newThread(() -> {
        try {
          task.run();
        } finally {
          ownThreads.remove(created[0]);
        }
      });
      ownThreads.add(created[0]);
      return created[0];
    };
  }

  private static boolean awaitThreads(List<Thread> threads, long deadlineNanos) {
    boolean allEnded = true;
    for (Thread thread : threads) {
      if (thread == Thread.currentThread()) {
        continue;
      }
      long remaining = deadlineNanos - System.nanoTime();
      try {
        if (remaining > 0) {
          TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      allEnded &= !thread.isAlive();
    }
    return allEnded;
  }

  private void logVerbose(String format, Object... args) {
    if (config.verbose()) {
      log.info("[" + name + "] " + format, args);
    } else if (log.isDebugEnabled()) {
      log.debug("[" + name + "] " + format, args);
    }
  }

  private boolean overridesGenerateResults() {
    for (Class<?> type = getClass(); type != ArchitectureHandler.class && type != null; type = type.getSuperclass()) {
      for (Method method : type.getDeclaredMethods()) {
        if (method.getName().equals("generateResults") && method.getParameterCount() == 2 && !method.isBridge()) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isFatal(Throwable error) {
    return error instanceof VirtualMachineError && !(error instanceof StackOverflowError);
  }

  private static Class<?> boxed(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return switch (type.getName()) {
      case "int" -> Integer.class;
      case "long" -> Long.class;
      case "double" -> Double.class;
      case "float" -> Float.class;
      case "short" -> Short.class;
      case "byte" -> Byte.class;
      case "char" -> Character.class;
      default -> Boolean.class;
    };
  }

  /** Records "now" in a timestamp; one that already holds this millisecond is left alone. */
  private void stamp(int which) {
    long now = CoarseClock.millis();
    if ((long) LAST_AT.getOpaque(lastAt, which) != now) {
      LAST_AT.setRelease(lastAt, which, now);
    }
  }

  /** A timestamp as an instant, never before creation (the coarse clock may lag the creation's precise one). */
  private Instant stamped(int which) {
    long epochMillis = (long) LAST_AT.getAcquire(lastAt, which);
    if (epochMillis == 0) {
      return null;
    }
    Instant at = Instant.ofEpochMilli(epochMillis);
    return at.isBefore(createdAt) ? createdAt : at;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneakyThrow(Throwable error) throws T {
    throw (T) error;
  }

  private final class Worker implements Runnable {
    private Thread thread;
    private volatile boolean retire;

    @Override
    @SuppressWarnings("unchecked") // the queue holds only what feed() put there: an I, or an Envelope of one
    public void run() {
      try {
        while (true) {
          // the generation first, then the flags: a retirement between the two still wakes the poll
          long generation = inputQueue.wakeGeneration();
          if (retire || abortWorkers) {
            break;
          }
          Object next;
          try {
            next = inputQueue.poll(Long.MAX_VALUE, inFlight, generation);
          } catch (InterruptedException e) {
            continue;
          }
          if (next == null) {
            if (inputQueue.isClosed()) {
              return;
            }
            continue;
          }
          if (next instanceof Envelope) {
            runItem((I) Envelope.valueOf(next), Envelope.extraOf(next), Envelope.onFailureOf(next), false);
          } else {
            runItem((I) next, Map.of(), null, false);
          }
          if (!abortWorkers) {
            Thread.interrupted(); // a stray interrupt from user code must not end the loop
          }
        }
      } catch (Throwable fatal) {
        workerDied(this, fatal);
      }
    }
  }

  private void workerDied(Worker dying, Throwable fatal) {
    failure = fatal;
    log.error("[{}] worker thread {} died; the handler is FAILED until restarted with start()",
        name, Thread.currentThread().getName(), fatal);
    synchronized (lifecycleLock) {
      // its thread stays alive a moment longer: a start() in that moment must not count it as
      // one of the running workers, or it would start none in its place
      dying.retire = true;
      if (state == HandlerState.RUNNING) {
        state = HandlerState.FAILED;
      }
    }
  }

  private record CallbackTask<R>(BiFunction<Object, Map<String, ?>, Object> callback, R result, Map<String, ?> extra) {}

  private record LastDrop(DropReason reason, String detail) {
    String describe() {
      return detail == null ? reason.key() : reason.key() + ": " + detail;
    }
  }
}
