package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadRegistryTest {

  @Test
  void threadsAreNamedAfterTheHandlerTrackedWhileTheyRunAndRenamedWithIt() throws Exception {
    AtomicReference<String> name = new AtomicReference<>("first");
    ThreadRegistry registry = new ThreadRegistry(name::get);
    CountDownLatch release = new CountDownLatch(1);
    Thread worker = registry.factory("worker", (thread, error) -> { }).newThread(() -> awaitQuietly(release));
    worker.start();
    assertThat(worker.getName()).isEqualTo("first-worker-1");
    assertThat(worker.isDaemon()).isTrue();
    assertThat(registry.live()).containsExactly(worker);
    name.set("second");
    registry.renameFrom("first");
    assertThat(worker.getName()).isEqualTo("second-worker-1");
    assertThat(registry.leftovers()).containsExactly(worker);
    release.countDown();
    assertThat(ThreadRegistry.awaitThreads(List.of(worker), System.nanoTime() + TimeUnit.SECONDS.toNanos(20))).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!registry.live().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(registry.leftovers()).as("a thread leaves the registry when its task ends").isEmpty();
  }

  @Test
  void leftoversLeaveOutTheCallerAndTheThreadsRunningTheClose() throws Exception {
    ThreadRegistry registry = new ThreadRegistry(() -> "h");
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<List<Thread>> seenByCloser = new AtomicReference<>();
    Thread stuck = registry.factory("worker", (thread, error) -> { }).newThread(() -> awaitQuietly(release));
    stuck.start();
    Thread closer = registry.factory("close", (thread, error) -> { }).newThread(() -> seenByCloser.set(registry.leftovers()));
    closer.start();
    closer.join(TimeUnit.SECONDS.toMillis(20));
    assertThat(seenByCloser.get()).containsExactly(stuck);
    assertThat(registry.isOwnThread()).isFalse();
    assertThat(ThreadRegistry.awaitThreads(List.of(stuck), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10)))
        .as("still running at the deadline").isFalse();
    release.countDown();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
