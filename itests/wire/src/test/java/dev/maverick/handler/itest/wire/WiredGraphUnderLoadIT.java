package dev.maverick.handler.itest.wire;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.Osgi;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The graph {@code upper} → {@code lower} → {@code echo}, joined by the wires {@code up} and
 * {@code down}, under load from two producers while the middle handler's bundle (the fixture
 * bundle, which holds {@code upper} too) is updated ten times, the wire {@code down} is
 * reconfigured ten times and the wire bundle itself is updated twice. Every item the first handler
 * accepted comes out of the last one exactly once, and the books of the whole graph, every
 * instance of every handler and wire, balance.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WiredGraphUnderLoadIT {
  private static final String WIRE_PID = Wire.FACTORY_PID;
  private static final int ROUNDS = 10;

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  @Configuration
  public Option[] config() {
    return options(platform(), bundleOf("core"), bundleOf("echo"), bundleOf("fixture-handler"), bundleOf("wire"));
  }

  @Test
  public void everyAcceptedItemComesOutOnceAndTheGraphBalancesThroughUpdatesAndReconfigurations() throws Exception {
    List<org.osgi.service.cm.Configuration> configurations = new ArrayList<>();
    Instances<Handler<Object, Object>> upper = new Instances<>(context, Handler.class, "(handler.name=upper)");
    Instances<Handler<Object, Object>> lower = new Instances<>(context, Handler.class, "(handler.name=lower)");
    Instances<Handler<Object, Object>> echo = new Instances<>(context, Handler.class, "(handler.name=echo)");
    Instances<Wire> up = new Instances<>(context, Wire.class, "(wire.name=up)");
    Instances<Wire> down = new Instances<>(context, Wire.class, "(wire.name=down)");
    try {
      // every queue blocks and everything handed over waits far longer than a busy machine needs
      configurations.add(configure(configAdmin.getConfiguration("dev.maverick.handler.itest.upper", "?"),
          "max_queue_size", "64", "result_queue_size", "64", "overflow_policy", "block", "offer_timeout", "0",
          "shutdown_timeout", "60"));
      configurations.add(configure(configAdmin.getFactoryConfiguration("dev.maverick.handler.itest.lower", "lower", "?"),
          "name", "lower", "max_queue_size", "64", "result_queue_size", "64", "overflow_policy", "block",
          "offer_timeout", "0", "shutdown_timeout", "60"));
      configurations.add(configure(configAdmin.getConfiguration("dev.maverick.handler.echo", "?"),
          "max_queue_size", "64", "result_queue_size", "100000", "overflow_policy", "block", "offer_timeout", "0",
          "shutdown_timeout", "60", "delay_ms", "1"));
      Await.until("the handlers configured", () -> upper.current() != null && upper.current().config().maxQueueSize() == 64
          && lower.current() != null && echo.current() != null && echo.current().config().resultQueueSize() == 100000);
      org.osgi.service.cm.Configuration upWire = configure(configAdmin.getFactoryConfiguration(WIRE_PID, "up", "?"),
          "name", "up", "from", "upper", "to", "lower", "buffer_size", "32", "shutdown_timeout", "60");
      org.osgi.service.cm.Configuration downWire = configure(configAdmin.getFactoryConfiguration(WIRE_PID, "down", "?"),
          "name", "down", "from", "lower", "to", "echo", "buffer_size", "32", "shutdown_timeout", "60");
      configurations.add(0, upWire);
      configurations.add(0, downWire);
      Await.until("both wires running", () -> up.current() != null && up.current().state() == WireState.RUNNING
          && down.current() != null && down.current().state() == WireState.RUNNING);

      Bundle fixture = Osgi.bundle(context, "dev.maverick.handler.fixture-handler");
      Bundle wires = Osgi.bundle(context, "dev.maverick.handler.wire");
      long start = System.nanoTime();
      try (GraphLoad load = new GraphLoad(upper::current, echo::current, 2)) {
        for (int round = 0; round < ROUNDS; round++) {
          long progress = load.takenOut();
          Await.until("items flowing before round " + round, Duration.ofSeconds(60), () -> load.takenOut() > progress + 50);
          // echo's 1 ms per item backs the graph up: lower has a queue to hand over, the wires full buffers
          Await.until("lower's queue backed up before round " + round, Duration.ofSeconds(60),
              () -> lower.current() != null && lower.current().stats().inputQueueSize() > 10);
          int lowers = lower.count();
          fixture.update();
          Await.until("lower redeployed in round " + round, Duration.ofSeconds(60), () -> lower.count() > lowers
              && lower.all().get(lowers - 1).state() == HandlerState.CLOSED);
          Await.until("wire down holding results before round " + round, Duration.ofSeconds(60),
              () -> down.current() != null && down.current().ledger().buffered() > 4);
          int downs = down.count();
          String size = round % 2 == 0 ? "16" : "48";
          configure(downWire, "name", "down", "from", "lower", "to", "echo", "buffer_size", size, "shutdown_timeout", "60");
          Await.until("wire down reconfigured in round " + round, Duration.ofSeconds(60), () -> down.count() > downs
              && down.current() != null && down.current().config().orElseThrow().bufferSize() == Integer.parseInt(size));
          if (round == 3 || round == 7) {
            int ups = up.count();
            wires.update();
            Await.until("the wire bundle updated in round " + round, Duration.ofSeconds(60),
                () -> up.count() > ups && up.current() != null && down.current() != null);
          }
        }
        load.stopProducing();
        GraphBooks books = new GraphBooks(upper.all(), all(upper, lower, echo), all(up, down));
        try {
          Await.until("every accepted item out of echo", Duration.ofSeconds(120), () -> load.takenOut() >= load.accepted());
        } catch (AssertionError e) {
          // Pax Exam reports the first failure only: the books go to the test's output
          System.out.println("accepted " + load.accepted() + ", out " + load.takenOut() + "; "
              + books.places(load.takenOut()) + "; wires " + up.all().stream().map(Wire::ledger).toList()
              + down.all().stream().map(Wire::ledger).toList() + "; handlers "
              + all(upper, lower, echo).stream().map(Handler::stats).toList());
          throw e;
        }
        load.close();

        Await.until("the graph quiescent and balanced", Duration.ofSeconds(60),
            () -> books.unaccounted(load.takenOut()) == 0 && books.unbalancedParts().isEmpty());
        Map<String, Long> places = books.places(load.takenOut());
        long[] handedOver = books.handedOver();
        System.out.printf("wired graph under load: %d rounds in %d ms; %d upper, %d lower, %d up, %d down instances;"
            + " entered=%d accepted=%d refused=%d; handed over by handlers=%d, by wires=%d; places=%s%n", ROUNDS,
            (System.nanoTime() - start) / 1_000_000, upper.count(), lower.count(), up.count(), down.count(),
            books.entered(), load.accepted(), load.refused(), handedOver[0], handedOver[1], places);

        assertEquals("every accepted item came out", load.accepted(), load.takenOut());
        assertEquals("each exactly once", Set.copyOf(load.acceptedItems()), load.outOnce());
        assertTrue("no item came out twice: " + load.duplicates(), load.duplicates().isEmpty());
        assertEquals("the whole graph balances: " + places, 0, books.unaccounted(load.takenOut()));
        assertEquals("what was refused at the door is the only drop", load.refused(),
            places.get("item drops") + places.get("result drops") + places.get("dropped by wires"));
        assertEquals(0L, (long) places.get("item errors"));
        assertEquals(ROUNDS + 1, lower.count());
        assertTrue("wire down reconfigured: " + down.count(), down.count() >= ROUNDS + 1);
        assertTrue("items flowed: " + load.accepted(), load.accepted() > 1000);
        assertTrue("handlers handed work over", handedOver[0] > 0);
        assertTrue("wires handed work over", handedOver[1] > 0);
      }
    } finally {
      for (org.osgi.service.cm.Configuration configuration : configurations) {
        configuration.delete();
      }
      upper.close();
      lower.close();
      echo.close();
      up.close();
      down.close();
    }
  }

  @SafeVarargs
  private static <T> List<T> all(Instances<? extends T>... kinds) {
    List<T> all = new ArrayList<>();
    for (Instances<? extends T> kind : kinds) {
      all.addAll(kind.all());
    }
    return all;
  }

  static org.osgi.service.cm.Configuration configure(org.osgi.service.cm.Configuration configuration,
      Object... keysAndValues) throws Exception {
    configuration.update(Osgi.properties(keysAndValues));
    return configuration;
  }

  /** Every instance of a service that was ever registered under a filter, in order; the current one. */
  static final class Instances<T> implements AutoCloseable {
    private final List<T> all = new CopyOnWriteArrayList<>();
    private final ServiceTracker<T, T> tracker;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Instances(BundleContext context, Class type, String filter) throws Exception {
      tracker = new ServiceTracker<>(context, context.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")"),
          null) {
        @Override
        public T addingService(ServiceReference<T> reference) {
          T service = super.addingService(reference);
          if (!all.contains(service)) {
            all.add(service);
          }
          return service;
        }
      };
      tracker.open(true);
    }

    T current() {
      return tracker.getService();
    }

    List<T> all() {
      return List.copyOf(all);
    }

    int count() {
      return all.size();
    }

    @Override
    public void close() {
      tracker.close();
    }
  }

  /**
   * Producers feeding the current first handler and a consumer taking the last one's results:
   * they record every item accepted and every item that came out, to prove each came out once.
   */
  static final class GraphLoad implements AutoCloseable {
    private final java.util.function.Supplier<Handler<Object, Object>> first;
    private final java.util.function.Supplier<Handler<Object, Object>> last;
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final Map<String, Integer> out = new ConcurrentHashMap<>();
    private final AtomicLong takenOut = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> producers = new ArrayList<>();
    private final Thread consumer;

    GraphLoad(java.util.function.Supplier<Handler<Object, Object>> first,
        java.util.function.Supplier<Handler<Object, Object>> last, int producerCount) {
      this.first = first;
      this.last = last;
      for (int p = 0; p < producerCount; p++) {
        int producer = p;
        producers.add(start("graph-producer-" + p, () -> produce(producer)));
      }
      consumer = start("graph-consumer", this::consume);
    }

    private Thread start(String name, Runnable work) {
      Thread thread = new Thread(() -> {
        try {
          work.run();
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, name);
      thread.start();
      return thread;
    }

    private void produce(int producer) {
      long sequence = 0;
      while (producing.get()) {
        Handler<Object, Object> handler = first.get();
        if (handler == null) {
          java.util.concurrent.locks.LockSupport.parkNanos(200_000);
          continue;
        }
        String item = "p" + producer + "-" + sequence;
        if (handler.feed(item)) {
          accepted.add(item);
          sequence++;
        } else {
          refused.incrementAndGet();
        }
      }
    }

    @SuppressWarnings("unchecked")
    private void consume() {
      while (consuming.get()) {
        Handler<Object, Object> handler = last.get();
        if (handler == null) {
          java.util.concurrent.locks.LockSupport.parkNanos(200_000);
          continue;
        }
        handler.getResult(Duration.ofMillis(5)).ifPresent(result -> {
          out.merge(String.valueOf(((Map<String, Object>) result).get("echo")), 1, Integer::sum);
          takenOut.incrementAndGet();
        });
      }
    }

    void stopProducing() throws InterruptedException {
      producing.set(false);
      for (Thread producer : producers) {
        producer.join(20_000);
      }
      rethrow();
    }

    long accepted() {
      return accepted.size();
    }

    Set<String> acceptedItems() {
      return Set.copyOf(accepted);
    }

    long refused() {
      return refused.get();
    }

    long takenOut() {
      return takenOut.get();
    }

    /** What came out, as a set: each came out at least once. */
    Set<String> outOnce() {
      return Set.copyOf(out.keySet());
    }

    /** What came out more than once. */
    List<String> duplicates() {
      return out.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    private void rethrow() {
      if (failure.get() != null) {
        throw new AssertionError("a load thread failed", failure.get());
      }
    }

    @Override
    public void close() throws InterruptedException {
      producing.set(false);
      consuming.set(false);
      for (Thread producer : producers) {
        producer.join(20_000);
      }
      consumer.join(20_000);
      rethrow();
    }
  }
}
