package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.ds.CoreKeyDescriptions;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The kafka_sink's configuration keys as published through Metatype, with their defaults.
 * {@code KafkaSinkKind} validates them; {@code KafkaSinkKindTest} checks that every default here is
 * the one in force.
 */
@ObjectClassDefinition(id = KafkaSinkKind.PID, name = "Maverick Kafka sink",
    description = "Produces each item it is fed to a Kafka topic (JSON, or byte[] as is), idempotently with "
        + "acks=all; the item counts processed once the broker has acknowledged it, and its result is "
        + "{topic, partition, offset}. One handler per factory configuration.")
@interface KafkaSinkConfiguration {

  @AttributeDefinition(name = "Name", description = "The handler's unique name, its handler.name service property; "
      + "required. Letters, digits, '.', '_' and '-'.")
  String name();

  @AttributeDefinition(name = "Bootstrap servers", description = "The Kafka brokers to start from: host:port pairs "
      + "separated by commas, e.g. 127.0.0.1:9092 or broker-1:9092,broker-2:9092. Required.")
  String bootstrap__servers();

  @AttributeDefinition(name = "Topic", description = "The topic each item is produced to. Required.")
  String topic();

  @AttributeDefinition(name = "Key", required = false, description = "Where each record's key comes from: the name "
      + "of an extra, or of a field of a map item (a.b for a nested field). Items of one key go to one "
      + "partition, in the order they were fed. An item without it fails. Default: no key.")
  String key();

  @AttributeDefinition(name = "Results", description = "Whether an acknowledged item makes a result, "
      + "{topic, partition, offset}. false for a sink at the end of a graph, whose results nobody reads: the item's "
      + "journey ends at its acknowledgement, so that a kafka_source upstream commits its record then (a result "
      + "left in the result queue would hold that commit back).")
  boolean results() default true;

  @AttributeDefinition(name = "Max in flight", description = "The most records sent and not yet acknowledged, 1 to 1000000; at the limit the worker waits for room.")
  int max__in__flight() default 1024;

  @AttributeDefinition(name = "Client properties", required = false, description = "Further settings of Kafka's "
      + "producer, name=value, one per line or separated by commas (e.g. linger.ms=20,compression.type=gzip), checked against "
      + "Kafka's own definitions of them. Secrets (sasl.jaas.config, ssl.*.password, ...) are never shown.")
  String client__properties();

  @AttributeDefinition(name = "Run as thread", description = "Process fed items on worker threads, started on the first feed. When false, feed only queues items until start() is called.")
  boolean run__as__thread() default true;

  @AttributeDefinition(name = "Disable thread", description = "Forbid every thread, even when run_as_thread is set; only the direct generate() path works.")
  boolean disable__thread() default false;

  @AttributeDefinition(name = "Worker threads", description = "Worker threads, 1 to 256; each sends records without waiting for their acknowledgements. With more than one, records of one key may be sent out of order.")
  int worker__threads() default 1;

  @AttributeDefinition(name = "Wait strategy", description = CoreKeyDescriptions.WAIT_STRATEGY,
      options = {@Option(value = "park", label = "Park"), @Option(value = "spin", label = "Spin")})
  String wait__strategy() default "park";

  @AttributeDefinition(name = "Input queue size", description = "Capacity of the input queue; 0 = unbounded.")
  int max__queue__size() default 128;

  @AttributeDefinition(name = "Result queue size", required = false, description = "Capacity of the result queue; 0 = unbounded. Default: max_queue_size.")
  int result__queue__size();

  @AttributeDefinition(name = "Callback queue size", description = "Capacity of the async callback queue; "
      + "0 = unbounded.")
  int callback__queue__size() default 128;

  @AttributeDefinition(name = "Overflow policy", description = "What a full input queue does with a new item: "
      + "drop_newest (reject it), drop_oldest (evict the oldest), block (wait up to offer_timeout), "
      + "fail (throw QueueFullException). Every drop is counted.",
      options = {@Option(value = "drop_newest", label = "Drop newest"), @Option(value = "drop_oldest", label = "Drop oldest"),
          @Option(value = "block", label = "Block"), @Option(value = "fail", label = "Fail")})
  String overflow__policy() default "drop_newest";

  @AttributeDefinition(name = "Result overflow policy", required = false, description = "Policy of the result queue. "
      + "Default: overflow_policy.",
      options = {@Option(value = "drop_newest", label = "Drop newest"), @Option(value = "drop_oldest", label = "Drop oldest"),
          @Option(value = "block", label = "Block"), @Option(value = "fail", label = "Fail")})
  String result__overflow__policy();

  @AttributeDefinition(name = "Callback overflow policy", required = false, description = "Policy of the callback "
      + "queue: drop_newest, drop_oldest or fail (never block). Default: overflow_policy, with block read as "
      + "drop_newest.",
      options = {@Option(value = "drop_newest", label = "Drop newest"), @Option(value = "drop_oldest", label = "Drop oldest"),
          @Option(value = "fail", label = "Fail")})
  String callback__overflow__policy();

  @AttributeDefinition(name = "Offer timeout (s)", description = "How long the block policy waits for room, in "
      + "seconds; 0 = until there is room or the handler closes.")
  double offer__timeout() default 1.0;

  @AttributeDefinition(name = "Shutdown timeout (s)", description = "How long closing the handler lets queued items be produced, in seconds; items still queued then are dropped and counted (reason shutdown).")
  double shutdown__timeout() default 5.0;

  @AttributeDefinition(name = "Expected type", required = false, description = "Class names, comma-separated; an item must be an instance of one of them, or it is dropped as invalid. Default: any item.")
  String expected__type();

  @AttributeDefinition(name = "Verbose", description = "Log lifecycle events at INFO instead of DEBUG.")
  boolean verbose() default false;

  @AttributeDefinition(name = "Client id prefix", description = "Prefix of the handler's client_id (prefix-uuid), "
      + "shown in stats; fixed when the handler is created.", type = AttributeType.STRING)
  String client__id__prefix() default "client";
}
