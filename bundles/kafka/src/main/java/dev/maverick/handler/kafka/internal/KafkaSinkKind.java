package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.ds.AbstractHandlerKind;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code kafka_sink} kind: factory configurations of {@value #PID}, each with its {@code name},
 * {@code bootstrap_servers} and {@code topic}.
 */
@Component(service = HandlerKind.class, property = Handler.KIND_PROPERTY + "=" + KafkaSinkKind.KIND)
public final class KafkaSinkKind extends AbstractHandlerKind {
  static final String KIND = "kafka_sink";
  static final String PID = "dev.maverick.handler.kafka_sink";

  /** The kafka_sink kind. */
  public KafkaSinkKind() {
    super(KIND, PID, true);
  }

  @Override
  protected void checkOwnKeys(HandlerConfig config) {
    KafkaSettings.forSink(config);
  }
}
