package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.HandlerStatsBuilder;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The parts behind one handler, made together, and the sequences that move several of them at
 * once: start (now, or by themselves on the first feed), reconfigure in place, close (draining or
 * handing over), take over a predecessor's queues, and the stats snapshot. Each part does one job
 * (see their classes); this class only knows in which order they must move so that the books stay
 * exact and no thread outlives the close.
 */
public final class Machinery {
  private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Subclass subclass;
  private final ThreadBudget.Reservation workerReservation;
  private final String clientId;
  private final Diagnostics diagnostics;
  private final Ledger ledger;
  private final HandlerLifecycle lifecycle;
  private final ThreadRegistry threads;
  private final Lane<Object> input;
  private final ResultOutlet results;
  private final CallbackDispatcher callbacks;
  private final WorkerPool workers;
  private final AsyncCalls async;
  private final ThreadFactory closeThreads;
  private final Intake intake;
  private final Processing processing;
  private final NetworkCall network;
  private final Upstreams upstreams;
  private volatile HandlerConfig config;

  /**
   * Reserves the handler's worker threads, then makes its parts; starts no thread.
   *
   * @param config the configuration
   * @param handler the handler, whose reservation is given back if it is collected unclosed
   * @param log the handler class's logger
   * @param subclass the handler's template methods and hooks
   * @throws dev.maverick.handler.InvalidConfigurationException if its worker threads do not fit
   *     the runtime's budget; nothing is made or reserved then
   */
  public Machinery(HandlerConfig config, Object handler, Logger log, Subclass subclass) {
    this.workerReservation = ThreadBudget.instance().reserve(handler, config); // first: refused, nothing made
    this.config = config;
    this.subclass = subclass;
    this.clientId = config.clientIdPrefix() + "-" + UUID.randomUUID();
    this.diagnostics = new Diagnostics(log, config.name().orElse(clientId), config.verbose());
    this.ledger = new Ledger(diagnostics);
    this.lifecycle = new HandlerLifecycle(config.threaded());
    this.threads = new ThreadRegistry(diagnostics::name);
    long offerNanos = config.offerTimeout().toNanos();
    this.upstreams = new Upstreams(subclass);
    this.input = new Lane<>(Lane.Kind.INPUT, config.maxQueueSize(), config.overflowPolicy(), offerNanos, ledger,
        diagnostics, upstreams);
    this.results = new ResultOutlet(config.resultQueueSize(), config.resultOverflowPolicy(), offerNanos, ledger,
        diagnostics, (result, extra) -> subclass.fire(Hook.RESULT_SETTLED, result, extra, null), upstreams);
    this.processing = new Processing(subclass, ledger, results, upstreams, diagnostics, lifecycle);
    this.intake = new Intake(input, ledger, lifecycle, diagnostics, subclass, processing,
        () -> startByThemselves("on first feed"));
    Thread.UncaughtExceptionHandler uncaught = (thread, error) ->
        log.error("[{}] thread {} ended with an uncaught error", diagnostics.name(), thread.getName(), error);
    this.workers = new WorkerPool(input.queue(), ledger, processing, threads.factory("worker", uncaught),
        lifecycle, diagnostics);
    this.callbacks = new CallbackDispatcher(config.callbackQueueSize(), config.callbackOverflowPolicy(), offerNanos,
        ledger, diagnostics, threads.factory("callback", uncaught), lifecycle.lock(),
        (result, extra, error) -> subclass.fire(Hook.ON_CALLBACK_ERROR, result, extra, error));
    this.async = new AsyncCalls(threads.factory("async", uncaught), lifecycle.lock());
    this.closeThreads = threads.factory("close", uncaught);
    this.network = new NetworkCall(ledger, diagnostics, async, subclass);
    applyWaitStrategy(config);
    CoarseClock.register(); // last: nothing after it can throw; the close unregisters
  }

  /** The configuration in force. */
  public HandlerConfig config() {
    return config;
  }

  /** The seed's {@code client_id}. */
  public String clientId() {
    return clientId;
  }

  /** The handler's name and its log. */
  public Diagnostics diagnostics() {
    return diagnostics;
  }

  /** Every counter. */
  public Ledger ledger() {
    return ledger;
  }

  /** The state machine. */
  public HandlerLifecycle lifecycle() {
    return lifecycle;
  }

  /** Every thread the handler started. */
  public ThreadRegistry threads() {
    return threads;
  }

  /** Where results leave. */
  public ResultOutlet results() {
    return results;
  }

  /** The callback thread and its queue. */
  public CallbackDispatcher callbacks() {
    return callbacks;
  }

  /** The executor of async calls. */
  public AsyncCalls async() {
    return async;
  }

  /** The ways in: feed, offer, generate. */
  public Intake intake() {
    return intake;
  }

