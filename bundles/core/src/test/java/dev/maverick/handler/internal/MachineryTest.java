package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerClosedException;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The sequences that move several parts at once: start, reconfigure, close, hand-over, snapshot. */
class MachineryTest {
  private final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** Echoes items into the result queue, recording hooks. */
  private final class Echo extends Parts.NoSubclass {
    Machinery machinery;

    @Override
    public Object fire(Hook hook, Object a, Object b, Object c) {
      if (hook == Hook.STATS_DETAILS) {
        return Map.of("echo", true);
      }
      if (hook == Hook.SHUT_DOWN || hook == Hook.AFTER_CLOSE || hook == Hook.CONFIGURATION_CHANGED) {
        events.add(hook.method() + ":" + machinery.lifecycle().state());
      }
      return null;
    }

    @Override
    public Object run(Object item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, Tally tally,
        boolean direct) {
      tally.processed();
      machinery.results().publish(item, extra, false);
      return item;
    }

    @Override
    public void startUp() {
      events.add("startUp");
    }
  }

  private Machinery machinery(HandlerConfig config) {
    Echo echo = new Echo();
    echo.machinery = new Machinery(config, new Object(), log, echo);
    return echo.machinery;
  }

  @Test
  void theFirstFeedStartsTheWorkersAndStartUpCloseDrainsAndEndsEveryThread() {
    Machinery machinery = machinery(HandlerConfig.builder().name("m").workerThreads(2).build());
    assertThat(machinery.lifecycle().state()).isEqualTo(HandlerState.IDLE);
    machinery.intake().feed("a", Map.of());
    assertThat(machinery.lifecycle().state()).isEqualTo(HandlerState.RUNNING);
    assertThat(events).containsExactly("startUp");
    machinery.close(null);
    HandlerStats stats = machinery.stats();
    assertThat(stats.state()).isEqualTo(HandlerState.CLOSED);
    assertThat(stats.processedCount() + stats.dropped(DropReason.SHUTDOWN)).isEqualTo(1);
    assertThat(stats.details()).containsEntry("echo", true);
    assertThat(machinery.threads().live()).isEmpty();
    assertThat(events).containsExactly("startUp", "shutDown:CLOSING", "afterClose:CLOSED");
    assertThat(machinery.lifecycle().terminated()).isDone();
    assertThat(stats.isBalanced()).isTrue();
    assertThatThrownBy(machinery::start).isInstanceOf(HandlerClosedException.class);
  }

  @Test
  void aReconfigurationResizesInPlaceAndTheSubclassHearsOfItAfter() {
    Machinery machinery = machinery(HandlerConfig.builder().name("before").runAsThread(false).build());
    machinery.intake().feed("queued while idle", Map.of());
    machinery.reconfigure(HandlerConfig.builder().name("after").maxQueueSize(3).build());
    assertThat(machinery.diagnostics().name()).isEqualTo("after");
    assertThat(events).startsWith("configurationChanged:IDLE");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (machinery.stats().resultQueueSize() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    HandlerStats stats = machinery.stats();
    assertThat(stats.state()).as("started for the item queued while threads were off").isEqualTo(HandlerState.RUNNING);
    assertThat(stats.inputQueueCapacity()).isEqualTo(3);
    assertThat(stats.resultQueueSize()).isEqualTo(1);
    machinery.close(null);
  }

  @Test
  void aCloseForASuccessorParksTheQueuesAndTheSuccessorStartsForThem() {
    String key = "pid-" + UUID.randomUUID();
    Machinery old = machinery(HandlerConfig.builder().name("old").runAsThread(false).build());
    old.intake().feed("x", Map.of("n", 1));
    old.close(key);
    assertThat(old.stats().handedOffCount()).isEqualTo(1);
    Machinery successor = machinery(HandlerConfig.builder().name("new").build());
    assertThat(successor.adopt(key)).isEqualTo(1);
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (successor.stats().resultQueueSize() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    Object result = successor.results().take(0);
    assertThat(Envelope.extraOf(result)).isEqualTo(Map.of("n", 1));
    successor.close(null);
    assertThat(successor.stats().isBalanced()).isTrue();
    assertThat(old.stats().isBalanced()).isTrue();
  }
}
