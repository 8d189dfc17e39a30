package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code last_*_at} timestamps come from a coarse clock (benchmarks/PROFILE.md, P1) and are
 * written only when their millisecond changes: they are never before the handler's creation nor
 * after the moment the snapshot is taken, and they keep moving while items flow.
 */
class CoarseTimestampsTest {

  @Test
  void timestampsLieBetweenCreationAndTheSnapshot() {
    try (TestHandlers.FunctionHandler<String, String> handler =
        TestHandlers.of(HandlerConfig.defaults(), item -> item)) {
      handler.feed("x");
      assertThat(handler.getResult(WAIT)).contains("x");
      handler.generate("y");
      handler.publishForTest("z");
      HandlerStats stats = handler.stats();
      Instant taken = Instant.now();
      for (Optional<Instant> at : List.of(stats.lastFeedAt(), stats.lastGenerateAt(), stats.lastResultAt())) {
        assertThat(at).hasValueSatisfying(instant ->
            assertThat(instant).isAfterOrEqualTo(stats.createdAt()).isBeforeOrEqualTo(taken));
      }
    }
  }

  @Test
  void timestampsKeepMovingWhileItemsFlow() {
    try (TestHandlers.FunctionHandler<String, String> handler =
        TestHandlers.of(HandlerConfig.builder().runAsThread(false).build(), item -> item)) {
      handler.generate("first");
      Instant first = handler.stats().lastResultAt().orElseThrow();
      long deadline = System.nanoTime() + WAIT.toNanos();
      Instant latest = first;
      while (!latest.isAfter(first) && System.nanoTime() < deadline) {
        handler.generate("more"); // each call stamps again once the clock has moved on
        latest = handler.stats().lastResultAt().orElseThrow();
      }
      assertThat(latest).isAfter(first).isBeforeOrEqualTo(Instant.now());
      assertThat(handler.stats().lastGenerateAt()).hasValueSatisfying(at -> assertThat(at).isAfterOrEqualTo(first));
    }
  }
}
