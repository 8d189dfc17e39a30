package dev.maverick.handler.kafka.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.ds.AbstractHandlerKind;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code kafka_source} kind: factory configurations of {@value #PID}, each with its
 * {@code name}, {@code bootstrap_servers}, {@code topic} and {@code group}. A source's result queue
 * holds {@value #RESULT_QUEUE_SIZE} results unless configured otherwise (the core's 128 would
 * pause the partitions too often).
 */
@Component(service = HandlerKind.class, property = Handler.KIND_PROPERTY + "=" + KafkaSourceKind.KIND)
public final class KafkaSourceKind extends AbstractHandlerKind {
  static final String KIND = "kafka_source";
  static final String PID = "dev.maverick.handler.kafka_source";
  static final int RESULT_QUEUE_SIZE = KafkaSettings.DEFAULT_MAX_IN_FLIGHT;

  /** The kafka_source kind. */
  public KafkaSourceKind() {
    super(KIND, PID, true);
  }

  @Override
  protected Map<String, Object> defaults() {
    return Map.of(HandlerConfig.RESULT_QUEUE_SIZE, RESULT_QUEUE_SIZE);
  }

  @Override
  protected void checkOwnKeys(HandlerConfig config) {
    if (config.disableThread()) {
      throw new InvalidConfigurationException(HandlerConfig.DISABLE_THREAD, true,
          "false: a kafka_source consumes on a thread of its own");
    }
    KafkaSettings.forSource(config);
  }
}
