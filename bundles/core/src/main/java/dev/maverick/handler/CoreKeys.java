package dev.maverick.handler;

import java.util.List;

/**
 * The names of the configuration keys every handler accepts: the seed's, snake_case as it spells
 * them, and the core's own. What each means, its default and what it allows are on
 * {@link HandlerConfig}'s accessors; {@link HandlerConfig} implements this interface, so
 * {@code HandlerConfig.MAX_QUEUE_SIZE} and the like name the same constants.
 */
public interface CoreKeys {

  /** The seed's key: server host name, stored for network subclasses. */
  String HOST = "host";
  /** The seed's key: server port, 1&ndash;65535. */
  String PORT = "port";
  /** The seed's key: a credential for the server; a secret, always shown masked. */
  String AUTH = "auth";
  /** The seed's key: run the worker thread (default true). */
  String RUN_AS_THREAD = "run_as_thread";
  /** The seed's key: forbid every thread, even when {@code run_as_thread} is set (default false). */
  String DISABLE_THREAD = "disable_thread";
  /** The seed's key: input queue capacity (default 128; 0 = unbounded). */
  String MAX_QUEUE_SIZE = "max_queue_size";
  /** The seed's key: result queue capacity (default: {@code max_queue_size}; 0 = unbounded). */
  String RESULT_QUEUE_SIZE = "result_queue_size";
  /** The seed's key: log lifecycle and network events at INFO instead of DEBUG. */
  String VERBOSE = "verbose";
  /** The seed's key: the class (or comma-separated classes) an item must be an instance of. */
  String EXPECTED_TYPE = "expected_type";
  /** The seed's key: a {@code BiFunction<Object, Map<String, ?>, Object>} used as generateResults (code only). */
  String GENERATE_RESULTS_CALLBACK = "generate_results_callback";
  /** The seed's key: timeout of a network call, seconds. */
  String NETWORK_TIMEOUT = "network_timeout";
  /** The seed's key: prefix of the generated client id (default {@code client}). */
  String CLIENT_ID_PREFIX = "client_id_prefix";
  /** The seed's key: callback queue capacity (default 128; 0 = unbounded). */
  String CALLBACK_QUEUE_SIZE = "callback_queue_size";
  /** Ours: the handler's name, unique in a runtime (default: its client id). */
  String NAME = "name";
  /** Ours: what a full queue does (default {@code drop_newest}, the seed's behaviour). */
  String OVERFLOW_POLICY = "overflow_policy";
  /** Ours: the result queue's policy (default: {@code overflow_policy}). */
  String RESULT_OVERFLOW_POLICY = "result_overflow_policy";
  /** Ours: the callback queue's policy (default: {@code overflow_policy}, but never {@code block}). */
  String CALLBACK_OVERFLOW_POLICY = "callback_overflow_policy";
  /** Ours: how long {@code block} waits for room, seconds (default 1.0; 0 = until room or close). */
  String OFFER_TIMEOUT = "offer_timeout";
  /** Ours: how long {@code close()} lets queued work finish, seconds (default 5.0). */
  String SHUTDOWN_TIMEOUT = "shutdown_timeout";
  /** Ours: number of worker threads (default 1; results keep FIFO order only with 1). */
  String WORKER_THREADS = "worker_threads";
  /** Ours: how the handler's threads wait for each other, {@code park} (default) or {@code spin}. */
  String WAIT_STRATEGY = "wait_strategy";

  /** Every key the core knows, in documentation order. */
  List<String> KNOWN_KEYS = List.of(
      NAME, HOST, PORT, AUTH, RUN_AS_THREAD, DISABLE_THREAD, MAX_QUEUE_SIZE, RESULT_QUEUE_SIZE,
      CALLBACK_QUEUE_SIZE, OVERFLOW_POLICY, RESULT_OVERFLOW_POLICY, CALLBACK_OVERFLOW_POLICY,
      OFFER_TIMEOUT, SHUTDOWN_TIMEOUT, WORKER_THREADS, WAIT_STRATEGY, VERBOSE, EXPECTED_TYPE,
      GENERATE_RESULTS_CALLBACK, NETWORK_TIMEOUT, CLIENT_ID_PREFIX);
}
