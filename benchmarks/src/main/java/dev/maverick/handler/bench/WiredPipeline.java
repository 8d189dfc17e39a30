package dev.maverick.handler.bench;

import dev.maverick.handler.wire.WireLedger;
import dev.maverick.handler.wire.internal.BenchWires;
import java.util.Map;

/**
 * The wires benchmark's subject: three echo handlers joined by two wires ({@code s1 → s2},
 * {@code s2 → s3}), each the one reader of its source's results, taking them in batches
 * ({@code drainTo}) and offering them to its target in order, {@code policy=block}, buffers of the
 * handlers' capacity: the wire bundle's own engine.
 */
public final class WiredPipeline implements Pipeline {
  private final ThreeStages stages;
  private final BenchWires.Running firstWire;
  private final BenchWires.Running secondWire;

  public WiredPipeline(int capacity) {
    stages = new ThreeStages(capacity);
    String size = String.valueOf(capacity);
    firstWire = BenchWires.start(Map.of("name", "w1", "from", "s1", "to", "s2", "buffer_size", size), stages.byName());
    secondWire = BenchWires.start(Map.of("name", "w2", "from", "s2", "to", "s3", "buffer_size", size), stages.byName());
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
    for (BenchWires.Running wire : new BenchWires.Running[] {firstWire, secondWire}) {
      WireLedger ledger = wire.ledger();
      Pipeline.check(ledger.taken() == fed && ledger.delivered() == fed, "the wire did not pass every result: " + ledger);
      Pipeline.check(ledger.droppedCount() == 0 && ledger.isBalanced(), "the wire's books: " + ledger);
    }
  }

  @Override
  public void close() {
    firstWire.close();
    secondWire.close();
    stages.close();
    Pipeline.check(firstWire.threadsEnded() && secondWire.threadsEnded(), "a wire thread outlived its wire");
  }
}
