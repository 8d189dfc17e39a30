package dev.maverick.handler.echo.internal;

import dev.maverick.handler.ds.CoreKeyDescriptions;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The echo handler's configuration keys as published through Metatype, with their defaults.
 * Durations are seconds, decimals allowed. {@code EchoKind} validates them; this interface only
 * describes them ({@code EchoKindTest} checks that every default here is the one in force).
 */
@ObjectClassDefinition(id = EchoKind.PID, name = "Maverick echo handler",
    description = "Echoes each item back as {\"echo\": item, \"meta\": extra}, optionally after delay_ms of "
        + "simulated work. Configure the singleton PID, or create factory instances, each with its own name.")
@interface EchoConfiguration {

  @AttributeDefinition(name = "Name", description = "The handler's unique name, its handler.name service property. "
      + "Defaults to 'echo' for the singleton configuration; required for a factory instance. "
      + "Letters, digits, '.', '_' and '-'.")
  String name() default "echo";

  @AttributeDefinition(name = "Delay (ms)", description = "Milliseconds each item takes before it is echoed, to "
      + "simulate work in demos and load tests; 0 to 3600000.")
  int delay__ms() default 0;

  @AttributeDefinition(name = "Run as thread", description = "Process fed items on worker threads, started on the "
      + "first feed. When false, feed only queues items until start() is called.")
  boolean run__as__thread() default true;

  @AttributeDefinition(name = "Disable thread", description = "Forbid every thread, even when run_as_thread is set; "
      + "only the direct generate() path works.")
  boolean disable__thread() default false;

  @AttributeDefinition(name = "Worker threads", description = "Number of worker threads, 1 to 256. Results keep FIFO "
      + "order only with 1.")
  int worker__threads() default 1;

  @AttributeDefinition(name = "Wait strategy", description = CoreKeyDescriptions.WAIT_STRATEGY,
      options = {@Option(value = "park", label = "Park"), @Option(value = "spin", label = "Spin")})
  String wait__strategy() default "park";

  @AttributeDefinition(name = "Input queue size", description = "Capacity of the input queue; 0 = unbounded.")
  int max__queue__size() default 128;

  @AttributeDefinition(name = "Result queue size", required = false, description = "Capacity of the result queue; "
      + "0 = unbounded. Default: max_queue_size.")
  int result__queue__size();

  @AttributeDefinition(name = "Callback queue size", description = "Capacity of the async callback queue; "
      + "0 = unbounded.")
  int callback__queue__size() default 128;

  @AttributeDefinition(name = "Overflow policy", description = "What a full input queue does with a new item: "
      + "drop_newest (the seed's: reject it), drop_oldest (evict the oldest), block (wait up to offer_timeout), "
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

  @AttributeDefinition(name = "Shutdown timeout (s)", description = "How long closing the handler lets queued items "
      + "finish, in seconds; items still queued then are dropped and counted (reason shutdown).")
  double shutdown__timeout() default 5.0;

  @AttributeDefinition(name = "Expected type", required = false, description = "Class names, comma-separated; an item "
      + "must be an instance of one of them, or it is dropped as invalid. Default: any item.")
  String expected__type();

  @AttributeDefinition(name = "Verbose", description = "Log lifecycle events at INFO instead of DEBUG.")
  boolean verbose() default false;

  @AttributeDefinition(name = "Client id prefix", description = "Prefix of the handler's client_id (prefix-uuid), "
      + "shown in stats; fixed when the handler is created.", type = AttributeType.STRING)
  String client__id__prefix() default "client";
}
