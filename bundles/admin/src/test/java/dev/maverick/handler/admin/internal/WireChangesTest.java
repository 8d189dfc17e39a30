package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.wire.WireConfig;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireChangesTest {

  @Test
  void jsonNumbersAndListsBecomeValuesTheWiresKeysTake() {
    assertThat(WireChanges.fromJson(BigInteger.valueOf(64))).isEqualTo(64L);
    assertThat(WireChanges.fromJson(new BigInteger("123456789012345678901234567890"))).isEqualTo(
        "123456789012345678901234567890");
    assertThat(WireChanges.fromJson(new BigDecimal("0.5"))).isEqualTo(0.5);
    assertThat(WireChanges.fromJson(List.of("llm", "echo"))).isEqualTo(List.of("llm", "echo"));
    // the wire's own rules then read them
    WireConfig config = WireConfig.fromMap(Map.of("name", "w", "from", "a", "to", WireChanges.fromJson(List.of("b", "c")),
        "buffer_size", WireChanges.fromJson(BigInteger.valueOf(64)),
        "shutdown_timeout", WireChanges.fromJson(new BigDecimal("0.5"))));
    assertThat(config.bufferSize()).isEqualTo(64);
    assertThat(config.to()).containsExactly("b", "c");
  }

  @Test
  void anExtraUnderASecretKeyIsShownMasked() {
    WireConfig config = WireConfig.fromMap(Map.of("name", "w", "from", "a", "to", "b",
        "extra", List.of("api_token=abc123", "room=kitchen")));
    Map<String, Object> shown = WireViews.displayConfig(config);
    assertThat(shown.get("extra")).isEqualTo(Map.of("api_token", HandlerConfig.MASK, "room", "kitchen"));
    assertThat(shown.toString()).doesNotContain("abc123");
  }
}
