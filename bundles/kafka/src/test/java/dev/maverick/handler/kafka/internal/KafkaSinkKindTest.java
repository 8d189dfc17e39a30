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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaSinkKindTest {
  static final String INSTANCE = KafkaSinkKind.PID + "~out";
  private final KafkaSinkKind kind = new KafkaSinkKind();

  @Test
  void describesItselfAsAFactoryOnlyKind() {
    assertThat(kind.kind()).isEqualTo("kafka_sink");
    assertThat(kind.pid()).isEqualTo("dev.maverick.handler.kafka_sink");
    assertThat(kind.factoryOnly()).isTrue();
  }

  @Test
  void nameBootstrapServersAndTopicAreEnoughAndTheRestHasDefaults() {
    HandlerConfig config = kind.validate(sink(Map.of()));
    KafkaSettings settings = KafkaSettings.forSink(config);
    assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(settings.topic()).isEqualTo("work");
    assertThat(settings.key()).isNull();
    assertThat(settings.maxInFlight()).isEqualTo(1024);
    assertThat(settings.clientConfig("out")).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
        .containsEntry("client.id", "out").containsEntry("bootstrap.servers", "127.0.0.1:9092");
  }

  @ParameterizedTest(name = "without {0}")
  @CsvSource({"bootstrap_servers, host:port pairs", "topic, a Kafka topic name", "name, a name for each kafka_sink"})
  void aRequiredKeyThatIsMissingIsNamed(String key, String expected) {
    Map<String, Object> properties = sink(Map.of());
    properties.remove(key);
    assertThatThrownBy(() -> kind.validate(properties)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("configuration " + INSTANCE).hasMessageContaining("missing required key '" + key + "'")
        .hasMessageContaining(expected);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "bootstrap_servers | localhost               | host:port pairs separated by commas",
      "bootstrap_servers | 127.0.0.1:0             | a port from 1 to 65535",
      "bootstrap_servers | PLAINTEXT://b:9092      | host:port pairs",
      "bootstrap_servers | ' , '                   | host:port pairs",
      "topic             | no spaces               | a Kafka topic name",
      "topic             | ..                      | a Kafka topic name",
      "max_in_flight     | 0                       | an integer from 1 to 1000000",
      "group             | g                       | a key the kafka_sink kind declares",
      "client_properties | linger.ms=soon          | a value Kafka accepts for linger.ms",
      "client_properties | lingerms=5              | did you mean linger.ms?",
      "client_properties | acks=1                  | a kafka_sink always produces with acks=all",
      "client_properties | bootstrap.servers=x:1   | set with the key bootstrap_servers",
      "client_properties | enable.idempotence=false| always produces idempotently",
      "client_properties | max.in.flight.requests.per.connection=6 | at most 5 requests per connection",
      "client_properties | retries=0               | retries > 0",
      "client_properties | compression.type=snappy2| a value Kafka accepts for compression.type",
      "client_properties | linger.ms               | entries name=value",
      "client_properties | linger.ms=1,linger.ms=2 | each setting once",
  })
  void aBadValueIsRejectedNamingThePidTheKeyTheValueAndWhatIsAllowed(String key, String value, String allowed) {
    Map<String, Object> properties = sink(Map.of(key, value));
    assertThatThrownBy(() -> kind.validate(properties)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("configuration " + INSTANCE).hasMessageContaining("'" + key + "'")
        .hasMessageContaining(allowed)
        .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo(key));
  }

  @Test
  void clientPropertiesAreReadAsLinesCommasOrAnArrayAndKeepCommasInsideAValue() {
    String text = "linger.ms=20,compression.type=gzip\nssl.enabled.protocols=TLSv1.2,TLSv1.3\n\n";
    ClientProperties fromText = KafkaSettings.forSink(kind.validate(sink(Map.of("client_properties", text)))).client();
    assertThat(fromText.entries()).containsExactly(Map.entry("linger.ms", "20"), Map.entry("compression.type", "gzip"),
        Map.entry("ssl.enabled.protocols", "TLSv1.2,TLSv1.3"));
    ClientProperties fromArray = KafkaSettings.forSink(kind.validate(sink(Map.of("client_properties",
        new String[] {"linger.ms=20", "compression.type=gzip", "ssl.enabled.protocols=TLSv1.2,TLSv1.3"})))).client();
    assertThat(fromArray).isEqualTo(fromText);
    assertThat(KafkaSettings.forSink(kind.validate(sink(Map.of("client_properties", text)))).clientConfig("out"))
        .containsEntry("linger.ms", "20").containsEntry("acks", "all");
  }

  @Test
  void secretsInClientPropertiesAreMaskedInTheDisplayAndInErrors() {
    String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";";
    KafkaSettings settings = KafkaSettings.forSink(kind.validate(sink(Map.of("client_properties",
        List.of("sasl.jaas.config=" + jaas, "ssl.key.password=s3cret", "sasl.mechanism=PLAIN")))));
    assertThat(settings.clientConfig("out")).containsEntry("sasl.jaas.config", jaas).containsEntry("ssl.key.password", "s3cret");
    String shown = settings.toDisplayMap().toString();
    assertThat(shown).doesNotContain("hunter2").doesNotContain("s3cret").contains("sasl.mechanism=PLAIN")
        .contains("sasl.jaas.config=" + HandlerConfig.MASK);
    assertThat(settings.redact("login failed for " + jaas + " with s3cret")).doesNotContain("hunter2", "s3cret");

    assertThatThrownBy(() -> kind.validate(sink(Map.of("client_properties", "ssl.keystore.password=hunter2,lingerms=1"))))
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> kind.validate(sink(Map.of("client_properties", "sasl.jaas.config=hunter2,acks=1"))))
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> kind.validate(sink(Map.of("client_properties", "ssl.key.password=hunter2,ssl.key.password=x"))))
        .hasMessageNotContaining("hunter2").hasMessageContaining("ssl.key.password=" + HandlerConfig.MASK);
  }

  @Test
  void theMetatypeDescribesEveryKeyWithTheDefaultInForce() {
    KindMetatype ocd = MetatypeContract.read(KafkaSinkKind.PID);
    assertThat(ocd.factory()).isTrue();
    List<String> coreKeys = HandlerConfig.KNOWN_KEYS.stream()
        .filter(key -> !List.of("host", "port", "auth", "network_timeout", "generate_results_callback").contains(key))
        .toList();
    assertThat(ocd.keys()).containsAll(coreKeys)
        .contains("bootstrap_servers", "topic", "key", "max_in_flight", "client_properties").doesNotContain("group");
    HandlerConfig defaults = kind.validate(sink(Map.of()));
    Map<String, Object> effective = new LinkedHashMap<>(defaults.toDisplayMap());
    effective.putAll(KafkaSettings.forSink(defaults).toDisplayMap());
    MetatypeContract.assertDefaultsAreEffective(ocd, effective);
  }

  @Test
  void theReadmeDocumentsEveryKey() {
    MetatypeContract.assertDocumented(Path.of("README.md"), MetatypeContract.read(KafkaSinkKind.PID).keys());
  }

  static Map<String, Object> sink(Map<String, Object> own) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("name", "out");
    properties.put("bootstrap_servers", "127.0.0.1:9092");
    properties.put("topic", "work");
    properties.putAll(own);
    properties.put("service.pid", INSTANCE);
    properties.put("service.factoryPid", KafkaSinkKind.PID);
    return properties;
  }
}
