package dev.maverick.handler.bench;

/**
 * Three threads moving items: a producer calls {@link #feed}, a worker does the echo's work, a
 * consumer calls {@link #take}. Implemented by the handler and by each of its baselines, so that
 * benchmarks 1, 2 and 4 drive all of them with the same code.
 */
public interface Pipeline extends AutoCloseable {

  /** Feeds one item, waiting for room. */
  void feed(Object item) throws InterruptedException;

  /** Takes the next result, waiting up to {@code timeoutNanos}; null on timeout. */
  Object take(long timeoutNanos) throws InterruptedException;

  /**
   * Called at quiescence, once every fed item came out: checks that the pipeline's own books agree
   * ({@code fed} items went in, {@code taken} results came out, nothing else is left anywhere).
   *
   * @throws IllegalStateException if they do not
   */
  void verify(long fed, long taken);

  /** Stops the worker and releases everything. */
  @Override
  void close();

  /** Throws {@link IllegalStateException} with {@code message} unless {@code condition}. */
  static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
