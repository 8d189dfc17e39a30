package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerClosedException;
import dev.maverick.handler.HandlerState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandlerLifecycleTest {

  @Test
  void ofManyClosersExactlyOneOwnsTheCloseAndTheOthersSeeItClosing() throws Exception {
    HandlerLifecycle lifecycle = new HandlerLifecycle(true);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Boolean>> closers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      closers.add(CompletableFuture.supplyAsync(() -> {
        awaitQuietly(go);
        return lifecycle.beginClose();
      }));
    }
    go.countDown();
    int owners = 0;
    for (CompletableFuture<Boolean> closer : closers) {
      owners += closer.get(20, TimeUnit.SECONDS) ? 1 : 0;
    }
    assertThat(owners).isEqualTo(1);
    assertThat(lifecycle.state()).isEqualTo(HandlerState.CLOSING);
    assertThat(lifecycle.isClosing()).isTrue();
    assertThat(lifecycle.autoStart()).as("nothing starts by itself once closing").isFalse();
    assertThatThrownBy(() -> lifecycle.requireOpen("h", "start()")).isInstanceOf(HandlerClosedException.class)
        .hasMessageContaining("h").hasMessageContaining("start()");
    assertThat(lifecycle.terminated()).isNotDone();
    lifecycle.closed();
    assertThat(lifecycle.state()).isEqualTo(HandlerState.CLOSED);
    assertThat(lifecycle.terminated()).as("only once the close has run its last step").isNotDone();
    lifecycle.terminate();
    assertThat(lifecycle.terminated()).isDone();
    assertThat(lifecycle.beginClose()).isFalse();
  }

  @Test
  void startUpRunsOnceAndNeverAfterItWasForbidden() {
    List<String> runs = new CopyOnWriteArrayList<>();
    HandlerLifecycle lifecycle = new HandlerLifecycle(false);
    lifecycle.startUpOnce(() -> runs.add("first"));
    lifecycle.startUpOnce(() -> runs.add("second"));
    assertThat(runs).containsExactly("first");
    HandlerLifecycle forbidden = new HandlerLifecycle(false);
    forbidden.forbidStartUp();
    forbidden.startUpOnce(() -> runs.add("after shutDown"));
    assertThat(runs).containsExactly("first");
  }

  @Test
  void forbiddingWaitsForAStartUpUnderWay() throws Exception {
    HandlerLifecycle lifecycle = new HandlerLifecycle(false);
    CountDownLatch inStartUp = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> lifecycle.startUpOnce(() -> {
      inStartUp.countDown();
      awaitQuietly(release);
      events.add("startUp done");
    }));
    awaitQuietly(inStartUp);
    CompletableFuture<Void> forbidding = CompletableFuture.runAsync(() -> {
      lifecycle.forbidStartUp();
      events.add("forbidden");
    });
    release.countDown();
    forbidding.get(20, TimeUnit.SECONDS);
    starting.get(20, TimeUnit.SECONDS);
    assertThat(events).containsExactly("startUp done", "forbidden");
  }

  @Test
  void onlyARunningHandlerFailsWhenAWorkerDies() {
    HandlerLifecycle lifecycle = new HandlerLifecycle(false);
    lifecycle.failed();
    assertThat(lifecycle.state()).isEqualTo(HandlerState.IDLE);
    lifecycle.moveTo(HandlerState.RUNNING);
    lifecycle.failed();
    assertThat(lifecycle.state()).isEqualTo(HandlerState.FAILED);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(20, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
