package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.NetworkCallException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NetworkCallTest {
  private final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
  private final Diagnostics diagnostics = new Diagnostics(log, "net", false);
  private final Ledger ledger = new Ledger(diagnostics);
  private final List<String> hooks = new CopyOnWriteArrayList<>();
  private final AsyncCalls async = new AsyncCalls(new ThreadRegistry(() -> "net").factory("async", (t, e) -> { }),
      new Object());
  private final NetworkCall network = new NetworkCall(ledger, diagnostics, async, new Parts.NoSubclass() {
    @Override
    public Object fire(Hook hook, Object a, Object b, Object c) {
      hooks.add(hook.method() + (b instanceof Throwable error ? ":" + error.getClass().getSimpleName() : ""));
      return null;
    }
  });

  private HandlerStats stats() {
    return Parts.snapshot(ledger, diagnostics, null, null, null);
  }

  @Test
  void aCallRunsBetweenItsHooksAndAFailureIsCountedOnceAndRethrown() {
    assertThat(network.perform("p", () -> "response", null)).isEqualTo("response");
    assertThatThrownBy(() -> network.perform("p", () -> {
      throw new IllegalStateException("refused");
    }, null)).isInstanceOf(IllegalStateException.class).hasMessage("refused");
    assertThatThrownBy(() -> network.perform("p", () -> {
      throw new IOException("unreachable");
    }, null)).isInstanceOf(NetworkCallException.class)
        .hasMessage("handler 'net': network call failed: java.io.IOException: unreachable").hasCauseInstanceOf(IOException.class);
    assertThat(hooks).containsExactly("hookBeforeNetworkCall", "hookAfterNetworkCall",
        "hookBeforeNetworkCall", "hookNetworkError:IllegalStateException",
        "hookBeforeNetworkCall", "hookNetworkError:IOException");
    assertThat(stats().networkErrorCount()).isEqualTo(2);
    assertThat(stats().lastNetworkCallAt()).isPresent();
    assertThat(log.lines).filteredOn(line -> line.startsWith("WARN"))
        .containsExactly("WARN [net] network call failed: java.lang.IllegalStateException: refused");
  }

  @Test
  void aCallOverItsTimeoutIsGivenUpAsANetworkCallException() {
    assertThatThrownBy(() -> network.perform("p", () -> {
      Thread.sleep(TimeUnit.MINUTES.toMillis(5));
      return null;
    }, Duration.ofMillis(20))).isInstanceOf(NetworkCallException.class)
        .hasMessage("handler 'net': network call timed out after network_timeout=0.02s");
    assertThat(stats().networkErrorCount()).isEqualTo(1);
    assertThat(hooks).containsExactly("hookBeforeNetworkCall", "hookNetworkError:NetworkCallException");
    async.retire(TimeUnit.SECONDS.toNanos(1));
  }
}
