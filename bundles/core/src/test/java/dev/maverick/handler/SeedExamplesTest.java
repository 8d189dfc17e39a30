package dev.maverick.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The four examples of the seed's README, in Java. */
class SeedExamplesTest {

  /** Example 1: direct synchronous generation. */
  @Test
  void directGenerate() {
    class EchoHandler extends ArchitectureHandler<String, Map<String, Object>> {
      EchoHandler(HandlerConfig config) {
        super(config);
      }

      @Override
      protected Map<String, Object> generateResults(String item, Map<String, ?> extra) {
        return Map.of("echo", item, "meta", extra);
      }
    }
    EchoHandler handler = new EchoHandler(HandlerConfig.builder().runAsThread(false).build());
    Map<String, Object> out = handler.generate("hello", Map.of("tag", 1));
    assertThat(out).isEqualTo(Map.of("echo", "hello", "meta", Map.of("tag", 1)));
    handler.close();
    assertThat(handler.stats().processedCount()).isEqualTo(1);
    assertThat(handler.stats().isBalanced()).isTrue();
  }

  /** Example 2: slow callbacks on the callback thread do not stall generate(). */
  @Test
  void slowCallbacksDoNotStallGenerate() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch fiveCallbacks = new CountDownLatch(5);
    class NonBlockingHandler extends ArchitectureHandler<String, Map<String, Object>> {
      NonBlockingHandler(HandlerConfig config) {
        super(config);
      }

      @Override
      protected Map<String, Object> generateResults(String item, Map<String, ?> extra) {
        Map<String, Object> result = Map.of("value", item.toUpperCase(), "extra", extra);
        emitAsyncCallback(result, extra);
        return result;
      }
    }
    NonBlockingHandler handler = new NonBlockingHandler(HandlerConfig.builder()
        .runAsThread(false)
        .disableThread(false)
        .generateResultsCallback((item, extra) -> {
          awaitQuietly(release); // a callback that cannot finish until the test says so
          fiveCallbacks.countDown();
          return null;
        })
        .callbackQueueSize(8)
        .build());
    for (int i = 0; i < 5; i++) {
      assertThat(handler.generate("msg-" + i).get("value")).isEqualTo("MSG-" + i);
    }
    // generate() returned five times while no callback could complete: it never waited for one
    assertThat(handler.stats().callbacksCompleted()).isZero();
    assertThat(handler.stats().callbackThreadAlive()).isTrue();
    assertThat(handler.liveThreads()).extracting(Thread::getName).containsExactly(handler.name() + "-callback-1");
    release.countDown();
    assertThat(fiveCallbacks.await(5, TimeUnit.SECONDS)).isTrue();
    handler.close();
    HandlerStats stats = handler.stats();
    assertThat(stats.callbacksCompleted()).isEqualTo(5);
    assertThat(stats.isBalanced()).isTrue();
  }

  /** Example 3: async generation. */
  @Test
  void asyncGenerate() throws Exception {
    ArchitectureHandler<String, Map<String, Object>> handler =
        new ArchitectureHandler<>(HandlerConfig.builder().runAsThread(false).build()) {
          @Override
          protected Map<String, Object> generateResults(String item, Map<String, ?> extra) {
            return Map.of("echo", item, "thread", Thread.currentThread().getName());
          }
        };
    Map<String, Object> out = handler.generateAsync("async-hello", Map.of()).get(5, TimeUnit.SECONDS);
    assertThat(out.get("echo")).isEqualTo("async-hello");
    assertThat((String) out.get("thread")).startsWith(handler.name() + "-async-");
    handler.closeAsync().get(5, TimeUnit.SECONDS);
    assertThat(handler.state()).isEqualTo(HandlerState.CLOSED);
  }

  /** The threaded pipeline: the doubler. */
  @Test
  void threadedDoubler() {
    ArchitectureHandler<Integer, Integer> doubler =
        new ArchitectureHandler<>(HandlerConfig.builder().runAsThread(true).disableThread(false).build()) {
          @Override
          protected Integer generateResults(Integer item, Map<String, ?> extra) {
            return item * 2;
          }
        };
    assertThat(doubler.feed(10)).isTrue();
    assertThat(doubler.getResult(TestHandlers.WAIT)).contains(20);
    doubler.close();
    assertThat(doubler.liveThreads()).isEmpty();
    assertThat(doubler.stats().isBalanced()).isTrue();
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
