package dev.maverick.handler.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.ds.testing.MetatypeContract;
import dev.maverick.handler.ds.KindMetatype;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaSourceKindTest {
  static final String INSTANCE = KafkaSourceKind.PID + "~in";
  private final KafkaSourceKind kind = new KafkaSourceKind();

  @Test
  void describesItselfAsAFactoryOnlyKind() {
    assertThat(kind.kind()).isEqualTo("kafka_source");
    assertThat(kind.pid()).isEqualTo("dev.maverick.handler.kafka_source");
    assertThat(kind.factoryOnly()).isTrue();
  }

  @Test
  void theConsumerCommitsItselfReadsANewGroupFromTheStartAndMovesOnlyPartitionsThatChangeOwner() {
    HandlerConfig config = kind.validate(source(Map.of()));
    assertThat(config.resultQueueSize()).as("a source's own default").isEqualTo(1024);
    KafkaSettings settings = KafkaSettings.forSource(config);
    assertThat(settings.group()).isEqualTo("g");
    assertThat(settings.clientConfig("in")).containsEntry("group.id", "g").containsEntry("enable.auto.commit", "false")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    KafkaSettings newProtocol = KafkaSettings.forSource(kind.validate(source(Map.of("client_properties",
        "group.protocol=consumer,auto.offset.reset=latest"))));
    assertThat(newProtocol.clientConfig("in")).doesNotContainKey("partition.assignment.strategy")
        .containsEntry("auto.offset.reset", "latest");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "group             | '  '                    | the consumer group",
      "key               | robot                   | a key the kafka_source kind declares",
      "disable_thread    | true                    | a kafka_source consumes on a thread of its own",
      "client_properties | group.id=other          | set with the key group",
      "client_properties | enable.auto.commit=true | commits an offset itself",
      "client_properties | acks=all                | settings of Kafka's consumer; 'acks' is not one",
      "client_properties | max.poll.records=0      | a value Kafka accepts for max.poll.records",
  })
  void aBadValueIsRejectedNamingThePidTheKeyTheValueAndWhatIsAllowed(String key, String value, String allowed) {
    Map<String, Object> properties = source(Map.of(key, value));
    assertThatThrownBy(() -> kind.validate(properties)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("configuration " + INSTANCE).hasMessageContaining("'" + key + "'")
        .hasMessageContaining(allowed);
  }

  @Test
  void aMissingGroupIsNamed() {
    Map<String, Object> properties = source(Map.of());
    properties.remove("group");
    assertThatThrownBy(() -> kind.validate(properties)).hasMessageContaining("missing required key 'group'");
  }

  @Test
  void theMetatypeDescribesEveryKeyWithTheDefaultInForce() {
    KindMetatype ocd = MetatypeContract.read(KafkaSourceKind.PID);
    assertThat(ocd.factory()).isTrue();
    assertThat(ocd.keys()).contains("bootstrap_servers", "topic", "group", "max_in_flight", "client_properties",
        "result_queue_size", "shutdown_timeout").doesNotContain("key");
    HandlerConfig defaults = kind.validate(source(Map.of()));
    Map<String, Object> effective = new LinkedHashMap<>(defaults.toDisplayMap());
    effective.putAll(KafkaSettings.forSource(defaults).toDisplayMap());
    MetatypeContract.assertDefaultsAreEffective(ocd, effective);
  }

  @Test
  void theReadmeDocumentsEveryKey() {
    MetatypeContract.assertDocumented(Path.of("README.md"), MetatypeContract.read(KafkaSourceKind.PID).keys());
  }

  static Map<String, Object> source(Map<String, Object> own) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("name", "in");
    properties.put("bootstrap_servers", "127.0.0.1:9092");
    properties.put("topic", "work");
    properties.put("group", "g");
    properties.putAll(own);
    properties.put("service.pid", INSTANCE);
    properties.put("service.factoryPid", KafkaSourceKind.PID);
    return properties;
  }
}
