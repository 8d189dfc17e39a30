package dev.maverick.handler;

import dev.maverick.handler.internal.ThreadBudget;

/**
 * The cap on worker threads that all handlers of the core bundle share: without it, a few
 * configurations with {@code worker_threads=256} could make a runtime start thousands of threads.
 *
 * <p>Every handler reserves its {@code worker_threads} ({@link #threadsOf}) when it is
 * constructed and again on {@code reconfigure}, and gives them back on close. A configuration that
 * would take the total over the {@linkplain #limit() limit} is refused with an
 * {@link InvalidConfigurationException} naming {@code worker_threads}, its value and the rule
 * ({@code at most N more: max_total_worker_threads = M, K in use}); the refused handler starts no
 * thread and reserves nothing, and a refused {@code reconfigure} changes nothing. A handler that is
 * never closed gives its threads back once it has been garbage-collected.
 *
 * <p>The limit is read from the system property {@value #LIMIT_PROPERTY} (default
 * {@value #DEFAULT_LIMIT}) when the core bundle starts, and can be changed at run time with
 * {@link #setLimit}; lowering it below what is in use stops no thread, it refuses more.
 * {@link #check} answers whether a configuration would fit without reserving anything, so that a
 * tool can refuse it before it creates a configuration.
 */
public final class WorkerBudget {

  /** The system property that sets the limit at start. */
  public static final String LIMIT_PROPERTY = "maverick." + ThreadBudget.LIMIT_KEY;
  /** The limit's name in error messages and in the admin's configuration. */
  public static final String LIMIT_KEY = ThreadBudget.LIMIT_KEY;
  /** The limit when {@value #LIMIT_PROPERTY} is not set. */
  public static final int DEFAULT_LIMIT = ThreadBudget.DEFAULT_LIMIT;

  private WorkerBudget() {}

  /** The most worker threads all handlers together may reserve. */
  public static int limit() {
    return ThreadBudget.instance().limit();
  }

  /** Worker threads reserved now, by every handler not yet closed. */
  public static int inUse() {
    return ThreadBudget.instance().inUse();
  }

  /**
   * Sets the limit. Handlers already running keep their threads, also above a lower limit.
   *
   * @throws InvalidConfigurationException if {@code limit} is below 1
   */
  public static void setLimit(int limit) {
    ThreadBudget.instance().setLimit(limit);
  }

  /** How many worker threads a handler of this configuration reserves: {@code worker_threads}, none with {@code disable_thread}. */
  public static int threadsOf(HandlerConfig config) {
    return ThreadBudget.threadsOf(config);
  }

  /**
   * Checks, without reserving, that a new handler of this configuration would fit.
   *
   * @throws InvalidConfigurationException naming {@code worker_threads}, its value and the rule
   */
  public static void check(HandlerConfig config) {
    ThreadBudget.instance().check(config, null);
  }

  /**
   * Checks, without reserving, that a handler now running {@code current} could be reconfigured
   * to {@code next}: only the threads it would add count.
   *
   * @throws InvalidConfigurationException naming {@code worker_threads}, its value and the rule
   */
  public static void check(HandlerConfig next, HandlerConfig current) {
    ThreadBudget.instance().check(next, current);
  }
}
