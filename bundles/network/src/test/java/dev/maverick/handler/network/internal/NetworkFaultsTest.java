package dev.maverick.handler.network.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.NetworkCallException;
import dev.maverick.handler.ds.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reliability suite 4: a loopback server that refuses, times out, answers 5xx and 4xx, resets
 * connections, answers slowly and sends malformed JSON, at random. Every item ends counted, and
 * once the handler is closed no thread and no socket of it is left.
 */
class NetworkFaultsTest {
  private static final int ITEMS = 300;
  private static final int DIRECT_CALLS = 60;

  @Test
  void everyItemEndsCountedAndNothingLeaks() throws Exception {
    long seed = System.nanoTime();
    warmUp(); // JVM-wide threads the first HTTP call starts for good (not the handler's) exist before the baseline
    Baseline before = Baseline.now();
    int directFailures = 0;
    HandlerStats stats;
    Map<ChaosServer.Fault, Long> faults;
    try (ChaosServer server = new ChaosServer(300, seed); Handlers handlers = new Handlers()) {
      NetworkHandler handler = handlers.create(server.port(), Map.of("network_timeout", "0.3", "retries", "2",
          "retry_backoff", "0.01", "worker_threads", "4", "max_queue_size", "0", "result_queue_size", "0"));
      for (int i = 0; i < ITEMS; i++) {
        assertThat(handler.feed(Map.of("frame", i))).isTrue();
      }
      for (int i = 0; i < DIRECT_CALLS; i++) {
        try {
          handler.generate(Map.of("direct", i));
        } catch (NetworkCallException expected) {
          directFailures++;
          assertThat(expected.getMessage()).contains("http://127.0.0.1:" + server.port());
        }
      }
      Eventually.until("every fed item processed or failed", () -> {
        HandlerStats now = handler.stats();
        return now.processedCount() + now.itemErrorCount() == ITEMS + DIRECT_CALLS;
      });
      stats = Eventually.balanced(handler);
      faults = server.counts();
      handler.close();
      assertThat(handler.liveThreads()).isEmpty();
    }
    System.out.printf("network faults (seed %d): %s; items=%d direct=%d processed=%d errors=%d network_errors=%d"
        + " direct failures=%d%n", seed, faults, ITEMS, DIRECT_CALLS, stats.processedCount(), stats.itemErrorCount(),
        stats.networkErrorCount(), directFailures);
    assertThat(stats.processedCount() + stats.itemErrorCount()).isEqualTo(ITEMS + DIRECT_CALLS);
    assertThat(stats.networkErrorCount()).as("a failed call counts once, however many attempts")
        .isEqualTo(stats.itemErrorCount());
    assertThat(stats.droppedCount()).isZero();
    assertThat(stats.isBalanced()).isTrue();
    assertThat(faults.values().stream().filter(count -> count > 0).count()).as("every kind of fault happened: %s", faults)
        .isEqualTo(ChaosServer.Fault.values().length);
    // JDK 17's HttpClient has no close(): its pooled connections and selector thread end when the
    // client is collected, which the handler allows by letting go of it when it closes
    Eventually.until("threads and sockets back to where they were: " + before, () -> {
      System.gc();
      Baseline now = Baseline.now();
      if (!now.notAbove(before)) {
        System.out.println("still open: " + now + " threads " + Baseline.threadNames());
      }
      return now.notAbove(before);
    });
  }

  private static void warmUp() throws Exception {
    try (ChaosServer server = new ChaosServer(300, 1); Handlers handlers = new Handlers()) {
      NetworkHandler handler = handlers.create(server.port(), Map.of("network_timeout", "0.3", "retries", "5"));
      try {
        handler.generate("warm-up");
      } catch (NetworkCallException unlucky) {
        // a fault is as good as a success here
      }
    }
  }

  /** Live threads and open sockets of this process. */
  private record Baseline(long threads, long sockets) {
    static Baseline now() {
      long threads = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
      long sockets;
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        sockets = fds.filter(fd -> {
          try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
          } catch (IOException gone) {
            return false;
          }
        }).count();
      } catch (IOException e) {
        throw new IllegalStateException("cannot list /proc/self/fd", e);
      }
      return new Baseline(threads, sockets);
    }

    static java.util.List<String> threadNames() {
      return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).sorted().toList();
    }

    boolean notAbove(Baseline before) {
      return threads <= before.threads && sockets <= before.sockets;
    }
  }
}
