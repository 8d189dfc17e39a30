package dev.maverick.handler.wire.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.ds.testing.Eventually;
import dev.maverick.handler.wire.WireConfig;
import dev.maverick.handler.wire.WireLedger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/** What the wire's engine tests share: a hand-filled registry, real handlers, and wires closed after each test. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class WireFixture {
  final ManualHandlers registry = new ManualHandlers();
  private final List<WireEngine> engines = new ArrayList<>();
  private final List<Handler<?, ?>> handlers = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    handlers.forEach(handler -> {
      if (handler instanceof TestHandler held) {
        held.release();
      }
    });
    engines.forEach(engine -> engine.close(false));
    handlers.forEach(Handler::close);
  }

  /** Registers handlers and closes them after the test. */
  <H extends Handler<?, ?>> H register(H handler) {
    handlers.add(handler);
    registry.register(handler);
    return handler;
  }

  /** Properties of a wire: name, from, to, then pairs of keys and values. */
  static Map<String, Object> wire(String name, String from, String to, Object... more) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("name", name);
    properties.put("from", from);
    properties.put("to", to);
    for (int i = 0; i < more.length; i += 2) {
      properties.put((String) more[i], more[i + 1]);
    }
    return properties;
  }

  /** Starts a wire (its hand-over key is its name's PID) and closes it after the test. */
  WireEngine start(Map<String, Object> properties) {
    WireConfig config = WireConfig.fromMap(properties);
    WireEngine engine = new WireEngine(config, "dev.maverick.handler.wire~" + config.name(), registry.directory());
    engines.add(engine);
    engine.start();
    return engine;
  }

  /**
   * Waits until the wire took {@code taken} results, holds nothing and its books balance, and
   * returns that snapshot.
   */
  static WireLedger settled(WireEngine engine, long taken) {
    WireLedger[] last = new WireLedger[1];
    Eventually.until("a quiescent, balanced wire that took " + taken, () -> {
      last[0] = engine.ledger();
      return last[0].taken() == taken && last[0].isBalanced() && last[0].buffered() == 0 && last[0].inHand() == 0
          && last[0].deadLetter().map(books -> books.buffered() + books.inHand() == 0).orElse(true);
    });
    return last[0];
  }

  /** Feeds items "prefix-0" ... into a handler, each accepted. */
  static List<Object> feed(Handler<Object, Object> handler, String prefix, int count) {
    List<Object> fed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String item = prefix + "-" + i;
      if (!handler.feed(item)) {
        throw new AssertionError("not accepted: " + item + " " + handler.stats());
      }
      fed.add(item);
    }
    return fed;
  }
}
