package dev.maverick.handler.kafka.bench;

import dev.maverick.handler.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka benchmark: records per second through {@code kafka_source → echo → kafka_sink}
 * ({@link HandlerLoop}) against a bare kafka-clients consume-transform-produce loop
 * ({@link BareLoop}), on one broker of their own, in one run. Both read the same input topic (each
 * in a group of its own, from the start) and write a topic of their own; rounds alternate the two,
 * and the median of each is compared. The machine's load is printed with the figures.
 *
 * <p>{@code --records N} (default 200000), {@code --rounds N} (3), {@code --partitions N} (4),
 * {@code --sink-workers N} (1: the sink's order per key holds only with one).
 */
public final class KafkaBench {
  private KafkaBench() {}

  /** Runs the benchmark and prints its table. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    long records = Long.parseLong(options.getOrDefault("records", "200000"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    int partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
    int sinkWorkers = Integer.parseInt(options.getOrDefault("sink-workers", "1"));
    System.out.printf("Kafka benchmark: %d records of ~100 bytes JSON, %d partitions, %d round(s); load %s%n",
        records, partitions, rounds, loadAverage());
    try (KafkaBroker broker = KafkaBroker.builder().jvmOptions(KafkaBroker.FULL_SPEED).start()) {
      Result result = measure(broker.bootstrapServers(), records, rounds, partitions,
          Map.of("worker_threads", sinkWorkers));
      System.out.print(result.table());
      System.out.printf("load after: %s%n", loadAverage());
    }
  }

  /** The figures of one run, and the topics each round of the handlers wrote. */
  record Result(List<Double> bare, List<Double> handlers, List<String> handlersOutput) {
    double ratio() {
      return median(handlers) / median(bare);
    }

    String table() {
      StringBuilder text = new StringBuilder("round  bare loop (records/s)  handlers (records/s)  ratio\n");
      for (int i = 0; i < bare.size(); i++) {
        text.append(String.format("%5d  %21.0f  %20.0f  %5.2f%n", i + 1, bare.get(i), handlers.get(i),
            handlers.get(i) / bare.get(i)));
      }
      text.append(String.format("median %20.0f  %20.0f  %5.2fx%n", median(bare), median(handlers), ratio()));
      return text.toString();
    }
  }

  /** Fills an input topic and runs the rounds, bare loop first in each. */
  static Result measure(String bootstrap, long records, int rounds, int partitions, Map<String, Object> sinkSettings)
      throws Exception {
    String run = Long.toString(System.nanoTime(), 36);
    String in = "bench-in-" + run;
    List<NewTopic> topics = new ArrayList<>();
    topics.add(new NewTopic(in, partitions, (short) 1));
    for (int round = 0; round < rounds; round++) {
      topics.add(new NewTopic(out("bare", run, round), partitions, (short) 1));
      topics.add(new NewTopic(out("handlers", run, round), partitions, (short) 1));
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(topics).all().get();
    }
    fill(bootstrap, in, records);
    List<Double> bare = new ArrayList<>();
    List<Double> handlers = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      outputs.add(out("handlers", run, round));
      bare.add(rate(records, BareLoop.run(bootstrap, in, out("bare", run, round), "bare-" + run + "-" + round, records)));
      handlers.add(rate(records, HandlerLoop.run(bootstrap, in, out("handlers", run, round),
          "handlers-" + run + "-" + round, records, sinkSettings)));
    }
    return new Result(bare, handlers, outputs);
  }

  /** The input: JSON values keyed by one of 16 robots, each robot's sequence numbers in order. */
  static void fill(String bootstrap, String topic, long records) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
        "linger.ms", 5), new StringSerializer(), new StringSerializer())) {
      for (long i = 0; i < records; i++) {
        String robot = "r" + (i % 16);
        producer.send(new ProducerRecord<>(topic, robot, "{\"robot\":\"" + robot + "\",\"seq\":" + i / 16
            + ",\"text\":\"the quick brown fox jumps over the lazy dog\"}"));
      }
      producer.flush();
    }
  }

  static String out(String side, String run, int round) {
    return "bench-out-" + side + "-" + run + "-" + round;
  }

  private static double rate(long records, Duration took) {
    return records / (took.toNanos() / 1e9);
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
