package dev.maverick.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A configuration has the seed's defaults, reads every key from its configuration form, and refuses
 * a bad value naming the key, the value and what is allowed.
 */
class HandlerConfigTest {

  @Test
  void defaultsAreTheSeeds() {
    HandlerConfig config = HandlerConfig.defaults();
    assertThat(config.runAsThread()).isTrue();
    assertThat(config.disableThread()).isFalse();
    assertThat(config.maxQueueSize()).isEqualTo(128);
    assertThat(config.resultQueueSize()).isEqualTo(128);
    assertThat(config.callbackQueueSize()).isEqualTo(128);
    assertThat(config.verbose()).isFalse();
    assertThat(config.expectedTypes()).isEmpty();
    assertThat(config.generateResultsCallback()).isEmpty();
    assertThat(config.networkTimeout()).isEmpty();
    assertThat(config.clientIdPrefix()).isEqualTo("client");
    assertThat(config.host()).isEmpty();
    assertThat(config.port()).isEmpty();
    assertThat(config.auth()).isEmpty();
    assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_NEWEST);
    assertThat(config.offerTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.workerThreads()).isEqualTo(1);
  }

  @Test
  void fromMapReadsStringsAsCfgFilesGiveThem() {
    Map<String, Object> props = new HashMap<>();
    props.put("name", "tts");
    props.put("host", "127.0.0.1");
    props.put("port", "8080");
    props.put("auth", "s3cret");
    props.put("run_as_thread", "FALSE");
    props.put("disable_thread", "false");
    props.put("max_queue_size", "16");
    props.put("result_queue_size", "4");
    props.put("callback_queue_size", "0");
    props.put("overflow_policy", " Block ");
    props.put("result_overflow_policy", "drop_oldest");
    props.put("callback_overflow_policy", "fail");
    props.put("offer_timeout", "0.25");
    props.put("shutdown_timeout", "2");
    props.put("worker_threads", "3");
    props.put("verbose", "true");
    props.put("expected_type", "String, java.util.Map, byte[]");
    props.put("network_timeout", "1.5");
    props.put("client_id_prefix", "tts-client");
    props.put("delay_ms", "25");
    HandlerConfig config = HandlerConfig.fromMap(props);
    assertThat(config.name()).contains("tts");
    assertThat(config.host()).contains("127.0.0.1");
    assertThat(config.port()).contains(8080);
    assertThat(config.auth()).contains("s3cret");
    assertThat(config.runAsThread()).isFalse();
    assertThat(config.maxQueueSize()).isEqualTo(16);
    assertThat(config.resultQueueSize()).isEqualTo(4);
    assertThat(config.callbackQueueSize()).isZero();
    assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.BLOCK);
    assertThat(config.resultOverflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
    assertThat(config.callbackOverflowPolicy()).isEqualTo(OverflowPolicy.FAIL);
    assertThat(config.offerTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.workerThreads()).isEqualTo(3);
    assertThat(config.verbose()).isTrue();
    assertThat(config.expectedTypes()).containsExactly(String.class, Map.class, byte[].class);
    assertThat(config.networkTimeout()).contains(Duration.ofMillis(1500));
    assertThat(config.clientIdPrefix()).isEqualTo("tts-client");
    assertThat(config.extras()).containsEntry("delay_ms", "25");
    assertThat(config.intValue("delay_ms", 0, 0, 1000)).isEqualTo(25);
  }

  @Test
  void fromMapReadsTypedValuesAndUnwrapsSingleElementArrays() {
    BiFunction<Object, Map<String, ?>, Object> callback = (item, extra) -> item;
    HandlerConfig config = HandlerConfig.fromMap(Map.of(
        "max_queue_size", 8L, "verbose", Boolean.TRUE, "network_timeout", 2,
        "expected_type", Integer.class, "generate_results_callback", callback,
        "port", new String[] {"443"}));
    assertThat(config.maxQueueSize()).isEqualTo(8);
    assertThat(config.networkTimeout()).contains(Duration.ofSeconds(2));
    assertThat(config.expectedTypes()).containsExactly(Integer.class);
    assertThat(config.generateResultsCallback()).containsSame(callback);
    assertThat(config.port()).contains(443);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "max_queue_size|-1|an integer >= 0 (0 = unbounded)",
      "max_queue_size|lots|an integer >= 0 (0 = unbounded)",
      "max_queue_size|1.5|an integer >= 0 (0 = unbounded)",
      "result_queue_size|-5|an integer >= 0 (0 = unbounded)",
      "callback_queue_size|x|an integer >= 0 (0 = unbounded)",
      "port|0|an integer from 1 to 65535",
      "port|65536|an integer from 1 to 65535",
      "port|http|an integer from 1 to 65535",
      "overflow_policy|drop_everything|one of drop_newest, drop_oldest, block, fail",
      "result_overflow_policy|wait|one of drop_newest, drop_oldest, block, fail",
      "callback_overflow_policy|block|drop_newest, drop_oldest or fail (callbacks never block their caller)",
      "run_as_thread|yes|true or false",
      "disable_thread|1|true or false",
      "verbose|maybe|true or false",
      "offer_timeout|-1|a number of seconds >= 0, decimals allowed",
      "shutdown_timeout|NaN|a number of seconds >= 0, decimals allowed",
      "network_timeout|0|a number of seconds > 0, decimals allowed",
      "network_timeout|soon|a number of seconds > 0, decimals allowed",
      "worker_threads|0|an integer from 1 to 256",
      "worker_threads|1000|an integer from 1 to 256",
      "expected_type|com.example.NoSuchClass|names of classes visible to the handler; 'com.example.NoSuchClass' was not found",
      "name|bad name!|1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
      "client_id_prefix|'  '|a non-blank string",
      "host|'a b'|a host name or address without blanks"})
  void aBadValueNamesTheKeyTheValueAndWhatIsAllowed(String key, String value, String allowed) {
    assertThatThrownBy(() -> HandlerConfig.fromMap(Map.of(key, value)))
        .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.allowed()).isEqualTo(allowed);
          assertThat(e.displayedValue()).contains(value.trim().isEmpty() ? "'" : value);
        })
        .hasMessageStartingWith("invalid value for '" + key + "': '" + value + "' (String); allowed: " + allowed);
  }

  @Test
  void wrongTypesAreRejectedToo() {
    assertThatThrownBy(() -> HandlerConfig.fromMap(Map.of("verbose", 1)))
        .hasMessage("invalid value for 'verbose': '1' (Integer); allowed: true or false");
    assertThatThrownBy(() -> HandlerConfig.fromMap(Map.of("generate_results_callback", "x -> x")))
        .hasMessageContaining("allowed: a java.util.function.BiFunction");
    assertThatThrownBy(() -> HandlerConfig.fromMap(Map.of("host", 42)))
        .hasMessageContaining("invalid value for 'host': '42' (Integer)");
  }

  @Test
  void controlCharactersAreGarbageInAnyTextValueButLineBreaksAreNot() {
    assertThatThrownBy(() -> HandlerConfig.fromMap(Map.of("client_id_prefix", "a\u0000b")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("invalid value for 'client_id_prefix': 'a\\u0000b' (String); "
            + "allowed: a non-blank string, without control characters");
    assertThatThrownBy(() -> HandlerConfig.fromMap(Map.of("mode", "x\u0007")).stringValue("mode", null))
        .hasMessageContaining("'mode'");
    assertThat(HandlerConfig.fromMap(Map.of("grammar", "[\"a\",\n\t\"b\"]\r\n")).stringValue("grammar", null))
        .contains("\n");
  }

  @Test
  void secretsAreMaskedInErrorsAndDisplays() {
    assertThatThrownBy(() -> HandlerConfig.fromMap(Map.of("auth", 12345)))
        .hasMessage("invalid value for 'auth': ******** ; allowed: a string".replace(" ;", ";"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("12345"));
    HandlerConfig config = HandlerConfig.fromMap(Map.of("auth", "hunter2", "api_token", "t0k", "db.password", "pw"));
    assertThat(config.toDisplayMap()).containsEntry("auth", HandlerConfig.MASK)
        .containsEntry("api_token", HandlerConfig.MASK).containsEntry("db.password", HandlerConfig.MASK);
    assertThat(config.toString()).doesNotContain("hunter2", "t0k", "pw\"", "=pw");
    assertThat(config.toMap()).containsEntry("auth", "hunter2");
  }

  @ParameterizedTest
  @CsvSource({"auth,true", "password,true", "admin_token,true", "trust_store_password,true", "client_secret,true",
      "api_key,true", "apikey,true", "x-api-key,true", "credentials,true", "max_queue_size,false", "author,false",
      "tokenizer,false", "host,false", "auth_header,false", "auth_scheme,false"})
  void secretKeysAreRecognizedByName(String key, boolean secret) {
    assertThat(HandlerConfig.isSecretKey(key)).isEqualTo(secret);
  }

  @Test
  void unknownKeysAreKeptForSubclassesAndTheirReadersValidate() {
    HandlerConfig config = HandlerConfig.fromMap(Map.of("delay_ms", "-3", "mode", "loud", "flag", "true"));
    assertThat(config.extras()).containsOnlyKeys("delay_ms", "mode", "flag");
    assertThatThrownBy(() -> config.intValue("delay_ms", 0, 0, 60_000))
        .hasMessage("invalid value for 'delay_ms': '-3' (String); allowed: an integer from 0 to 60000");
    assertThatThrownBy(() -> config.choiceValue("mode", "quiet", List.of("quiet", "normal")))
        .hasMessageContaining("allowed: one of quiet, normal");
    assertThat(config.booleanValue("flag", false)).isTrue();
    assertThat(config.stringValue("absent", "dflt")).isEqualTo("dflt");
    assertThat(config.durationValue("absent", Duration.ofSeconds(3), 0, 10)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void withChangesSomeKeysAndNullRestoresTheDefault() {
    HandlerConfig base = HandlerConfig.builder().maxQueueSize(5).expectedType(Integer.class).name("a").build();
    HandlerConfig changed = base.with(Map.of("max_queue_size", "9"));
    assertThat(changed.maxQueueSize()).isEqualTo(9);
    assertThat(changed.expectedTypes()).containsExactly(Integer.class);
    assertThat(changed.name()).contains("a");
    Map<String, Object> reset = new HashMap<>();
    reset.put("max_queue_size", null);
    assertThat(changed.with(reset).maxQueueSize()).isEqualTo(128);
    assertThat(base.with(Map.of())).isEqualTo(base);
  }

  @Test
  void builderSettersValidateAtOnce() {
    assertThatThrownBy(() -> HandlerConfig.builder().maxQueueSize(-1))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("max_queue_size");
    assertThatThrownBy(() -> HandlerConfig.builder().port(70000)).hasMessageContaining("'port'");
    assertThatThrownBy(() -> HandlerConfig.builder().networkTimeout(Duration.ZERO)).hasMessageContaining("network_timeout");
  }

  @Test
  void errorsCanNameTheirPidAndMissingKeysSaySo() {
    InvalidConfigurationException error = new InvalidConfigurationException("port", "x", "an integer");
    assertThat(error.withPid("dev.maverick.handler.network~tts").getMessage())
        .isEqualTo("configuration dev.maverick.handler.network~tts: invalid value for 'port': 'x' (String); allowed: an integer");
    assertThat(InvalidConfigurationException.missing("name", "a name").withPid("p").getMessage())
        .isEqualTo("configuration p: missing required key 'name'; expected: a name");
  }

  @Test
  void theCallbackPolicyNeverInheritsBlock() {
    HandlerConfig config = HandlerConfig.builder().overflowPolicy(OverflowPolicy.BLOCK).build();
    assertThat(config.resultOverflowPolicy()).isEqualTo(OverflowPolicy.BLOCK);
    assertThat(config.callbackOverflowPolicy()).isEqualTo(OverflowPolicy.DROP_NEWEST);
  }
}
