package dev.maverick.handler.wire.internal;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real handler for the wire's tests: it applies a function to each item on its worker thread,
 * records what it was given (with the extras), counts the results its reader settled, and can be
 * held (its worker waits at a gate) to play a slow target.
 */
final class TestHandler extends ArchitectureHandler<Object, Object> {
  private final Function<Object, Object> work;
  private final List<Object> items = Collections.synchronizedList(new ArrayList<>());
  private final List<Map<String, ?>> extras = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger settled = new AtomicInteger();
  private final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
  private volatile boolean held;

  TestHandler(HandlerConfig config, Function<Object, Object> work) {
    super(config);
    this.work = work;
  }

  /** A handler with input and result queues of {@code queue}, both under {@code block}. */
  static TestHandler blocking(String name, int queue, Function<Object, Object> work) {
    return new TestHandler(config(name, queue).build(), work);
  }

  /** The configuration the tests start from: block everywhere, waiting without limit. */
  static HandlerConfig.Builder config(String name, int queue) {
    return HandlerConfig.builder().name(name).maxQueueSize(queue).resultQueueSize(queue)
        .overflowPolicy(OverflowPolicy.BLOCK).offerTimeout(Duration.ZERO).shutdownTimeout(Duration.ofSeconds(5));
  }

  /** Makes the worker wait before each item until {@link #release()}. */
  synchronized void hold() {
    gate.drainPermits();
    held = true;
  }

  /** Lets the worker go on; idempotent. */
  synchronized void release() {
    held = false;
    if (gate.availablePermits() < Integer.MAX_VALUE / 4) {
      gate.release(Integer.MAX_VALUE / 2);
    }
  }

  @Override
  protected Object generateResults(Object item, Map<String, ?> extra) {
    if (held) {
      gate.acquireUninterruptibly();
    }
    extras.add(extra); // first: a test that saw the item may read its extras
    items.add(item);
    return work.apply(item);
  }

  @Override
  protected void hookResultSettled(Object result, Map<String, ?> extra) {
    settled.incrementAndGet();
  }

  /** The items processed, in order. */
  List<Object> items() {
    synchronized (items) {
      return List.copyOf(items);
    }
  }

  /** The extras of the items processed, in order. */
  List<Map<String, ?>> extras() {
    synchronized (extras) {
      return List.copyOf(extras);
    }
  }

  /** Results whose reader settled them. */
  int settled() {
    return settled.get();
  }
}
