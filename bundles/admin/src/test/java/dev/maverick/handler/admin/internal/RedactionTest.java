package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private static final String SECRET = "Zq9vKx7Wm2Lp4Rt8";
  private final Redaction redaction = Redaction.of(List.of(SECRET));

  @Test
  void aWholeSecretIsMaskedWhereverItIs() {
    assertThat(redaction.mask("HTTP 401: bad key " + SECRET + " for " + SECRET)).isEqualTo(
        "HTTP 401: bad key ******** for ********");
  }

  @Test
  void aSecretCutShortBySomeonesExcerptIsMaskedToo() {
    assertThat(redaction.mask("{\"error\": \"xxxxZq9...")).isEqualTo("{\"error\": \"xxxx********...");
    assertThat(redaction.mask("body: Zq9vKx\u2026 more")).isEqualTo("body: ********\u2026 more");
    assertThat(redaction.mask("...Lp4Rt8 tail")).isEqualTo("...******** tail");
    assertThat(redaction.mask("x Z...")).as("one character before a cut").isEqualTo("x ********...");
    assertThat(redaction.mask("nothing... here")).as("a cut elsewhere is left alone").isEqualTo("nothing... here");
  }

  @Test
  void maskingComesBeforeCutting() {
    String text = "x".repeat(10) + SECRET + "y".repeat(10);
    String shown = redaction.shown(text, 14);
    assertThat(shown).doesNotContain("Zq").startsWith("xxxxxxxxxx****").endsWith("...");
  }

  @Test
  void everyStringInAValueIsMasked() {
    Object masked = redaction.maskAll(Map.of("details", Map.of("last_error", "key " + SECRET, "n", 3),
        "list", List.of(SECRET)));
    assertThat(masked.toString()).doesNotContain(SECRET).contains("key ********").contains("n=3");
  }

  @Test
  void aHandlersSecretKeysAndTheAdminTokenAreTheSecrets() {
    try (ArchitectureHandler<Object, Object> handler = new ArchitectureHandler<>(HandlerConfig.fromMap(Map.of(
        "name", "h", "auth", SECRET, "trust_store_password", "pw-123456", "note", "public-value"))) {}) {
      Redaction of = Redaction.of(handler, Optional.of("admin-token-1"));
      assertThat(of.mask(SECRET + " pw-123456 admin-token-1 public-value"))
          .isEqualTo("******** ******** ******** public-value");
    }
  }
}
