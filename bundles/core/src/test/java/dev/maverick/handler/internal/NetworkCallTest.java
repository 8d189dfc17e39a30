package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.NetworkCallException;
import dev.maverick.handler.OverflowPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class NetworkCallTest {
  private final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
  private final Diagnostics diagnostics = new Diagnostics(log, "net", false);
  private final Ledger ledger = new Ledger(diagnostics);
  private final List<String> hooks = new CopyOnWriteArrayList<>();
  private final AsyncCalls async = new AsyncCalls(new ThreadRegistry(() -> "net").factory("async", (t, e) -> { }),
      new Object());
  private final NetworkCall network = new NetworkCall(ledger, diagnostics, async, new Subclass() {
    @Override
    public Object fire(Hook hook, Object a, Object b, Object c) {
      hooks.add(hook.method() + (b instanceof Throwable error ? ":" + error.getClass().getSimpleName() : ""));
      return null;
    }

    @Override
    public InvalidItemException check(Object item, Map<String, ?> extra) {
      return null;
    }

    @Override
    public Object run(Object item, Map<String, ?> extra, Consumer<? super Throwable> onFailure, Tally tally,
        boolean direct) {
      return null;
    }

    @Override
    public void startUp() {}
  });

  private HandlerStats stats() {
    var builder = HandlerStats.builder();
    Lane<Object> none = new Lane<>(Lane.Kind.INPUT, 0, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics);
    ledger.snapshot(builder, none, none, none, new Settlement((r, e) -> { }));
    return builder.build();
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