  /** The network path. */
  public NetworkCall network() {
    return network;
  }

  /** The upstream settlements of offered items. */
  public Upstreams upstreams() {
    return upstreams;
  }

  /**
   * Starts the workers (unless threads are disabled, which is logged), then runs the start-up
   * hook if it has not run; what it throws is counted and rethrown.
   *
   * @throws dev.maverick.handler.HandlerClosedException once the handler is closing
   */
  public void start() {
    synchronized (lifecycle.lock()) {
      lifecycle.requireOpen(diagnostics.name(), "start()");
      if (config.disableThread()) {
        diagnostics.logger().warn("[{}] threads disabled by configuration (disable_thread=true); start() ignored",
            diagnostics.name());
        return;
      }
      lifecycle.autoStart(false);
      if (lifecycle.state() != HandlerState.RUNNING) {
        startWorkers();
        diagnostics.verbose("started {} worker thread(s)", config.workerThreads());
      }
    }
    runStartUpOnce(true);
  }

  /** Starts the workers if still IDLE and due to start by themselves; {@code why} ends the log line. */
  public void startByThemselves(String why) {
    boolean started = false;
    synchronized (lifecycle.lock()) {
      if (lifecycle.autoStart() && lifecycle.state() == HandlerState.IDLE && config.threaded()) {
        startWorkers();
        started = true;
      }
      lifecycle.autoStart(false);
    }
    if (started) {
      diagnostics.verbose("started {} worker thread(s) " + why, config.workerThreads());
      runStartUpOnce(false);
    }
  }

  /**
   * Applies a new configuration in place: the worker reservation first (refused: nothing
   * changes), then name, queues, workers and state; the subclass hears of it after, and workers
   * for items queued while threads were off start once it has.
   *
   * @throws dev.maverick.handler.HandlerClosedException once the handler is closing
   */
  public void reconfigure(HandlerConfig newConfig) {
    HandlerConfig previous;
    boolean startQueued;
    synchronized (lifecycle.lock()) {
      lifecycle.requireOpen(diagnostics.name(), "reconfigure");
      workerReservation.resize(newConfig);
      previous = config;
      String previousName = diagnostics.name();
      config = newConfig;
      diagnostics.configure(newConfig.name().orElse(clientId), newConfig.verbose());
      long offerNanos = newConfig.offerTimeout().toNanos();
      input.reconfigure(newConfig.maxQueueSize(), newConfig.overflowPolicy(), offerNanos);
      results.lane().reconfigure(newConfig.resultQueueSize(), newConfig.resultOverflowPolicy(), offerNanos);
      callbacks.lane().reconfigure(newConfig.callbackQueueSize(), newConfig.callbackOverflowPolicy(), offerNanos);
      applyWaitStrategy(newConfig);
      HandlerState now = lifecycle.state();
      if (newConfig.disableThread()) {
        workers.resize(0);
        lifecycle.moveTo(HandlerState.IDLE);
      } else if (now == HandlerState.RUNNING || now == HandlerState.FAILED) {
        startWorkers(); // also out of FAILED: the dead worker is replaced
      }
      lifecycle.autoStart(lifecycle.state() == HandlerState.IDLE && newConfig.threaded());
      // items queued while threads were off would otherwise wait for a feed that may never come
      startQueued = lifecycle.autoStart() && input.queue().size() > 0;
      if (!diagnostics.name().equals(previousName)) {
        threads.renameFrom(previousName);
      }
    }
    subclass.fire(Hook.CONFIGURATION_CHANGED, previous, newConfig, null);
    diagnostics.verbose("reconfigured: {}", newConfig);
    if (startQueued) { // after configurationChanged: the queued items see the subclass's new settings
      startByThemselves("for the items queued while threads were off");
    }
  }

  /** Closes on a thread of the handler's own; completes when the close has finished, whoever ran it. */
  public CompletableFuture<Void> closeAsync(Runnable close) {
    if (!lifecycle.isClosing()) {
      closeThreads.newThread(close).start();
    }
    return lifecycle.terminated().copy();
  }

  /**
   * Closes, once: drains (or, with a {@code handoverKey}, parks the queues for a successor), ends
   * every thread, gives the worker threads back. A second caller waits for the first to finish,
   * unless it is one of the handler's own threads (a worker closing its handler).
   */
  public void close(String handoverKey) {
    if (!lifecycle.beginClose()) {
      if (!threads.isOwnThread()) {
        lifecycle.terminated().join();
      }
      return;
    }
    try {
      closeInOrder(handoverKey);
    } finally {
      lifecycle.closed();
      workerReservation.release();
      CoarseClock.unregister();
      subclass.fire(Hook.AFTER_CLOSE, null, null, null);
      diagnostics.flush();
      lifecycle.terminate();
    }
  }

