package dev.maverick.handler.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The baseline of benchmark 2: the same work as the Camel route
 * {@code from("seda:in").process(...).to("seda:out")}, the route's seda consumer being the worker.
 * Both seda queues have the handler's capacity and block when full ({@code blockWhenFull=true}),
 * as {@code overflow_policy=block}; the producer sends with a {@link ProducerTemplate}, the
 * consumer receives with a {@link ConsumerTemplate}: how a Camel user feeds and takes.
 */
public final class CamelPipeline implements Pipeline {

  private final CamelContext camel;
  private final ProducerTemplate producer;
  private final ConsumerTemplate consumer;
  private final SedaEndpoint in;
  private final SedaEndpoint out;

  public CamelPipeline(int capacity) {
    String options = "?size=" + capacity + "&blockWhenFull=true";
    camel = new DefaultCamelContext();
    camel.getShutdownStrategy().setTimeout(5);
    try {
      camel.addRoutes(new RouteBuilder() {
        @Override
        public void configure() {
          from("seda:in" + options)
              .process(exchange -> exchange.getMessage().setBody(Echo.work(exchange.getMessage().getBody(), Map.of())))
              .to("seda:out" + options);
        }
      });
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the Camel route", e);
    }
    camel.start();
    in = camel.getEndpoint("seda:in" + options, SedaEndpoint.class);
    out = camel.getEndpoint("seda:out" + options, SedaEndpoint.class);
    producer = camel.createProducerTemplate();
    consumer = camel.createConsumerTemplate();
  }

  @Override
  public void feed(Object item) {
    producer.sendBody((Endpoint) in, item);
  }

  @Override
  public Object take(long timeoutNanos) {
    return consumer.receiveBody(out, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
  }

  @Override
  public void verify(long fed, long taken) {
    Pipeline.check(fed == taken && in.getQueue().isEmpty() && out.getQueue().isEmpty(),
        "Camel pipeline lost items: fed " + fed + ", taken " + taken);
  }

  @Override
  public void close() {
    try {
      producer.stop();
      consumer.stop();
    } finally {
      camel.stop();
    }
  }
}
