package dev.maverick.handler.admin.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The admin's own configuration, PID {@value #PID}. Keys are snake_case, as everywhere. */
@ObjectClassDefinition(id = AdminConfig.PID, name = "Maverick Handlers admin",
    description = "HTTP API, web page, shell commands, JMX and health checks of the handlers.")
public @interface AdminConfig {
  /** The configuration PID. */
  String PID = "dev.maverick.handler.admin";

  /** admin_token. */
  @AttributeDefinition(name = "Admin token", type = AttributeType.PASSWORD, required = false,
      description = "Bearer token every HTTP API request (reads included) must carry as 'Authorization: Bearer <token>'; "
          + "only the page's own files stay public, and /metrics with metrics_public. Empty: no token; then writes "
          + "are allowed only while the HTTP server listens on loopback alone. A secret: never logged, always shown masked.")
  String admin__token() default "";

  /** allowed_hosts. */
  @AttributeDefinition(name = "Allowed hosts", required = false,
      description = "Names the Host header of a request may carry (DNS rebinding defence), as host or host:port; a "
          + "name without a port matches with no port or with the server's own. The address the server is bound to "
          + "is always allowed. Other hosts are answered 421.")
  String[] allowed__hosts() default {"localhost", "127.0.0.1", "[::1]"};

  /** metrics_public. */
  @AttributeDefinition(name = "Public metrics", required = false,
      description = "Serve GET /metrics without the admin token (for a Prometheus scraper); the rest of the API "
          + "still needs it.")
  boolean metrics__public() default false;

  /** max_body_bytes. */
  @AttributeDefinition(name = "Request body limit", min = "1",
      description = "Largest HTTP request body accepted, in bytes; a larger one is answered 413.")
  int max__body__bytes() default 1_048_576;

  /** body_timeout. */
  @AttributeDefinition(name = "Request body time limit", min = "0",
      description = "Seconds a request body may take to arrive whole; a slower one is answered 408. No server thread "
          + "waits for a body meanwhile.")
  double body__timeout() default 10.0;

  /** max_result_timeout. */
  @AttributeDefinition(name = "Longest result wait", min = "0",
      description = "Longest wait, in seconds, a client may ask of GET /handlers/{name}/result or 'handler:result'.")
  double max__result__timeout() default 60.0;

  /** max_result_waits. */
  @AttributeDefinition(name = "Result waits in total", min = "1",
      description = "How many requests may wait for a result (GET /handlers/{name}/result with a timeout) at once, "
          + "over all handlers; more are answered 429.")
  int max__result__waits() default 16;

  /** max_result_waits_per_handler. */
  @AttributeDefinition(name = "Result waits per handler", min = "1",
      description = "How many requests may wait for a result of one handler at once; more are answered 429.")
  int max__result__waits__per__handler() default 4;

  /** max_total_worker_threads. */
  @AttributeDefinition(name = "Worker threads in total", min = "0", required = false,
      description = "The most worker threads all handlers together may have (the core's WorkerBudget); a create or "
          + "change that would go over it is refused with 400. 0: leave the limit the core started with (the "
          + "system property maverick.max_total_worker_threads, default 512).")
  int max__total__worker__threads() default 0;

  /** apply_timeout. */
  @AttributeDefinition(name = "Apply wait", min = "0",
      description = "How long, in seconds, a configuration change, create or delete waits to see the handler "
          + "apply it before answering (202 Accepted when it has not yet).")
  double apply__timeout() default 10.0;
}
