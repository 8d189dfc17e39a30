package dev.maverick.handler.itest.reliability;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.Osgi;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Reliability suite 3: twenty updates of the echo bundle while four producers feed and a consumer
 * takes results from whichever instance is current. Each outgoing instance hands its queued items
 * and untaken results to the next one: not one accepted item is lost, none is counted as dropped.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RedeployUnderLoadIT {
  private static final String ECHO = "(handler.name=echo)";

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  @Configuration
  public Option[] config() {
    return options(platform(), bundleOf("core"), bundleOf("echo"));
  }

  @Test
  public void twentyBundleUpdatesWhileItemsFlowLoseNothing() throws Exception {
    org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration("dev.maverick.handler.echo", "?");
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put("max_queue_size", "2000");
    properties.put("result_queue_size", "100000");
    properties.put("delay_ms", "1"); // slow enough that a queue builds up to be handed over
    // how long a parcel waits for its successor: far longer than a busy machine takes to restart
    // the bundle, so that only a lost hand-over, not a slow one, fails the test
    properties.put("shutdown_timeout", "60");
    configuration.update(properties);
    Await.until("configured", () -> {
      Handler<?, ?> echo = Await.service(context, Handler.class, ECHO);
      return echo.config().maxQueueSize() == 2000;
    });

    List<Handler<Object, Object>> instances = new CopyOnWriteArrayList<>();
    ServiceTracker<Handler<Object, Object>, Handler<Object, Object>> tracker = new ServiceTracker<>(context,
        context.createFilter("(&(objectClass=" + Handler.class.getName() + ")" + ECHO + ")"), null) {
      @Override
      public Handler<Object, Object> addingService(ServiceReference<Handler<Object, Object>> reference) {
        Handler<Object, Object> handler = super.addingService(reference);
        instances.add(handler);
        return handler;
      }
    };
    tracker.open();
    Bundle bundle = Osgi.bundle(context, "dev.maverick.handler.echo");
    long start = System.nanoTime();
    long handedOver = 0;
    try (LoadRunner load = new LoadRunner(tracker::getService, 4)) {
      for (int update = 0; update < 20; update++) {
        int before = instances.size();
        Await.until("items queued before update " + update, () -> {
          Handler<Object, Object> now = tracker.getService();
          return now != null && now.stats().inputQueueSize() > 50;
        });
        bundle.update();
        Await.until("instance " + (before + 1) + " registered", () -> instances.size() > before);
        Handler<Object, Object> previous = instances.get(before - 1);
        Await.until("the previous instance closed", () -> previous.state() == HandlerState.CLOSED);
        handedOver += previous.stats().handedOffCount() + previous.stats().resultsHandedOff();
      }
      load.stop();
      load.drainRemaining();
      long shutdownDrops = 0;
      long accepted = 0;
      for (Handler<Object, Object> instance : instances) {
        HandlerStats stats = instance.stats();
        assertTrue(stats.toString(), stats.isBalanced());
        shutdownDrops += stats.dropped(DropReason.SHUTDOWN) + stats.dropped(DropReason.RESULT_SHUTDOWN);
        accepted += stats.acceptedCount();
      }
      System.out.printf("redeploy under load: 20 updates in %d ms, %d instances; accepted=%d taken=%d handed over=%d"
          + " refused=%d%n", (System.nanoTime() - start) / 1_000_000, instances.size(), load.accepted(), load.taken(),
          handedOver, load.refused());
      assertEquals(21, instances.size());
      assertEquals("the instances accepted what the producers saw accepted", load.accepted(), accepted);
      assertEquals("nothing was left for the reaper", 0, shutdownDrops);
      assertEquals("every accepted item came back as a result", load.accepted(), load.taken());
      assertTrue("work was actually handed over", handedOver > 0);
    } finally {
      tracker.close();
      configuration.delete();
    }
  }
}
