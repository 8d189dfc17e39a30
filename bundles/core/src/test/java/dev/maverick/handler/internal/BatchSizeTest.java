package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.OverflowPolicy;
import org.junit.jupiter.api.Test;

class BatchSizeTest {
  private final BatchSize size = new BatchSize();

  @Test
  void theFirstBatchIsOneItemThenQuickItemsGoInBatchesBoundedByTheQueueSharedAmongWorkers() {
    assertThat(size.next(128, OverflowPolicy.BLOCK, 1)).isEqualTo(1);
    size.took(32 * 200, 32); // 200 ns an item
    assertThat(size.next(128, OverflowPolicy.BLOCK, 1)).isEqualTo(BatchSize.MAX);
    assertThat(size.next(0, OverflowPolicy.BLOCK, 1)).as("unbounded queue").isEqualTo(BatchSize.MAX);
    assertThat(size.next(128, OverflowPolicy.BLOCK, 4)).as("128 / (2 x 4)").isEqualTo(16);
    assertThat(size.next(2, OverflowPolicy.DROP_NEWEST, 8)).as("never less than one").isEqualTo(1);
  }

  @Test
  void itemsThatTakeLongerThanTheTargetGoOneByOneAndQuickOnesBatchAgainLater() {
    size.took(200, 1);
    size.took(5_000_000, 1); // one slow item moves the average past the target
    assertThat(size.next(128, OverflowPolicy.BLOCK, 1)).isEqualTo(1);
    for (int i = 0; i < 40; i++) {
      size.took(100, 1);
    }
    assertThat(size.next(128, OverflowPolicy.BLOCK, 1)).isEqualTo(BatchSize.MAX);
    size.took(4 * 5_000, 4); // 5 µs an item, averaged in: about TARGET / 5 µs
    assertThat(size.next(128, OverflowPolicy.BLOCK, 1)).isBetween(4, 31);
  }

  @Test
  void underDropOldestItemsStayInTheQueueWhereTheyCanBeEvicted() {
    size.took(100, 1);
    assertThat(size.next(128, OverflowPolicy.DROP_OLDEST, 1)).isEqualTo(1);
  }
}
