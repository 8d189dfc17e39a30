package dev.maverick.handler.itest.reliability;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.QueueFullException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Producers and a consumer that keep working against whatever handler instance is current while
 * the test reconfigures or redeploys it: they count every item a handler accepted and every result
 * they took, so the test can prove that nothing accepted was lost.
 */
final class LoadRunner implements AutoCloseable {
  private final Supplier<Handler<Object, Object>> current;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong taken = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Thread> threads = new ArrayList<>();

  /**
   * @param current the handler to use now (may be null while none is registered)
   * @param producers how many feeding threads
   */
  LoadRunner(Supplier<Handler<Object, Object>> current, int producers) {
    this.current = current;
    for (int p = 0; p < producers; p++) {
      int producer = p;
      threads.add(start("producer-" + p, () -> produce(producer)));
    }
    threads.add(start("consumer", this::consume));
  }

  private Thread start(String name, Runnable work) {
    Thread thread = new Thread(() -> {
      try {
        work.run();
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    }, "load-" + name);
    thread.start();
    return thread;
  }

  private void produce(int producer) {
    long sequence = 0;
    while (running.get()) {
      Handler<Object, Object> handler = current.get();
      if (handler == null) {
        waitForAHandler();
        continue;
      }
      try {
        if (handler.feed("p" + producer + "-" + sequence, Map.of("producer", producer))) {
          accepted.incrementAndGet();
          sequence++;
        } else {
          refused.incrementAndGet();
        }
      } catch (QueueFullException underFail) {
        refused.incrementAndGet();
      }
    }
  }

  private void consume() {
    while (running.get()) {
      if (current.get() == null) {
        waitForAHandler();
      } else {
        takeOne(Duration.ofMillis(5));
      }
    }
  }

  /** Between two instances: parks rather than spins, to leave the CPU to the bundle's restart. */
  private static void waitForAHandler() {
    LockSupport.parkNanos(100_000);
  }

  private boolean takeOne(Duration wait) {
    Handler<Object, Object> handler = current.get();
    if (handler != null && handler.getResult(wait).isPresent()) {
      taken.incrementAndGet();
      return true;
    }
    return false;
  }

  /** Stops producing and consuming. */
  void stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(20_000);
    }
    if (failure.get() != null) {
      throw new AssertionError("a load thread failed", failure.get());
    }
  }

  /** Takes what is left once the current handler has nothing queued or in flight. */
  void drainRemaining() {
    Handler<Object, Object> handler = current.get();
    // an item leaves in-flight a moment before its result is queued: wait for that result too
    dev.maverick.handler.itest.Await.until("the current handler idle", () -> {
      HandlerStats stats = handler.stats();
      return stats.inputQueueSize() == 0 && stats.inFlight() == 0
          && stats.resultsPublished() == stats.processedCount();
    });
    while (takeOne(Duration.ZERO)) {
      // keep taking
    }
  }

  long accepted() {
    return accepted.get();
  }

  long refused() {
    return refused.get();
  }

  long taken() {
    return taken.get();
  }

  @Override
  public void close() throws InterruptedException {
    if (running.get()) {
      stop();
    }
  }
}
