package dev.maverick.handler.network.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.HandlerConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets: which forms of a secret are masked, and that text is masked before it is cut. */
class SecretFormsTest {
  private static final String KEY = "Zq\"7/+ <&W'k_w9x\u00e9";

  @Test
  void everyFormOfASecretIsMaskedWhateverItsCase() {
    Secrets secrets = Secrets.of(List.of(KEY), null);
    byte[] utf8 = KEY.getBytes(StandardCharsets.UTF_8);
    List<String> forms = List.of(KEY, KEY.toUpperCase(), "Zq\\\"7/+ <&W'k_w9x\u00e9", "Zq\\\"7\\/+ <&W'k_w9x\u00e9",
        "Zq\\\"7/+ <&W'k_w9x\\u00e9", "Zq\\\"7\\/+ <&W'k_w9x\\u00E9", "Zq%227%2F%2B+%3C%26W%27k_w9x%C3%A9",
        "Zq%227%2F%2B%20%3C%26W%27k_w9x%c3%a9", "Zq&quot;7/+ &lt;&amp;W&#39;k_w9x\u00e9", "Zq&quot;7/+ &lt;&amp;W&#x27;k_w9x\u00e9",
        Base64.getEncoder().encodeToString(utf8), Base64.getEncoder().withoutPadding().encodeToString(utf8),
        Base64.getUrlEncoder().encodeToString(utf8), Base64.getUrlEncoder().withoutPadding().encodeToString(utf8));
    for (String form : forms) {
      assertThat(secrets.mask("before " + form + " after")).as(form).isEqualTo("before ******** after");
    }
  }

  @Test
  void aBasicCredentialIsMaskedDecodedAndItsPasswordAlone() {
    String basic = Base64.getEncoder().encodeToString("ada:correct horse".getBytes(StandardCharsets.UTF_8));
    Secrets secrets = Secrets.of(List.of(basic), basic);
    assertThat(secrets.mask("Basic " + basic)).isEqualTo("Basic ********");
    assertThat(secrets.mask("user ada:correct horse refused")).isEqualTo("user ******** refused");
    assertThat(secrets.mask("password 'correct horse' is wrong")).isEqualTo("password '********' is wrong");
    assertThat(secrets.mask("ada may try again")).as("the user name is no secret").isEqualTo("ada may try again");
    String shortPassword = Base64.getEncoder().encodeToString("ada:pw".getBytes(StandardCharsets.UTF_8));
    assertThat(Secrets.of(List.of(shortPassword), shortPassword).mask("pw is a word"))
        .as("a derived form under 4 characters would mask ordinary words").isEqualTo("pw is a word");
  }

  @Test
  void aSecretHoldingAnotherIsMaskedWholeAndEveryOccurrenceIsMasked() {
    Secrets secrets = Secrets.of(List.of("abcd", "xxabcdyy"), null);
    assertThat(secrets.mask("xxabcdyy abcd abcdabcd")).isEqualTo("******** ******** ****************");
    assertThat(Secrets.of(List.of("", "x"), null).mask("a x b")).isEqualTo("a ******** b");
    assertThat(Secrets.none().mask("anything")).isEqualTo("anything");
    assertThat(Secrets.of(List.of(""), null).isEmpty()).isTrue();
    assertThat(Secrets.none().mask(null)).isNull();
  }

  @Test
  void anExcerptIsMaskedBeforeItIsCut() {
    Secrets secrets = Secrets.of(List.of("sk_live_0123456789"), null);
    String text = "e".repeat(196) + "sk_live_0123456789 trailing";
    assertThat(secrets.excerpt(text, false, 200)).isEqualTo("e".repeat(196) + "****...");
    assertThat(secrets.excerpt("  short\r\n\tline\u0000  ", false, 200)).isEqualTo("short   line");
    assertThat(secrets.excerpt("x".repeat(200), false, 200)).as("not cut: no ellipsis").isEqualTo("x".repeat(200));
  }

  @Test
  void aTextSomeoneElseCutAlsoLosesTheBeginningOfASecretAtItsEnd() {
    Secrets secrets = Secrets.of(List.of("sk_live_0123456789"), null);
    assertThat(secrets.maskCut("key: sk_li")).isEqualTo("key: ********");
    assertThat(secrets.maskCut("key: s")).isEqualTo("key: ********");
    assertThat(secrets.maskCut("key: sk_li\uFFFD")).as("cut inside a multi-byte character").isEqualTo("key: ********");
    assertThat(secrets.maskCut("key: c2tfbGl2")).as("a cut Base64 form").isEqualTo("key: ********");
    assertThat(secrets.mask("key: sk_li")).as("a text not cut keeps it: it is not the secret").isEqualTo("key: sk_li");
    assertThat(secrets.excerpt("f".repeat(10) + "sk_live_01", true, 200)).isEqualTo("f".repeat(10) + "********");
  }

  @Test
  void theSettingsHoldEverySecretOfTheConfiguration() {
    NetworkSettings settings = NetworkSettings.from(HandlerConfig.fromMap(Map.of("name", "n", "host", "127.0.0.1",
        "auth", "the-auth-value", "api_token", "the-api-token", "client_secret", List.of("first-secret", "second-secret"))));
    assertThat(settings.redact("the-auth-value the-api-token first-secret second-secret THE-API-TOKEN"))
        .isEqualTo("******** ******** ******** ******** ********");
  }
}
