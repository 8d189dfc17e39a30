package dev.maverick.handler.network.internal;

import dev.maverick.handler.ds.CoreKeyDescriptions;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The network handler's configuration keys as published through Metatype, with their defaults:
 * a factory configuration per endpoint. Durations are seconds, decimals allowed. {@code NetworkKind}
 * validates them; this interface only describes them ({@code NetworkKindTest} checks that every
 * default here is the one in force).
 */
@ObjectClassDefinition(id = NetworkKind.PID, name = "Maverick network handler",
    description = "Sends each item's payload {client_id, item, extra, timestamp} (or request_template filled with "
        + "the item) as JSON to an HTTP endpoint; the result is {\"status\": ..., \"body\": <the JSON response>} "
        + "(or what response_pointer picks out of it). One factory instance per endpoint.")
@interface NetworkConfiguration {

  @AttributeDefinition(name = "Name", description = "The handler's unique name, its handler.name service property "
      + "(required). Letters, digits, '.', '_' and '-'.")
  String name();

  @AttributeDefinition(name = "Host", description = "The server's host name or IP address (required), "
      + "without scheme, port or path.")
  String host();

  @AttributeDefinition(name = "Port", required = false, description = "The server's port, 1 to 65535. "
      + "Default: 80 for http, 443 for https.")
  int port();

  @AttributeDefinition(name = "Scheme", description = "http or https.",
      options = {@Option(value = "http", label = "HTTP"), @Option(value = "https", label = "HTTPS")})
  String scheme() default "http";

  @AttributeDefinition(name = "Path", description = "The request path, starting with '/', optionally with a "
      + "percent-encoded query, e.g. /v1/recognize?lang=en.")
  String path() default "/";

  @AttributeDefinition(name = "Method", description = "The HTTP method; the JSON payload is its body.",
      options = {@Option(value = "POST", label = "POST"), @Option(value = "PUT", label = "PUT"),
          @Option(value = "PATCH", label = "PATCH")})
  String method() default "POST";

  @AttributeDefinition(name = "Auth", required = false, type = AttributeType.PASSWORD, description = "The credential "
      + "sent in the auth_header header (after auth_scheme when set). A secret: never logged or shown. "
      + "Default: none, no auth header is sent.")
  String auth();

  @AttributeDefinition(name = "Auth over http", description = "Send auth over plain http to a host that is not "
      + "loopback (localhost, 127.x.x.x, ::1). Off: such a configuration is refused, since auth would cross the "
      + "network in clear text; use https, or set this to say you mean it.")
  boolean auth__over__http() default false;

  @AttributeDefinition(name = "Auth header", description = "The header that carries auth. Default x-api-key, as the "
      + "seed's network subclasses send it; Authorization when auth_scheme is set and this key is not.")
  String auth__header() default "x-api-key";

  @AttributeDefinition(name = "Auth scheme", required = false, description = "A word put before auth in the header "
      + "value, e.g. Bearer (then the header is 'Authorization: Bearer <auth>'). Default: none, auth alone.")
  String auth__scheme();

  @AttributeDefinition(name = "Network timeout (s)", description = "Limit of each attempt in seconds, from connecting "
      + "to the last byte of the response; > 0, decimals allowed.")
  double network__timeout() default 10.0;

  @AttributeDefinition(name = "Retries", description = "Further attempts after a connection failure (refused, "
      + "reset, connect timeout) or a 5xx response, 0 to 10. Never after a 4xx, a response timeout or a bad body.")
  int retries() default 0;

  @AttributeDefinition(name = "Retry backoff (s)", description = "Wait before the first retry in seconds, doubled "
      + "before each next one (at most 60 s per wait); 0 to 60.")
  double retry__backoff() default 0.5;

  @AttributeDefinition(name = "Trust store", required = false, description = "Path of a PKCS12 or JKS file whose "
      + "certificates are the only ones trusted for https (a private CA or a self-signed server). "
      + "Default: the JVM's trusted CAs.")
  String trust__store();

  @AttributeDefinition(name = "Trust store password", required = false, type = AttributeType.PASSWORD,
      description = "The trust store's password. A secret: never logged or shown.")
  String trust__store__password();

  @AttributeDefinition(name = "Max response bytes", description = "Largest response body accepted; a larger one "
      + "fails the call. 1 to 2147483639.")
  int max__response__bytes() default 10485760;

  @AttributeDefinition(name = "Request template", required = false, description = "A JSON document sent instead "
      + "of the seed's payload. String values that are exactly {{item}}, {{item.key}} (dotted keys, a number for a "
      + "list element), {{extra}}, {{extra.key}}, {{client_id}} or {{timestamp}} become that value with its JSON "
      + "type; inside longer strings, its text. Values are filled in, never pasted as text, so an item cannot "
      + "inject JSON. E.g. {\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"{{item}}\"}]}. "
      + "Default: none, the seed's {client_id, item, extra, timestamp}.")
  String request__template();

  @AttributeDefinition(name = "Response pointer", required = false, description = "An RFC 6901 JSON pointer "
      + "choosing the result out of the response body, e.g. /choices/0/message/content; a response without it "
      + "fails the call, naming the pointer and what the response had. Default: none, the result is "
      + "{\"status\": ..., \"body\": ...}.")
  String response__pointer();

  @AttributeDefinition(name = "Client id prefix", description = "Prefix of the handler's client_id (prefix-uuid), "
      + "sent as the X-Client-Id header and in the payload: printable ASCII without line breaks; fixed when the "
      + "handler is created.")
  String client__id__prefix() default "client";

  @AttributeDefinition(name = "Worker threads", description = "Number of worker threads, 1 to 256: each has one "
      + "request in flight, so more threads mean more concurrent calls. Results keep FIFO order only with 1.")
  int worker__threads() default 1;

  @AttributeDefinition(name = "Wait strategy", description = CoreKeyDescriptions.WAIT_STRATEGY,
      options = {@Option(value = "park", label = "Park"), @Option(value = "spin", label = "Spin")})
  String wait__strategy() default "park";

  @AttributeDefinition(name = "Run as thread", description = "Process fed items on worker threads, started on the "
      + "first feed. When false, feed only queues items until start() is called.")
  boolean run__as__thread() default true;

  @AttributeDefinition(name = "Disable thread", description = "Forbid every thread, even when run_as_thread is set; "
      + "only the direct generate() path works.")
  boolean disable__thread() default false;

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
      + "must be an instance of one of them, or it is dropped as invalid. Default: any item that can be written "
      + "as JSON.")
  String expected__type();

  @AttributeDefinition(name = "Verbose", description = "Log lifecycle events and each network call at INFO instead "
      + "of DEBUG.")
  boolean verbose() default false;
}
