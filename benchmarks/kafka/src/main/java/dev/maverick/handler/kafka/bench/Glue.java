package dev.maverick.handler.kafka.bench;

import dev.maverick.handler.Admission;
import dev.maverick.handler.Handler;
import dev.maverick.handler.ResultReader;
import dev.maverick.handler.TakenResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain Java glue between two handlers, standing in for a wire until wires exist: one thread that
 * claims the first handler's results and offers each, with its extras, to the second, waiting for
 * room (backpressure, no drop), and settles it once the second has accepted it. With no second
 * handler it only takes and settles (the end of a graph).
 */
final class Glue implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final int BATCH = 256;

  private final ResultReader<?> reader;
  private final Handler<Object, ?> to;
  private final Thread thread;
  private volatile boolean stopped;

  @SuppressWarnings("unchecked")
  Glue(Handler<?, ?> from, Handler<?, ?> to, String name) {
    this.reader = from.claimResults("glue " + name);
    this.to = (Handler<Object, ?>) to;
    this.thread = new Thread(this::run, "glue-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    List<TakenResult<?>> batch = new ArrayList<>(BATCH);
    while (!stopped) {
      batch.clear();
      if (reader.drainTo(batch, BATCH) == 0) {
        reader.take(POLL).ifPresent(batch::add);
      }
      for (TakenResult<?> taken : batch) {
        if (to != null) {
          Admission admission = to.offer(taken.result(), taken.extra(), null, null);
          if (!admission.isAccepted()) {
            throw new IllegalStateException("the glue's target refused a result: " + admission);
          }
        }
        taken.settle();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5000);
    reader.close();
  }
}
