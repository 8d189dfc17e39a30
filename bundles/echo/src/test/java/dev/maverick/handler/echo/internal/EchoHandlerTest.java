package dev.maverick.handler.echo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.ds.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EchoHandlerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<EchoHandler> handlers = new ArrayList<>();

  @AfterEach
  void closeAll() {
    handlers.forEach(EchoHandler::close);
  }

  private EchoHandler echo(Map<String, ?> properties) {
    EchoHandler handler = new EchoHandler(new EchoKind().validate(properties));
    handlers.add(handler);
    return handler;
  }

  @Test
  void theSeedsExampleEchoesTheItemAndItsExtra() {
    EchoHandler handler = echo(Map.of("run_as_thread", false));
    Map<String, Object> out = handler.generate("hello", Map.of("tag", 1));
    assertThat(out).containsExactly(Map.entry("echo", "hello"), Map.entry("meta", Map.of("tag", 1)));
    assertThat(handler.generate("async-hello")).containsEntry("echo", "async-hello").containsEntry("meta", Map.of());
    HandlerStats stats = handler.stats();
    assertThat(stats.processedCount()).isEqualTo(2);
    assertThat(stats.isBalanced()).as(stats.toString()).isTrue();
  }

  @Test
  void aNullItemIsEchoedAsNullAndTheResultIsReadOnly() {
    EchoHandler handler = echo(Map.of());
    Map<String, Object> out = handler.generate(null);
    assertThat(out).containsEntry("echo", null);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> out.put("echo", "changed"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theThreadedPipelineEchoesInFifoOrder() {
    EchoHandler handler = echo(Map.of("name", "fifo"));
    for (int i = 0; i < 20; i++) {
      assertThat(handler.feed(i, Map.of("n", i))).isTrue();
    }
    for (int i = 0; i < 20; i++) {
      Optional<Map<String, Object>> result = handler.getResult(WAIT);
      assertThat(result).hasValue(Map.of("echo", i, "meta", Map.of("n", i)));
    }
    HandlerStats stats = Eventually.balanced(handler);
    assertThat(stats.processedCount()).isEqualTo(20);
  }

  @Test
  void delayMsMakesEachItemTakeAtLeastThatLong() {
    EchoHandler handler = echo(Map.of("delay_ms", "40"));
    long started = System.nanoTime();
    handler.generate("slow");
    handler.generate("slower");
    // a lower bound only: sleeping guarantees it, however busy the machine
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(80));
    assertThat(handler.stats().details()).containsEntry("delay_ms", 40L);
  }

  @Test
  void aSlowEchoFillsASmallQueueAndEveryItemIsAccountedFor() {
    // one item can be in flight (sleeping an hour) and one queued: of three, at least one is dropped
    EchoHandler handler = echo(Map.of("delay_ms", EchoHandler.MAX_DELAY_MS, "max_queue_size", 1,
        "shutdown_timeout", 0.05));
    int accepted = 0;
    for (int i = 0; i < 3; i++) {
      accepted += handler.feed("item-" + i) ? 1 : 0;
    }
    Eventually.until("the worker took the first item", () -> handler.stats().inFlight() == 1);
    HandlerStats busy = handler.stats();
    assertThat(busy.dropped(DropReason.QUEUE_FULL)).isEqualTo(3 - accepted).isPositive();
    assertThat(busy.isBalanced()).as(busy.toString()).isTrue();

    // close gives up after shutdown_timeout and interrupts: the delay is cut short, the item still echoed
    handler.close();
    assertThat(handler.state()).isEqualTo(HandlerState.CLOSED);
    // close() gives the interrupted worker a grace second; a busy machine may need longer
    Eventually.until("the interrupted worker ended", () -> handler.liveThreads().isEmpty());
    assertThat(handler.getResult(Duration.ZERO)).map(r -> r.get("echo")).hasValue("item-0");
    HandlerStats closed = handler.stats();
    assertThat(closed.processedCount()).isEqualTo(1);
    assertThat(closed.dropped(DropReason.SHUTDOWN)).isEqualTo(accepted - 1);
    assertThat(closed.isBalanced()).as(closed.toString()).isTrue();
    assertThat(handler.liveThreads()).isEmpty();
  }

  @Test
  void reconfiguringKeepsQueuedItemsAndAppliesTheNewDelay() {
    EchoKind kind = new EchoKind();
    EchoHandler handler = echo(Map.of("run_as_thread", false, "delay_ms", 25));
    for (String item : Arrays.asList("a", "b", "c")) {
      assertThat(handler.feed(item)).isTrue();
    }
    // a smaller queue than what is queued: nothing is lost, the surplus drains
    // the result queue would follow max_queue_size down to 2; three results must fit however fast the worker is
    // still run_as_thread=false: the items wait for start() (threaded, they would be processed at once)
    handler.reconfigure(kind.validate(Map.of("run_as_thread", false, "max_queue_size", 2, "result_queue_size", 8,
        "delay_ms", 0, "expected_type", "java.lang.String")));
    assertThat(handler.stats().details()).containsEntry("delay_ms", 0L);
    assertThat(handler.stats().inputQueueSize()).isEqualTo(3);
    assertThat(handler.feed(42)).as("expected_type now applies").isFalse();

    handler.start();
    List<Object> echoed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      echoed.add(handler.getResult(WAIT).orElseThrow().get("echo"));
    }
    assertThat(echoed).containsExactly("a", "b", "c");
    HandlerStats stats = Eventually.balanced(handler);
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(stats.inputQueueCapacity()).isEqualTo(2);
  }

  @Test
  void theDirectPathIsInterruptibleAndKeepsTheCallersInterrupt() throws Exception {
    EchoHandler handler = echo(Map.of("delay_ms", EchoHandler.MAX_DELAY_MS));
    Object[] outcome = new Object[2];
    Thread caller = new Thread(() -> {
      outcome[0] = handler.generate("cut short");
      outcome[1] = Thread.currentThread().isInterrupted();
    });
    caller.start();
    Eventually.until("generate is sleeping", () -> handler.stats().inFlight() == 1);
    caller.interrupt();
    caller.join(WAIT.toMillis());
    assertThat(caller.isAlive()).isFalse();
    assertThat(outcome[0]).isEqualTo(Map.of("echo", "cut short", "meta", Map.of()));
    assertThat(outcome[1]).isEqualTo(true);
    assertThat(handler.stats().isBalanced()).isTrue();
  }

  @Test
  void theDelayIsReadFromTheConfiguration() {
    assertThat(EchoHandler.delay(HandlerConfig.defaults())).isEqualTo(Duration.ZERO);
    assertThat(EchoHandler.delay(HandlerConfig.fromMap(Map.of("delay_ms", "1500")))).isEqualTo(Duration.ofMillis(1500));
  }
}
