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
      description = "Bearer token that HTTP writes (everything but GET) must carry as 'Authorization: Bearer <token>'. "
          + "Empty: no token; then writes are allowed only while the HTTP server listens on loopback alone. "
          + "A secret: never logged, always shown masked.")
  String admin__token() default "";

  /** max_body_bytes. */
  @AttributeDefinition(name = "Request body limit", min = "1",
      description = "Largest HTTP request body accepted, in bytes; a larger one is answered 413.")
  int max__body__bytes() default 1_048_576;

  /** max_result_timeout. */
  @AttributeDefinition(name = "Longest result wait", min = "0",
      description = "Longest wait, in seconds, a client may ask of GET /handlers/{name}/result or 'handler:result'.")
  double max__result__timeout() default 60.0;

  /** apply_timeout. */
  @AttributeDefinition(name = "Apply wait", min = "0",
      description = "How long, in seconds, a configuration change, create or delete waits to see the handler "
          + "apply it before answering (202 Accepted when it has not yet).")
  double apply__timeout() default 10.0;
}
