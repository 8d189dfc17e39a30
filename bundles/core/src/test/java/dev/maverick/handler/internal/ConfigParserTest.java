package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.OverflowPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Each of the core's keys has one rule, whichever way its value comes: a typed setter, or its configuration form. */
class ConfigParserTest {

  private static String refusal(Runnable setting) {
    try {
      setting.run();
    } catch (InvalidConfigurationException e) {
      return e.getMessage();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void aTypedSetterAndTheConfigurationFormRefuseAValueWithTheSameWords() {
    assertThat(refusal(() -> HandlerConfig.builder().port(0)))
        .isEqualTo(refusal(() -> HandlerConfig.builder().set("port", 0)))
        .endsWith("allowed: an integer from 1 to 65535");
    assertThat(refusal(() -> HandlerConfig.builder().workerThreads(300)))
        .isEqualTo(refusal(() -> HandlerConfig.builder().set("worker_threads", 300)));
    assertThat(refusal(() -> HandlerConfig.builder().maxQueueSize(-1)))
        .isEqualTo(refusal(() -> HandlerConfig.builder().set("max_queue_size", -1)));
    assertThat(refusal(() -> HandlerConfig.builder().networkTimeout(Duration.ofDays(400))))
        .isEqualTo(refusal(() -> HandlerConfig.builder().set("network_timeout", Duration.ofDays(400))));
    assertThat(refusal(() -> HandlerConfig.builder().clientIdPrefix(" ")))
        .isEqualTo(refusal(() -> HandlerConfig.builder().set("client_id_prefix", " ")));
  }

  @Test
  void aOneElementArrayIsReadAsItsElementForEveryKind() {
    HandlerConfig config = HandlerConfig.fromMap(Map.of("port", new String[] {"443"},
        "verbose", List.of("true"), "offer_timeout", new Object[] {0.5}, "overflow_policy", new String[] {"block"}));
    assertThat(config.port()).contains(443);
    assertThat(config.verbose()).isTrue();
    assertThat(config.offerTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.BLOCK);
  }

  @Test
  void anUnknownKeyIsLeftToTheCaller() {
    HandlerConfig.Builder builder = HandlerConfig.builder();
    assertThat(ConfigParser.set(builder, "delay_ms", "5", null)).isFalse();
    assertThat(ConfigParser.set(builder, "expected_type", "int, String[]", null)).isTrue();
    assertThat(builder.build().expectedTypes()).containsExactly(int.class, String[].class);
  }

  @Test
  void aCopyWithChangesKeepsClassesAndCallbacksAsObjects() {
    Supplier<Object> marker = Object::new;
    HandlerConfig base = HandlerConfig.builder().expectedType(ConfigParserTest.class)
        .generateResultsCallback((item, extra) -> marker).maxQueueSize(5).build();
    HandlerConfig changed = ConfigParser.with(base, Map.of("max_queue_size", 6), null);
    assertThat(changed.expectedTypes()).containsExactly(ConfigParserTest.class);
    assertThat(changed.generateResultsCallback()).containsSame(base.generateResultsCallback().orElseThrow());
    assertThat(changed.maxQueueSize()).isEqualTo(6);
    java.util.HashMap<String, Object> removal = new java.util.HashMap<>();
    removal.put("expected_type", null);
    assertThat(ConfigParser.with(base, removal, null).expectedTypes()).isEmpty();
    assertThatThrownBy(() -> ConfigParser.with(base, Map.of("max_queue_size", "x"), null))
        .isInstanceOf(InvalidConfigurationException.class);
  }
}
