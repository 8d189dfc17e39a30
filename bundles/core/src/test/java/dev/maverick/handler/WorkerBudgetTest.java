package dev.maverick.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every handler of the core reserves its worker threads from one budget: a configuration that
 * would pass max_total_worker_threads is refused, and the refused handler starts no thread.
 */
class WorkerBudgetTest {
  private int limitBefore;

  @BeforeEach
  void rememberTheLimit() {
    limitBefore = WorkerBudget.limit();
  }

  @AfterEach
  void restoreTheLimit() {
    WorkerBudget.setLimit(limitBefore);
  }

  private static HandlerConfig threads(String name, int n) {
    return HandlerConfig.builder().name(name).workerThreads(n).build();
  }

  private static Set<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
  }

  @Test
  void aHandlerThatWouldPassTheLimitIsRefusedAndLeavesNoThreadAndNothingReserved() {
    int inUse = WorkerBudget.inUse();
    WorkerBudget.setLimit(inUse + 4);
    try (ArchitectureHandler<Integer, Integer> three = TestHandlers.of(threads("budget-three", 3), i -> i)) {
      three.start();
      assertThat(WorkerBudget.inUse()).isEqualTo(inUse + 3);
      assertThatThrownBy(() -> TestHandlers.of(threads("budget-refused", 2), i -> i))
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessage("invalid value for 'worker_threads': '2' (Integer); allowed: at most 1 more: "
              + "max_total_worker_threads = " + (inUse + 4) + ", " + (inUse + 3) + " in use");
      assertThat(WorkerBudget.inUse()).isEqualTo(inUse + 3);
      assertThat(threadNames()).noneMatch(name -> name.startsWith("budget-refused"));
      assertThatThrownBy(() -> WorkerBudget.check(threads("budget-checked", 2))).hasMessageContaining("at most 1 more");
      WorkerBudget.check(threads("budget-checked", 1));
      assertThat(WorkerBudget.inUse()).as("a check reserves nothing").isEqualTo(inUse + 3);
    }
    assertThat(WorkerBudget.inUse()).as("close gives the threads back").isEqualTo(inUse);
  }

  @Test
  void aRefusedReconfigureChangesNothingAndAnAcceptedOneMovesTheReservation() {
    int inUse = WorkerBudget.inUse();
    WorkerBudget.setLimit(inUse + 4);
    try (ArchitectureHandler<Integer, Integer> handler = TestHandlers.of(threads("budget-grows", 2), i -> i)) {
      handler.start();
      assertThatThrownBy(() -> handler.reconfigure(threads("budget-grows", 7).with(java.util.Map.of("max_queue_size", 3))))
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("at most 2 more than the 2 it has");
      assertThat(handler.config().workerThreads()).isEqualTo(2);
      assertThat(handler.config().maxQueueSize()).as("nothing applied").isEqualTo(128);
      assertThat(handler.stats().workersAlive()).isEqualTo(2);
      handler.reconfigure(threads("budget-grows", 4));
      assertThat(WorkerBudget.inUse()).isEqualTo(inUse + 4);
      TestHandlers.until("four workers", () -> handler.stats().workersAlive() == 4);
      WorkerBudget.check(threads("budget-grows", 4), handler.config());
      handler.reconfigure(threads("budget-grows", 1));
      assertThat(WorkerBudget.inUse()).isEqualTo(inUse + 1);
    }
    assertThat(WorkerBudget.inUse()).isEqualTo(inUse);
  }

  @Test
  void theLimitDefaultsToFiveHundredTwelve() {
    assertThat(WorkerBudget.DEFAULT_LIMIT).isEqualTo(512);
    assertThat(WorkerBudget.LIMIT_PROPERTY).isEqualTo("maverick.max_total_worker_threads");
    assertThat(System.getProperty(WorkerBudget.LIMIT_PROPERTY)).as("not set for the tests").isNull();
    assertThat(limitBefore).isEqualTo(512);
  }
}
