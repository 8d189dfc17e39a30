package dev.maverick.handler;

import static dev.maverick.handler.TestHandlers.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.TestHandlers.Recorder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A network call goes prepareRequestPayload, performRequest (hooks, timeout, counters),
 * doPerformRequest; a failure is counted once and rethrown.
 */
class NetworkPathTest {

  @Test
  void theDefaultPayloadIsTheSeedsAndTheDefaultRequestEchoesIt() {
    try (Recorder handler = new Recorder(HandlerConfig.builder().clientIdPrefix("face").build())) {
      @SuppressWarnings("unchecked")
      Map<String, Object> payload = (Map<String, Object>) handler.prepareRequestPayload("img", Map.of("k", 1));
      assertThat(payload).containsOnlyKeys("client_id", "item", "extra", "timestamp");
      assertThat(payload.get("client_id")).isEqualTo(handler.clientId());
      assertThat(handler.clientId()).startsWith("face-");
      assertThat(payload.get("item")).isEqualTo("img");
      assertThat(payload.get("extra")).isEqualTo(Map.of("k", 1));
      assertThat((Double) payload.get("timestamp")).isCloseTo(System.currentTimeMillis() / 1000.0,
          org.assertj.core.data.Offset.offset(60.0));
      assertThat(handler.call(payload)).isSameAs(payload);
      assertThat(handler.events()).containsExactly("beforeNetwork", "afterNetwork");
      assertThat(handler.stats().lastNetworkCallAt()).isPresent();
    }
  }

  @Test
  void aFailedCallIsCountedOnceHookedAndRethrownAsItWas() {
    IllegalStateException failure = new IllegalStateException("connection refused");
    try (Recorder handler = new Recorder(HandlerConfig.defaults()) {
      @Override
      protected Object doPerformRequest(Object payload) {
        throw failure;
      }
    }) {
      assertThatThrownBy(() -> handler.call("p")).isSameAs(failure);
      assertThat(handler.stats().networkErrorCount()).isEqualTo(1);
      assertThat(handler.stats().errorCount()).isZero();
      assertThat(handler.stats().lastNetworkCallAt()).isEmpty();
      assertThat(handler.events()).containsExactly("beforeNetwork", "networkError:connection refused");
    }
  }

  @Test
  void aCheckedFailureIsWrappedInNetworkCallException() {
    try (Recorder handler = new Recorder(HandlerConfig.defaults()) {
      @Override
      protected Object doPerformRequest(Object payload) throws IOException {
        throw new IOException("reset by peer");
      }
    }) {
      assertThatThrownBy(() -> handler.call("p")).isInstanceOf(NetworkCallException.class)
          .hasMessageContaining("reset by peer").hasCauseInstanceOf(IOException.class);
    }
  }

  @Test
  void onTheThreadedPathANetworkFailureIsOneNetworkErrorAndOneItemError() {
    try (ArchitectureHandler<String, Object> handler = new ArchitectureHandler<>(HandlerConfig.defaults()) {
      @Override
      protected Object generateResults(String item, Map<String, ?> extra) {
        return performRequest(prepareRequestPayload(item, extra));
      }

      @Override
      protected Object doPerformRequest(Object payload) throws IOException {
        throw new IOException("down");
      }
    }) {
      handler.feed("x");
      TestHandlers.until("item error", () -> handler.stats().itemErrorCount() == 1);
      assertThat(handler.stats().networkErrorCount()).isEqualTo(1);
      assertBalanced(handler);
    }
  }

  @Test
  void networkTimeoutIsEnforcedByTheBaseUnlessTheSubclassDoesIt() {
    CountDownLatch never = new CountDownLatch(1);
    HandlerConfig config = HandlerConfig.builder().networkTimeout(Duration.ofMillis(100)).build();
    try (Recorder slow = new Recorder(config) {
      @Override
      protected Object doPerformRequest(Object payload) throws InterruptedException {
        never.await();
        return payload;
      }
    }) {
      assertThatThrownBy(() -> slow.call("p")).isInstanceOf(NetworkCallException.class)
          .hasMessageContaining("timed out after network_timeout=0.1s");
      assertThat(slow.stats().networkErrorCount()).isEqualTo(1);
    }
    try (Recorder selfTimed = new Recorder(config) {
      @Override
      protected boolean enforcesNetworkTimeout() {
        return true;
      }

      @Override
      protected Object doPerformRequest(Object payload) {
        return Thread.currentThread().getName();
      }
    }) {
      assertThat(selfTimed.call("p")).isEqualTo(Thread.currentThread().getName());
    }
  }
}
