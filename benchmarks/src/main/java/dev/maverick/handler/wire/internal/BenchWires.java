package dev.maverick.handler.wire.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.wire.WireConfig;
import dev.maverick.handler.wire.WireLedger;
import java.util.Map;

/**
 * Benchmarks' door to the wire's engine (package-private in the bundle): a wire running between
 * handlers the benchmark made, outside OSGi, found by name in a fixed map instead of the service
 * registry. The same engine as in the bundle, reader, lanes and ledger alike.
 */
public final class BenchWires {

  /** A running wire. */
  public static final class Running implements AutoCloseable {
    private final WireEngine engine;

    private Running(WireEngine engine) {
      this.engine = engine;
    }

    /** The wire's books. */
    public WireLedger ledger() {
      return engine.ledger();
    }

    /** Closes the wire for good (delivering what it holds first). */
    @Override
    public void close() {
      engine.close(false);
    }

    /** Whether every thread of the wire has ended. */
    public boolean threadsEnded() {
      return engine.threadsEnded();
    }
  }

  private BenchWires() {}

  /**
   * Starts a wire as a configuration of these properties would, between the handlers of
   * {@code handlers} (by name).
   */
  public static Running start(Map<String, ?> properties, Map<String, ? extends Handler<?, ?>> handlers) {
    WireConfig config = WireConfig.fromMap(properties);
    WireEngine engine = new WireEngine(config, "bench-wire~" + config.name() + "~" + System.nanoTime(),
        new HandlerDirectory() {
          @Override
          @SuppressWarnings("unchecked")
          public void follow(HandlerSlot slot) {
            Handler<?, ?> handler = handlers.get(slot.name());
            if (handler != null) {
              slot.arrived((Handler<Object, Object>) handler);
            }
          }

          @Override
          public void close() {
            // nothing to let go of
          }
        });
    engine.start();
    return new Running(engine);
  }
}