  private void closeInOrder(String handoverKey) {
    diagnostics.verbose(handoverKey == null ? "closing" : "closing for a successor");
    lifecycle.forbidStartUp(); // waits for a startUp() under way
    subclass.fire(Hook.SHUT_DOWN, null, null, null);
    long timeoutNanos = config.shutdownTimeout().toNanos();
    input.queue().close();
    if (handoverKey != null) {
      workers.abort(); // finish the item in hand, leave the queue to the successor
    }
    long deadline = System.nanoTime() + timeoutNanos;
    workers.stop(deadline, CLOSE_GRACE_NANOS);
    int abandoned = processing.finishOffWorker(deadline); // after the workers: none starts another
    if (abandoned > 0) {
      diagnostics.logger().warn("[{}] {} item(s) dropped at close: their generateResultsAsync stage had not "
          + "completed within shutdown_timeout={}s", diagnostics.name(), abandoned, timeoutNanos / 1e9);
    }
    subclass.fire(Hook.AFTER_WORKERS_STOPPED, null, null, null);
    if (handoverKey != null) {
      QueueHandover.park(handoverKey, diagnostics, ledger, input, results.lane(), timeoutNanos);
    }
    int leftItems = input.dropAll(DropReason.SHUTDOWN);
    if (leftItems > 0) {
      diagnostics.logger().warn("[{}] {} queued item(s) dropped at close: not processed within shutdown_timeout={}s "
          + "or no worker ran", diagnostics.name(), leftItems, timeoutNanos / 1e9);
    }
    callbacks.close(System.nanoTime() + timeoutNanos, CLOSE_GRACE_NANOS);
    // results stay readable, and a worker that overran the deadline may still add its result
    results.lane().queue().release();
    if (async.retire(CLOSE_GRACE_NANOS)) {
      threads.awaitAll(CLOSE_GRACE_NANOS);
    }
    List<Thread> leftovers = threads.leftovers();
    if (!leftovers.isEmpty()) {
      diagnostics.logger().warn("[{}] thread(s) still running after close, stuck in code that ignores interrupts: {}",
          diagnostics.name(), leftovers);
    }
    diagnostics.verbose("closed");
  }

  /** Takes over what a predecessor parked under {@code key}; see {@link QueueHandover#adopt}. */
  public int adopt(String key) {
    QueueHandover.Adopted adopted = QueueHandover.adopt(key, diagnostics, ledger, input, results.lane(), upstreams,
        (item, extra) -> {
          Exception invalid = subclass.check(item, extra);
          return invalid == null ? null : invalid.getMessage();
        });
    if (adopted.queuedAny() && lifecycle.autoStart()) {
      startByThemselves("for the items taken over");
    }
    return adopted.items();
  }

  /** Empties the input queue, counting each item dropped ({@code cleared}). */
  public int clearFeed() {
    int removed = input.dropAll(DropReason.CLEARED);
    if (removed > 0) {
      diagnostics.logger().info("[{}] clearFeed removed {} queued item(s)", diagnostics.name(), removed);
    }
    return removed;
  }

  /** A consistent snapshot: see {@link Ledger#snapshot}. */
  @SuppressWarnings("unchecked")
  public HandlerStats stats() {
    HandlerConfig current = config;
    HandlerStatsBuilder stats = HandlerStats.builder().identity(diagnostics.name(), clientId)
        .state(lifecycle.state()).threading(current.runAsThread(), current.disableThread())
        .resultReader(results.reader().orElse(null));
    ledger.snapshot(stats, input, results.lane(), callbacks.lane(), results.settlement());
    stats.threads(workers.alive(), callbacks.threadAlive());
    Map<String, Object> details = (Map<String, Object>) subclass.fire(Hook.STATS_DETAILS, null, null, null);
    return stats.details(details == null ? Map.of() : details).build();
  }

  private void applyWaitStrategy(HandlerConfig with) {
    input.queue().waitStrategy(with.waitStrategy());
    results.lane().queue().waitStrategy(with.waitStrategy());
    callbacks.lane().queue().waitStrategy(with.waitStrategy());
  }

  /** Called with the lifecycle lock held. */
  private void startWorkers() {
    workers.resize(config.workerThreads());
    lifecycle.moveTo(HandlerState.RUNNING);
  }

  private void runStartUpOnce(boolean rethrow) {
    try {
      lifecycle.startUpOnce(subclass::startUp);
    } catch (RuntimeException | Error error) {
      ledger.otherError();
      diagnostics.failed(Diagnostics.LogTopic.OTHER_ERROR, "startUp failed", error);
      if (rethrow) {
        throw error;
      }
    }
  }
}
