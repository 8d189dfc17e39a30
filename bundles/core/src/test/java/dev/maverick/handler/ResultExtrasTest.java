package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.WAIT;
import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A result keeps the extras of the item it was made from (the item's own frozen map, not a copy),
 * or those given to publishResult, through the result queue and a hand-over; getResult still
 * returns the result alone.
 */
class ResultExtrasTest {

  /** Sees the extras each item is processed with, and those each result is settled with. */
  static final class Extras extends ArchitectureHandler<String, String> {
    final List<Map<String, ?>> processedWith = new CopyOnWriteArrayList<>();

    Extras(HandlerConfig config) {
      super(config);
    }

    @Override
    protected String generateResults(String item, Map<String, ?> extra) {
      processedWith.add(extra);
      return item + "!";
    }

    boolean publish(String result, Map<String, ?> extra) {
      return publishResult(result, extra);
    }
  }

  @Test
  void aWorkersResultCarriesTheItemsOwnFrozenExtras() {
    try (Extras handler = new Extras(HandlerConfig.builder().name("extras-out").build());
        ResultReader<String> reader = handler.claimResults("test")) {
      Map<String, Object> mutable = new HashMap<>(Map.of("lang", "en"));
      handler.feed("a", mutable);
      handler.feed("b");
      TakenResult<String> a = reader.take(WAIT).orElseThrow();
      TakenResult<String> b = reader.take(WAIT).orElseThrow();
      assertThat(a.result()).isEqualTo("a!");
      assertThat(a.extra()).isEqualTo(Map.of("lang", "en")).isSameAs(handler.processedWith.get(0));
      assertThat(b.extra()).isEmpty();
      a.settle();
      b.settle();
    }
  }

  @Test
  void publishResultKeepsItsExtrasAndGetResultReturnsTheResultAlone() {
    HandlerConfig config = HandlerConfig.builder().name("published").runAsThread(false).build();
    try (Extras handler = new Extras(config)) {
      handler.publish("p", Map.of("topic", "t", "offset", 3L));
      handler.publish("q", Map.of("topic", "t", "offset", 4L));
      assertThat(handler.getResult(Duration.ZERO)).contains("p");
      try (ResultReader<String> reader = handler.claimResults("test")) {
        TakenResult<String> q = reader.take(Duration.ZERO).orElseThrow();
        assertThat(q.extra()).isEqualTo(Map.of("topic", "t", "offset", 4L));
        q.settle();
      }
      assertBalanced(handler);
    }
  }

  @Test
  void aResultsExtrasPassedOnToAnotherHandlerAreNotCopiedAgain() {
    try (Extras first = new Extras(HandlerConfig.builder().name("first").build());
        Extras second = new Extras(HandlerConfig.builder().name("second").build());
        ResultReader<String> reader = first.claimResults("test")) {
      first.feed("x", new HashMap<>(Map.of("k", 1)));
      TakenResult<String> x = reader.take(WAIT).orElseThrow();
      assertThat(second.offer(x.result(), x.extra(), WAIT, null)).isEqualTo(Admission.ACCEPTED);
      assertThat(second.getResult(WAIT)).contains("x!!");
      assertThat(second.processedWith.get(0)).isSameAs(x.extra());
      x.settle();
    }
  }

  @Test
  void handedOverResultsKeepTheirExtras() {
    String key = "pid-" + UUID.randomUUID();
    HandlerConfig config = HandlerConfig.builder().name("old").runAsThread(false).build();
    Extras old = new Extras(config);
    old.publish("kept", Map.of("offset", 42L));
    old.feed("queued", Map.of("n", 1));
    old.closeAndHandOver(key);
    try (Extras successor = new Extras(HandlerConfig.builder().name("new").build())) {
      assertThat(successor.adoptHandover(key)).isEqualTo(1);
      try (ResultReader<String> reader = successor.claimResults("test")) {
        TakenResult<String> kept = reader.take(WAIT).orElseThrow();
        assertThat(kept.result()).isEqualTo("kept");
        assertThat(kept.extra()).isEqualTo(Map.of("offset", 42L));
        TakenResult<String> processed = reader.take(WAIT).orElseThrow();
        assertThat(processed.result()).isEqualTo("queued!");
        assertThat(processed.extra()).isEqualTo(Map.of("n", 1));
        kept.settle();
        processed.settle();
      }
      assertBalanced(successor);
    }
    assertBalanced(old);
  }
}
