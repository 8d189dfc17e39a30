package dev.maverick.handler.bench;

import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Pipeline} with a producer thread feeding it as fast as it accepts items; the
 * caller's thread is the consumer ({@link #take()}). {@link #stopAndVerify()} stops the producer,
 * drains what is left and checks that every fed item came out once.
 */
public final class Feeder {

  /** How long a consumer waits for one result before calling the pipeline stalled. */
  static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Pipeline pipeline;
  private final Thread producer;
  private volatile boolean stop;
  private long fed; // written by the producer, read after join
  private long taken; // consumer's thread only
  private volatile Throwable producerFailure;

  private Feeder(Pipeline pipeline) {
    this.pipeline = pipeline;
    this.producer = new Thread(this::produce, "bench-producer");
    this.producer.setDaemon(true);
  }

  /** Starts a producer thread feeding {@code pipeline} without pause. */
  public static Feeder start(Pipeline pipeline) {
    Feeder feeder = new Feeder(pipeline);
    feeder.producer.start();
    return feeder;
  }

  private void produce() {
    long sequence = 0;
    try {
      while (!stop) {
        pipeline.feed(Items.get(sequence));
        sequence++;
      }
    } catch (Throwable error) {
      producerFailure = error;
    } finally {
      fed = sequence;
    }
  }

  /** Takes one result (the consumer's operation); fails if the pipeline stalls. */
  public Object take() throws InterruptedException {
    Object result = pipeline.take(STALL_NANOS);
    if (result == null) {
      throw new IllegalStateException("no result for 10 s: the pipeline stalled"
          + (producerFailure == null ? "" : "; the producer failed: " + producerFailure));
    }
    taken++;
    return result;
  }

  /** Stops the producer, takes every result still on its way, verifies the books, closes. */
  public void stopAndVerify() throws InterruptedException {
    stop = true;
    try {
      // The producer may be waiting for room: keep taking until it has ended.
      while (producer.isAlive()) {
        if (pipeline.take(TimeUnit.MILLISECONDS.toNanos(1)) != null) {
          taken++;
        }
      }
      if (producerFailure != null) {
        throw new IllegalStateException("the producer failed", producerFailure);
      }
      long deadline = System.nanoTime() + STALL_NANOS;
      while (taken < fed && System.nanoTime() - deadline < 0) {
        if (pipeline.take(TimeUnit.MILLISECONDS.toNanos(10)) != null) {
          taken++;
        }
      }
      pipeline.verify(fed, taken);
    } finally {
      pipeline.close();
    }
  }

  /** Items fed so far; exact once {@link #stopAndVerify()} returned. */
  public long fed() {
    return fed;
  }
}
