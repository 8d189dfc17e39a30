package dev.maverick.handler.echo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.ds.testing.MetatypeContract;
import dev.maverick.handler.ds.KindMetatype;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EchoKindTest {
  private static final String FACTORY_INSTANCE = EchoKind.PID + "~demo";
  private final EchoKind kind = new EchoKind();

  @Test
  void describesItself() {
    assertThat(kind.kind()).isEqualTo("echo");
    assertThat(kind.pid()).isEqualTo("dev.maverick.handler.echo");
    assertThat(kind.factoryOnly()).isFalse();
  }

  @Test
  void withoutConfigurationTheHandlerIsNamedEchoWithTheCoreDefaults() {
    HandlerConfig config = kind.validate(Map.of());
    assertThat(config.name()).hasValue("echo");
    assertThat(config.maxQueueSize()).isEqualTo(128);
    assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_NEWEST);
    assertThat(EchoHandler.delay(config)).isZero();
  }

  @Test
  void aFactoryInstanceNeedsItsName() {
    Map<String, Object> properties = factoryInstance(Map.of("delay_ms", 5));
    assertThatThrownBy(() -> kind.validate(properties))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("configuration " + FACTORY_INSTANCE)
        .hasMessageContaining("'name'");
    properties.put("name", "echo-a");
    assertThat(kind.validate(properties).name()).hasValue("echo-a");
  }

  @Test
  void dsAndConfigAdminBookkeepingIsNotConfiguration() {
    Map<String, Object> properties = factoryInstance(Map.of("name", "echo-b", "delay_ms", "7"));
    properties.put("component.name", EchoComponent.class.getName());
    properties.put("component.id", 12L);
    properties.put("felix.fileinstall.filename", "file:/etc/dev.maverick.handler.echo-b.cfg");
    HandlerConfig config = kind.validate(properties);
    assertThat(config.extras()).containsOnlyKeys("delay_ms");
    assertThat(EchoHandler.delay(config).toMillis()).isEqualTo(7);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "delay_ms        | -1        | an integer from 0 to 3600000",
      "delay_ms        | soon      | an integer from 0 to 3600000",
      "delay_ms        | 3600001   | an integer from 0 to 3600000",
      "delay_ms        | 1.5       | an integer from 0 to 3600000",
      "max_queue_size  | -3        | an integer >= 0 (0 = unbounded)",
      "overflow_policy | sometimes | one of drop_newest, drop_oldest, block, fail",
      "worker_threads  | 0         | an integer from 1 to 256",
      "wait_strategy   | busy      | one of park, spin",
      "run_as_thread   | maybe     | true or false",
      "expected_type   | com.example.Nope | names of classes visible to the handler",
  })
  void aBadValueIsRejectedNamingThePidTheKeyTheValueAndWhatIsAllowed(String key, String value, String allowed) {
    Map<String, Object> properties = factoryInstance(Map.of("name", "echo-a", key, value));
    assertThatThrownBy(() -> kind.validate(properties))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("configuration " + FACTORY_INSTANCE)
        .hasMessageContaining("'" + key + "'")
        .hasMessageContaining(value)
        .hasMessageContaining(allowed)
        .satisfies(e -> {
          InvalidConfigurationException error = (InvalidConfigurationException) e;
          assertThat(error.key()).isEqualTo(key);
          assertThat(error.pid()).hasValue(FACTORY_INSTANCE);
        });
  }

  @Test
  void aKeyTheKindDoesNotDeclareIsRefusedWithTheNearestKnownOne() {
    assertThatThrownBy(() -> kind.validate(factoryInstance(Map.of("name", "echo-b", "max_queue_szie", "8"))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(FACTORY_INSTANCE)
        .hasMessageContaining("'max_queue_szie'")
        .hasMessageContaining("did you mean 'max_queue_size'?");
    assertThatThrownBy(() -> kind.validate(Map.of("engine", "x")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'engine'")
        .hasMessageContaining("a key the echo kind declares");
  }

  @Test
  void theSeedsNetworkKeysAreStillAcceptedAndIgnored() {
    assertThat(kind.validate(Map.of("host", "example.org", "port", 80, "network_timeout", 2.0)).host())
        .hasValue("example.org");
  }

  @Test
  void aTypedValueFromConfigAdminIsAcceptedLikeItsText() {
    assertThat(EchoHandler.delay(kind.validate(Map.of("delay_ms", 250))).toMillis()).isEqualTo(250);
    assertThat(EchoHandler.delay(kind.validate(Map.of("delay_ms", 250L))).toMillis()).isEqualTo(250);
    assertThat(EchoHandler.delay(kind.validate(Map.of("delay_ms", new String[] {"250"}))).toMillis()).isEqualTo(250);
  }

  @Test
  void theMetatypeDescribesEveryKeyWithTheDefaultInForce() {
    KindMetatype ocd = MetatypeContract.read(EchoKind.PID);
    assertThat(ocd.factory()).as("singleton designate; factory instances are accepted too").isFalse();
    List<String> coreKeys = HandlerConfig.KNOWN_KEYS.stream()
        .filter(key -> !List.of("host", "port", "auth", "network_timeout", "generate_results_callback").contains(key))
        .toList();
    assertThat(ocd.keys()).containsAll(coreKeys).contains("delay_ms");
    HandlerConfig defaults = kind.validate(Map.of());
    Map<String, Object> effective = new LinkedHashMap<>(defaults.toDisplayMap());
    effective.putAll(EchoHandler.ownSettings(defaults));
    MetatypeContract.assertDefaultsAreEffective(ocd, effective);
    assertThat(ocd.attribute("overflow_policy").options()).containsExactly("drop_newest", "drop_oldest", "block", "fail");
  }

  @Test
  void theReadmeDocumentsEveryKey() {
    KindMetatype ocd = MetatypeContract.read(EchoKind.PID);
    MetatypeContract.assertDocumented(Path.of("README.md"), ocd.keys());
    MetatypeContract.assertDocumented(Path.of("README.md"), List.of("host", "port", "auth", "network_timeout"));
  }

  private static Map<String, Object> factoryInstance(Map<String, Object> own) {
    Map<String, Object> properties = new HashMap<>(own);
    properties.put("service.pid", FACTORY_INSTANCE);
    properties.put("service.factoryPid", EchoKind.PID);
    return properties;
  }
}
