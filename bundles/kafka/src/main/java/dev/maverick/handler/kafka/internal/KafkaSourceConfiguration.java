package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.ds.CoreKeyDescriptions;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The kafka_source's configuration keys as published through Metatype, with their defaults.
 * {@code KafkaSourceKind} validates them; {@code KafkaSourceKindTest} checks that every default
 * here is the one in force.
 */
@ObjectClassDefinition(id = KafkaSourceKind.PID, name = "Maverick Kafka source",
    description = "Consumes a Kafka topic in a consumer group and publishes each record's value as a result "
        + "(JSON as a map, other bytes as byte[]), with topic, partition, offset and key in its extras. A record's "
        + "offset is committed once its result has been delivered onward. One handler per factory configuration.")
@interface KafkaSourceConfiguration {

  @AttributeDefinition(name = "Name", description = "The handler's unique name, its handler.name service property; "
      + "required. Letters, digits, '.', '_' and '-'.")
  String name();

  @AttributeDefinition(name = "Bootstrap servers", description = "The Kafka brokers to start from: host:port pairs "
      + "separated by commas, e.g. 127.0.0.1:9092 or broker-1:9092,broker-2:9092. Required.")
  String bootstrap__servers();

  @AttributeDefinition(name = "Topic", description = "The topic whose records are published. Required.")
  String topic();

  @AttributeDefinition(name = "Group", description = "The consumer group: the runtimes whose sources share a group "
      + "share the topic's partitions. Required.")
  String group();

  @AttributeDefinition(name = "Max in flight", description = "The most records published and not yet delivered onward, 1 to 1000000 (or the result queue's capacity, if smaller). At the limit the source pauses its partitions.")
  int max__in__flight() default 1024;

  @AttributeDefinition(name = "Client properties", required = false, description = "Further settings of Kafka's "
      + "consumer, name=value, one per line or separated by commas (e.g. max.poll.records=1000,auto.offset.reset=latest), checked against "
      + "Kafka's own definitions of them. Secrets (sasl.jaas.config, ssl.*.password, ...) are never shown.")
  String client__properties();

  @AttributeDefinition(name = "Run as thread", description = "Start the source with the component. When false, it starts on start().")
  boolean run__as__thread() default true;

  @AttributeDefinition(name = "Disable thread", description = "Must stay false: a kafka_source consumes on a thread of its own.")
  boolean disable__thread() default false;

  @AttributeDefinition(name = "Worker threads", description = "Worker threads, 1 to 256 (a source takes no items: one is plenty).")
  int worker__threads() default 1;

  @AttributeDefinition(name = "Wait strategy", description = CoreKeyDescriptions.WAIT_STRATEGY,
      options = {@Option(value = "park", label = "Park"), @Option(value = "spin", label = "Spin")})
  String wait__strategy() default "park";

  @AttributeDefinition(name = "Input queue size", description = "Capacity of the input queue (a source takes no items); 0 = unbounded.")
  int max__queue__size() default 128;

  @AttributeDefinition(name = "Result queue size", description = "Capacity of the result queue; 0 = unbounded. The source never overflows it: it pauses instead.")
  int result__queue__size() default 1024;

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

  @AttributeDefinition(name = "Shutdown timeout (s)", description = "How long closing waits for published results to be delivered onward (their offsets are then committed), in seconds.")
  double shutdown__timeout() default 5.0;

  @AttributeDefinition(name = "Expected type", required = false, description = "Not used by a source (it takes no items).")
  String expected__type();

  @AttributeDefinition(name = "Verbose", description = "Log lifecycle events at INFO instead of DEBUG.")
  boolean verbose() default false;

  @AttributeDefinition(name = "Client id prefix", description = "Prefix of the handler's client_id (prefix-uuid), "
      + "shown in stats; fixed when the handler is created.", type = AttributeType.STRING)
  String client__id__prefix() default "client";
}
