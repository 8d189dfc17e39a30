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
 * The wires benchmark's second baseline: three SEDA stages in Camel 4, each a seda consumer doing
 * the echo's work and sending on to the next seda queue
 * ({@code seda:in → seda:s2 → seda:s3 → seda:out}), every queue of the handlers' capacity and
 * blocking when full, fed by a {@link ProducerTemplate} and taken from by a {@link ConsumerTemplate}.
 */
public final class CamelThreeStagePipeline implements Pipeline {
  private static final String[] QUEUES = {"in", "s2", "s3", "out"};
  private final CamelContext camel;
  private final ProducerTemplate producer;
  private final ConsumerTemplate consumer;
  private final SedaEndpoint[] endpoints = new SedaEndpoint[QUEUES.length];

  public CamelThreeStagePipeline(int capacity) {
    String options = "?size=" + capacity + "&blockWhenFull=true";
    camel = new DefaultCamelContext();
    camel.getShutdownStrategy().setTimeout(5);
    try {
      camel.addRoutes(new RouteBuilder() {
        @Override
        public void configure() {
          for (int stage = 0; stage < 3; stage++) {
            from("seda:" + QUEUES[stage] + options)
                .process(exchange -> exchange.getMessage().setBody(Echo.work(exchange.getMessage().getBody(), Map.of())))
                .to("seda:" + QUEUES[stage + 1] + options);
          }
        }
      });
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the Camel routes", e);
    }
    camel.start();
    for (int i = 0; i < QUEUES.length; i++) {
      endpoints[i] = camel.getEndpoint("seda:" + QUEUES[i] + options, SedaEndpoint.class);
    }
    producer = camel.createProducerTemplate();
    consumer = camel.createConsumerTemplate();
  }

  @Override
  public void feed(Object item) {
    producer.sendBody((Endpoint) endpoints[0], item);
  }

  @Override
  public Object take(long timeoutNanos) {
    return consumer.receiveBody(endpoints[QUEUES.length - 1], Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
  }

  @Override
  public void verify(long fed, long taken) {
    boolean empty = true;
    for (SedaEndpoint endpoint : endpoints) {
      empty &= endpoint.getQueue().isEmpty();
    }
    Pipeline.check(fed == taken && empty, "Camel pipeline lost items: fed " + fed + ", taken " + taken);
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
