package dev.maverick.handler.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The wires benchmark's first baseline: the same three handlers joined by what a user writes
 * without wires, one thread per hop running {@code getResult} on one handler and {@code feed} on the
 * next, in a loop ({@code overflow_policy=block}: the feed waits for room).
 */
public final class GlueLoopPipeline implements Pipeline {
  private static final Duration POLL = Duration.ofMillis(100);
  private final ThreeStages stages;
  private final List<Thread> glue = new ArrayList<>();
  private volatile boolean running = true;

  public GlueLoopPipeline(int capacity) {
    stages = new ThreeStages(capacity);
    glue.add(hop("glue-s1-s2", stages.first, stages.second));
    glue.add(hop("glue-s2-s3", stages.second, stages.third));
  }

  private Thread hop(String name, Echo.Handler from, Echo.Handler to) {
    Thread thread = new Thread(() -> {
      while (running) {
        Optional<Object> result = from.getResult(POLL).map(Object.class::cast);
        if (result.isPresent() && !to.feed(result.get())) {
          throw new IllegalStateException(to.name() + " refused an item under overflow_policy=block");
        }
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void feed(Object item) {
    stages.feed(item);
  }

  @Override
  public Object take(long timeoutNanos) {
    return stages.take(timeoutNanos);
  }

  @Override
  public void verify(long fed, long taken) {
    stages.verify(fed, taken);
  }

  @Override
  public void close() {
    running = false;
    for (Thread thread : glue) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stages.close();
  }
}
