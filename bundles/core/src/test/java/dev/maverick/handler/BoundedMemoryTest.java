package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Reliability suite 6, memory: two gigabytes of one-megabyte items fed as fast as possible into a
 * handler whose worker is slower than the producer, in a JVM with a 64 MB heap (its own surefire
 * execution). The bounded queues keep what is held to a few megabytes: an unbounded queue, or a
 * drop that kept a reference, would end in OutOfMemoryError.
 */
class BoundedMemoryTest {
  private static final int ITEM_BYTES = 1 << 20;
  private static final int ITEMS = 2048;

  @Test
  void hugeItemsAtFullSpeedStayWithinASmallHeap() {
    long maxHeap = Runtime.getRuntime().maxMemory();
    assertThat(maxHeap).as("run with -Xmx64m (see the bounded-memory execution in the pom)")
        .isLessThan(128L << 20);
    AtomicLong checksum = new AtomicLong();
    HandlerConfig config = HandlerConfig.builder().maxQueueSize(8).resultQueueSize(4)
        .overflowPolicy(OverflowPolicy.DROP_NEWEST).build();
    long retained;
    try (ArchitectureHandler<byte[], Integer> handler = TestHandlers.of(config, item -> {
      checksum.addAndGet(item[0] + item[item.length - 1]);
      return item.length;
    })) {
      for (int i = 0; i < ITEMS; i++) {
        byte[] item = new byte[ITEM_BYTES];
        item[0] = 1;
        item[ITEM_BYTES - 1] = 1;
        handler.feed(item);
        handler.getResult(Duration.ZERO);
      }
      TestHandlers.until("queue drained", () -> handler.stats().inputQueueSize() == 0 && handler.stats().inFlight() == 0);
      System.gc();
      retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      HandlerStats stats = handler.stats();
      assertThat(stats.fedCount()).isEqualTo(ITEMS);
      assertThat(stats.processedCount() + stats.droppedCount() - stats.dropped(DropReason.RESULT_QUEUE_FULL))
          .isEqualTo(ITEMS);
      assertBalanced(handler);
      System.out.printf("bounded memory: %d MB fed in %d MB items into a %d MB heap; processed=%d dropped=%d;"
          + " heap in use after GC %d MB%n", (long) ITEMS * ITEM_BYTES >> 20, ITEM_BYTES >> 20, maxHeap >> 20,
          stats.processedCount(), stats.droppedCount(), retained >> 20);
    }
    assertThat(checksum.get()).isPositive();
  }
}
