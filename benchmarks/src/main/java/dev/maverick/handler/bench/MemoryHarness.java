package dev.maverick.handler.bench;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntFunction;
import org.openjdk.jol.info.GraphLayout;

/**
 * Benchmark 9 (the part the core alone decides): heap bytes retained per queued item, and the heap
 * of one more idle handler. Queues are filled with {@code n} references to one item, so the item itself
 * counts once and the figure is what the queue adds per item. Two independent methods: JOL walks
 * the object graph and sums exact object sizes; the heap delta reads used heap after full GCs
 * (MemoryMXBean) before and after filling, divided by {@code n}. Baselines: an
 * {@link ArrayBlockingQueue} (preallocated array) and a {@link LinkedBlockingQueue} (a node per
 * item) of the same capacity.
 */
public final class MemoryHarness {

  /** One row: bytes per queued item by both methods. */
  public record PerItem(String queue, double jolBytes, double heapDeltaBytes) {}

  /** Everything one run measured. */
  public record Report(int items, Map<String, PerItem> perItem, long idleHandlerBytes) {}

  static {
    // JOL reads field offsets of hidden classes (the handler's lambdas) only this way on JDK 17+
    if (System.getProperty("jol.magicFieldOffset") == null) {
      System.setProperty("jol.magicFieldOffset", "true");
    }
  }

  private MemoryHarness() {}

  /** Runs the harness from the command line: {@code [items]}. */
  public static void main(String[] args) {
    report(run(args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000), System.out);
  }

  /** Measures with queues of {@code n} items. */
  public static Report run(int n) {
    Object item = Items.get(1);
    Map<String, PerItem> rows = new LinkedHashMap<>();
    rows.put("handler", measure("handler", n, size -> {
      Echo.Handler handler = idleHandler(size);
      for (int i = 0; i < size; i++) {
        if (!handler.feed(item)) {
          throw new IllegalStateException("the handler refused item " + i + " of " + size + ": " + handler.stats());
        }
      }
      return handler;
    }, idleHandler(n), item));
    rows.put("arrayBlockingQueue", measure("arrayBlockingQueue", n, size -> fill(new ArrayBlockingQueue<>(size), size, item),
        null, item));
    rows.put("linkedBlockingQueue", measure("linkedBlockingQueue", n, size -> fill(new LinkedBlockingQueue<>(size), size, item),
        null, item));
    // One more handler beside another: what they share (enum constants, interned strings, the
    // logger) is counted once, so the difference is what each handler costs.
    Echo.Handler first = idleHandler(128);
    Echo.Handler second = idleHandler(128);
    long idleBytes = GraphLayout.parseInstance(first, second).totalSize() - GraphLayout.parseInstance(first).totalSize();
    close(first, 0);
    close(second, 0);
    return new Report(n, rows, idleBytes);
  }

  /** Prints a report. */
  public static void report(Report report, PrintStream out) {
    out.printf("memory: bytes retained per queued item (%d items, one item object referenced %d times)%n",
        report.items(), report.items());
    for (PerItem row : report.perItem().values()) {
      out.printf("  %-20s JOL %6.2f B/item   heap delta %6.2f B/item%n", row.queue(), row.jolBytes(), row.heapDeltaBytes());
    }
    out.printf("  one more idle handler (default queues, no thread started): %d B of heap (JOL)%n",
        report.idleHandlerBytes());
  }

  private static Echo.Handler idleHandler(int capacity) {
    // run_as_thread=false: fed items stay queued, nobody takes them
    return new Echo.Handler(HandlerConfig.builder().name("bench-memory").runAsThread(false).maxQueueSize(capacity).build());
  }

  private static Queue<Object> fill(Queue<Object> queue, int n, Object item) {
    for (int i = 0; i < n; i++) {
      if (!queue.offer(item)) {
        throw new IllegalStateException("queue refused item " + i);
      }
    }
    return queue;
  }

  /**
   * Bytes per item of a container of {@code n} items, minus the same container empty
   * ({@code emptyOrNull}; null: nothing) and minus the item.
   */
  private static PerItem measure(String name, int n, IntFunction<Object> filled, Object emptyOrNull, Object item) {
    long itemBytes = GraphLayout.parseInstance(item).totalSize();
    long emptyBytes = emptyOrNull == null ? 0 : GraphLayout.parseInstance(emptyOrNull).totalSize();
    if (emptyOrNull instanceof Echo.Handler handler) {
      close(handler, 0);
    }

    long before = usedHeapAfterGc();
    Object container = filled.apply(n);
    long after = usedHeapAfterGc();
    long jolBytes = GraphLayout.parseInstance(container).totalSize();
    Reference.reachabilityFence(container);
    if (container instanceof Echo.Handler handler) {
      close(handler, n);
    }
    double jolPerItem = (jolBytes - emptyBytes - itemBytes) / (double) n;
    double deltaPerItem = (after - before - emptyBytes) / (double) n; // the item existed before
    return new PerItem(name, jolPerItem, deltaPerItem);
  }

  private static void close(Echo.Handler handler, long queued) {
    handler.clearFeed();
    handler.close();
    HandlerStats stats = handler.stats();
    Pipeline.check(stats.fedCount() == queued && stats.isBalanced(), "accounting law broken: " + stats);
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // a few rounds: what one collection leaves (reference processing, G1 regions) the next may take
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
