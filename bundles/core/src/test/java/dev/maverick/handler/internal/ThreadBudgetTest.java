package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class ThreadBudgetTest {

  private static HandlerConfig threads(int n) {
    return HandlerConfig.builder().workerThreads(n).build();
  }

  @Test
  void reservationsAddUpAndOneThatWouldPassTheLimitIsRefusedNamingTheRule() {
    ThreadBudget budget = new ThreadBudget(10);
    Object first = new Object();
    ThreadBudget.Reservation a = budget.reserve(first, threads(6));
    assertThat(budget.inUse()).isEqualTo(6);
    assertThatThrownBy(() -> budget.reserve(new Object(), threads(5)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("invalid value for 'worker_threads': '5' (Integer); "
            + "allowed: at most 4 more: max_total_worker_threads = 10, 6 in use")
        .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo("worker_threads"));
    assertThat(budget.inUse()).as("the refused one reserved nothing").isEqualTo(6);
    ThreadBudget.Reservation b = budget.reserve(new Object(), threads(4));
    assertThat(budget.inUse()).isEqualTo(10);
    a.release();
    a.release();
    assertThat(budget.inUse()).isEqualTo(4);
    b.release();
    assertThat(budget.inUse()).isZero();
    assertThat(first).isNotNull();
  }

  @Test
  void disabledThreadsReserveNothing() {
    ThreadBudget budget = new ThreadBudget(1);
    budget.reserve(new Object(), HandlerConfig.builder().workerThreads(200).disableThread(true).build());
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void aResizeCountsOnlyTheThreadsItAddsAndARefusedOneChangesNothing() {
    ThreadBudget budget = new ThreadBudget(10);
    Object holder = new Object();
    ThreadBudget.Reservation reservation = budget.reserve(holder, threads(4));
    budget.reserve(new Object(), threads(4));
    reservation.resize(threads(6));
    assertThat(budget.inUse()).isEqualTo(10);
    assertThatThrownBy(() -> reservation.resize(threads(7)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("allowed: at most 0 more than the 6 it has: max_total_worker_threads = 10, 10 in use");
    assertThat(reservation.threads()).isEqualTo(6);
    reservation.resize(threads(1));
    assertThat(budget.inUse()).isEqualTo(5);
    reservation.release();
    assertThatThrownBy(() -> reservation.resize(threads(1))).isInstanceOf(IllegalStateException.class);
    assertThat(holder).isNotNull();
  }

  @Test
  void checkReservesNothing() {
    ThreadBudget budget = new ThreadBudget(8);
    budget.check(threads(8), null);
    assertThat(budget.inUse()).isZero();
    Object holder = new Object();
    budget.reserve(holder, threads(5));
    assertThatThrownBy(() -> budget.check(threads(4), null)).hasMessageContaining("at most 3 more");
    budget.check(threads(8), threads(5)); // a handler of 5 growing to 8 fits
    assertThatThrownBy(() -> budget.check(threads(9), threads(5)))
        .hasMessageContaining("at most 3 more than the 5 it has: max_total_worker_threads = 8, 5 in use");
    assertThat(budget.inUse()).isEqualTo(5);
    assertThat(holder).isNotNull();
  }

  @Test
  void aLowerLimitRefusesMoreButTakesNothingAwayAndALimitBelowOneIsRefused() {
    ThreadBudget budget = new ThreadBudget(10);
    Object holder = new Object();
    budget.reserve(holder, threads(6));
    budget.setLimit(4);
    assertThat(budget.inUse()).isEqualTo(6);
    assertThatThrownBy(() -> budget.reserve(new Object(), threads(1)))
        .hasMessageContaining("at most 0 more: max_total_worker_threads = 4, 6 in use");
    assertThatThrownBy(() -> budget.setLimit(0)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("max_total_worker_threads");
    assertThat(budget.limit()).isEqualTo(4);
    assertThat(holder).isNotNull();
  }

  @Test
  void theThreadsOfAHolderCollectedUnreleasedComeBack() {
    ThreadBudget budget = new ThreadBudget(10);
    budget.reserve(new Object(), threads(7)); // its holder is garbage at once
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (budget.inUse() != 0 && System.nanoTime() < deadline) {
      System.gc();
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
    }
    assertThat(budget.inUse()).isZero();
  }
}
