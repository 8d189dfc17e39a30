package dev.maverick.handler.kafka.bench;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.echo.internal.EchoHandlers;
import dev.maverick.handler.kafka.internal.KafkaHandlers;
import java.time.Duration;
import java.util.Map;

/**
 * The measured pipeline: kafka_source → echo → kafka_sink, the real handlers, joined by
 * {@link Glue} (a claimed reader, offer with backpressure, settle) as a wire will join them. The
 * sink keys each record by the source record's key ({@code meta.key} of the echo's result), so
 * order per key holds end to end.
 */
final class HandlerLoop {
  private HandlerLoop() {}

  /**
   * Carries {@code records} records from {@code in} to {@code out} and returns the time from the
   * handlers' start to the last record's acknowledgement.
   */
  static Duration run(String bootstrap, String in, String out, String group, long records,
      Map<String, Object> sinkSettings) throws Exception {
    Map<String, Object> sinkProperties = new java.util.HashMap<>(Map.of("name", "bench-sink", "bootstrap_servers",
        bootstrap, "topic", out, "key", "meta.key", "overflow_policy", "block", "offer_timeout", 0));
    sinkProperties.putAll(sinkSettings);
    ArchitectureHandler<Object, Object> source = KafkaHandlers.source(Map.of("name", "bench-source",
        "bootstrap_servers", bootstrap, "topic", in, "group", group));
    // results wait for the glue rather than being dropped when the sink is slower: nothing is lost
    ArchitectureHandler<Object, Map<String, Object>> echo = EchoHandlers.echo(Map.of("name", "bench-echo",
        "max_queue_size", 1024, "result_overflow_policy", "block", "offer_timeout", 0));
    ArchitectureHandler<Object, Map<String, Object>> sink = KafkaHandlers.sink(sinkProperties);
    long started = System.nanoTime();
    try (Glue toEcho = new Glue(source, echo, "source-echo");
         Glue toSink = new Glue(echo, sink, "echo-sink");
         Glue fromSink = new Glue(sink, null, "sink-end")) {
      source.start();
      long deadline = System.nanoTime() + Duration.ofMinutes(Long.getLong("maverick.bench.minutes", 10)).toNanos();
      while (sink.stats().processedCount() + sink.stats().errorCount() < records) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the handlers did not finish:\n source " + source.stats()
              + "\n echo " + echo.stats() + "\n sink " + sink.stats());
        }
        Thread.sleep(5);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (sink.stats().errorCount() > 0) {
        throw new IllegalStateException("the sink failed items: " + sink.stats());
      }
      return took;
    } finally {
      source.close();
      echo.close();
      sink.close();
    }
  }
}
