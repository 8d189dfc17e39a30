package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AsyncCallsTest {
  private final ThreadRegistry threads = new ThreadRegistry(() -> "async");
  private final AsyncCalls async = new AsyncCalls(threads.factory("async", (t, e) -> { }), new Object());

  @Test
  void callsRunOnTheHandlersOwnThreadsNeverTheCallers() throws Exception {
    String caller = Thread.currentThread().getName();
    String ran = async.run(() -> Thread.currentThread().getName()).get(20, TimeUnit.SECONDS);
    assertThat(ran).startsWith("async-async-").isNotEqualTo(caller);
    async.retire(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void aTimedCallGivesUpInterruptsTheCallAndRethrowsWhatACallThrows() throws Exception {
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch ended = new CountDownLatch(1);
    assertThatThrownBy(() -> async.callWithin(() -> {
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
      } catch (InterruptedException e) {
        interrupted.set(true);
      } finally {
        ended.countDown();
      }
      return null;
    }, TimeUnit.MILLISECONDS.toNanos(20))).isInstanceOf(TimeoutException.class);
    assertThat(ended.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(interrupted).isTrue();
    assertThatThrownBy(() -> async.callWithin(() -> {
      throw new IOException("down");
    }, TimeUnit.SECONDS.toNanos(20))).isInstanceOf(IOException.class).hasMessage("down");
    assertThat(async.callWithin(() -> "ok", TimeUnit.SECONDS.toNanos(20))).isEqualTo("ok");
    async.retire(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void retiringAnswersTheCallsStillWaitingForAThreadAndAfterItCallsRunInline() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch allBusy = new CountDownLatch(8);
    List<CompletableFuture<String>> busy = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      busy.add(async.run(() -> {
        allBusy.countDown();
        try {
          never.await();
          return "released";
        } catch (InterruptedException e) {
          return "interrupted";
        }
      }));
    }
    assertThat(allBusy.await(20, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> waiting = async.run(() -> "answered at retirement");
    assertThat(async.retire(TimeUnit.MILLISECONDS.toNanos(20))).isTrue();
    assertThat(waiting.get(20, TimeUnit.SECONDS)).isEqualTo("answered at retirement");
    for (CompletableFuture<String> call : busy) {
      assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo("interrupted");
    }
    String caller = Thread.currentThread().getName();
    assertThat(async.run(() -> Thread.currentThread().getName()).get()).isEqualTo(caller);
    assertThat(async.callWithin(() -> Thread.currentThread().getName(), 1)).isEqualTo(caller);
    assertThat(async.retire(0)).as("nothing left to retire").isFalse();
  }
}
