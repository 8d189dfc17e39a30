package dev.maverick.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code wait_strategy}: parsed and refused like every key; under {@code spin} nothing is lost or reordered. */
class WaitStrategyTest {

  @Test
  void theKeyTakesParkOrSpinAndRefusesAnythingElseNamingWhatIsAllowed() {
    assertThat(HandlerConfig.builder().build().waitStrategy()).isEqualTo(WaitStrategy.PARK);
    assertThat(HandlerConfig.builder().set("wait_strategy", " SPIN ").build().waitStrategy()).isEqualTo(WaitStrategy.SPIN);
    assertThat(HandlerConfig.builder().set("wait_strategy", new String[] {"park"}).build().toMap())
        .containsEntry("wait_strategy", "park");
    assertThatThrownBy(() -> HandlerConfig.builder().set("wait_strategy", "busy"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("wait_strategy").hasMessageContaining("park, spin");
    assertThatThrownBy(() -> HandlerConfig.builder().set("wait_strategy", 3))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("wait_strategy");
  }

  @Test
  void spinningThreadsLoseAndReorderNothingAndAReconfigurationBackToParkTakesEffectInPlace() throws Exception {
    HandlerConfig spin = HandlerConfig.builder().maxQueueSize(16).overflowPolicy(OverflowPolicy.BLOCK)
        .offerTimeout(Duration.ofSeconds(20)).waitStrategy(WaitStrategy.SPIN).build();
    try (var handler = TestHandlers.of(spin, (Integer item) -> item + 1)) {
      Thread consumer = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          int expected = i + 1;
          assertThat(handler.getResult(TestHandlers.WAIT)).contains(expected);
        }
      });
      consumer.start();
      for (int i = 0; i < 20_000; i++) {
        assertThat(handler.feed(i, Map.of())).isTrue();
        if (i == 10_000) {
          handler.reconfigure(HandlerConfig.builder().set("max_queue_size", 16).set("overflow_policy", "block")
              .set("offer_timeout", 20).set("wait_strategy", "park").build());
        }
      }
      consumer.join(TestHandlers.WAIT.toMillis());
      assertThat(consumer.isAlive()).isFalse();
      TestHandlers.until("idle", () -> handler.stats().inFlight() == 0);
      assertThat(handler.stats().isBalanced()).isTrue();
      assertThat(handler.stats().resultsTaken()).isEqualTo(20_000);
      assertThat(handler.config().waitStrategy()).isEqualTo(WaitStrategy.PARK);
    }
  }
}
