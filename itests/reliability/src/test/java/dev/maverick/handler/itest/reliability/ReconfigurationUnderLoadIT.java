package dev.maverick.handler.itest.reliability;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.jackson;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.itest.Await;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Reliability suite 2: fifty Config Admin updates of a live echo handler (queue size up and down,
 * policy changes) while four producers feed and a consumer takes results. The handler is
 * reconfigured in place; not one accepted item is lost.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReconfigurationUnderLoadIT {
  private static final String ECHO = "(handler.name=echo)";
  private static final List<String> POLICIES = List.of("block", "drop_newest", "drop_oldest", "fail");

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  @Configuration
  public Option[] config() {
    return options(platform(), jackson(), bundleOf("core"), bundleOf("echo"));
  }

  @Test
  public void fiftyUpdatesWhileItemsFlowLoseNothing() throws Exception {
    @SuppressWarnings("unchecked")
    Handler<Object, Object> echo = Await.service(context, Handler.class, ECHO);
    org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration("dev.maverick.handler.echo", "?");
    // The default result queue is as small as the input queue and evicts; the first update makes it
    // unbounded before any item flows, so the only accepted items dropped are input-side evictions.
    applyAndAwait(echo, configuration, -1);
    long start = System.nanoTime();
    try (LoadRunner load = new LoadRunner(() -> echo, 4)) {
      for (int update = 0; update < 50; update++) {
        applyAndAwait(echo, configuration, update);
      }
      load.stop();
      load.drainRemaining();
      assertTrue("the same handler instance throughout", echo == Await.service(context, Handler.class, ECHO));
      HandlerStats stats = echo.stats();
      long acceptedThenDropped = stats.dropped(DropReason.EVICTED) + stats.dropped(DropReason.RESULT_QUEUE_FULL)
          + stats.dropped(DropReason.RESULT_EVICTED) + stats.dropped(DropReason.SHUTDOWN);
      System.out.printf("reconfiguration under load: 50 updates in %d ms; accepted=%d taken=%d evicted=%d refused=%d%n",
          (System.nanoTime() - start) / 1_000_000, load.accepted(), load.taken(), stats.dropped(DropReason.EVICTED),
          load.refused());
      assertEquals(load.accepted(), stats.acceptedCount());
      assertEquals("every accepted item is a result taken or a counted eviction",
          load.accepted(), load.taken() + acceptedThenDropped);
      assertEquals("drop_oldest is the only policy here that drops an accepted item",
          stats.dropped(DropReason.EVICTED), acceptedThenDropped);
      assertTrue(stats.toString(), stats.isBalanced());
      assertTrue("items flowed", load.accepted() > 1000);
    } finally {
      configuration.delete();
    }
  }

  private static void applyAndAwait(Handler<Object, Object> echo, org.osgi.service.cm.Configuration configuration,
      int update) throws Exception {
    int size = update < 0 ? 64 : update % 2 == 0 ? 8 + update * 40 : 4 + update % 7;
    String policy = update < 0 ? "block" : POLICIES.get(update % POLICIES.size());
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put("max_queue_size", String.valueOf(size));
    properties.put("result_queue_size", "0"); // unbounded: the input side is what is reconfigured
    properties.put("overflow_policy", policy);
    properties.put("offer_timeout", "0.05");
    configuration.update(properties);
    Await.until("update " + update + " applied", () -> echo.config().maxQueueSize() == size
        && echo.config().resultQueueSize() == 0
        && echo.config().overflowPolicy().configValue().equals(policy));
  }
}
