package dev.maverick.handler.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maverick.handler.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** response_pointer: hits, misses that say where they stopped, arrays, escapes, and bad pointers. */
class ResponsePointerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = """
      {"id": "chatcmpl-1", "object": "chat.completion",
       "choices": [{"index": 0, "message": {"role": "assistant", "content": "Paris."}, "finish_reason": "stop"},
                   {"index": 1, "message": {"role": "assistant", "content": null}}],
       "usage": {"prompt_tokens": 9, "total_tokens": 11},
       "a/b": {"m~n": "escaped"}, "": {"": "empty keys"}, "7": "a key that looks like an index"}""";

  private static Object body(String json) throws Exception {
    return JSON.readValue(json, Object.class);
  }

  private static Object select(String pointer, String json) throws Exception {
    return ResponsePointer.parse(pointer).select(body(json), Secrets.none());
  }

  @Test
  void aPointerPicksTheValueWithItsType() throws Exception {
    assertThat(select("/choices/0/message/content", CHAT)).isEqualTo("Paris.");
    assertThat(select("/choices/0/message", CHAT)).isEqualTo(Map.of("role", "assistant", "content", "Paris."));
    assertThat(select("/usage/total_tokens", CHAT)).isEqualTo(11);
    assertThat(select("/choices/1/message/content", CHAT)).as("a JSON null is null").isNull();
    assertThat((List<?>) select("/choices", CHAT)).hasSize(2);
    assertThat(select("/a~1b/m~0n", CHAT)).as("~1 is '/', ~0 is '~'").isEqualTo("escaped");
    assertThat(select("//", CHAT)).as("'/' names the empty key, not the document").isEqualTo("empty keys");
    assertThat(select("/7", CHAT)).as("a number is a key of an object").isEqualTo("a key that looks like an index");
    assertThat(select("/1", "[\"a\", \"b\"]")).isEqualTo("b");
    assertThat(select("  /choices/0/index ", CHAT)).as("surrounding spaces ignored").isEqualTo(0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/choices/0/message/text   | /choices/0/message is an object with the keys [role, content], with no key \"text\"",
      "/choices/2/message        | /choices is an array of 2 element(s), with no element 2",
      "/choices/-/message        | /choices is an array of 2 element(s), with no element -",
      "/choices/01               | /choices is an array of 2 element(s), with no element 01",
      "/choices/first            | /choices is an array of 2 element(s), with no element first",
      "/id/0                     | /id is a string (\"chatcmpl-1\"), with nothing inside",
      "/usage/total_tokens/x     | /usage/total_tokens is a number (11), with nothing inside",
      "/choices/1/message/content/x | /choices/1/message/content is null, with nothing inside",
      "/error/message            | the response is an object with the keys [id, object, choices, usage, a/b, , 7], with no key \"error\"",
  })
  void aMissNamesThePointerAndWhatTheResponseHadWhereItStoppedMatching(String pointer, String where) {
    assertThatThrownBy(() -> select(pointer, CHAT)).isInstanceOf(ResponsePointer.Miss.class)
        .hasMessage("response_pointer " + pointer.strip() + " matched nothing: " + where);
  }

  @Test
  void aMissInsideAnEmptyOrScalarResponseSaysSo() {
    assertThatThrownBy(() -> select("/choices/0", "{\"choices\": []}"))
        .hasMessage("response_pointer /choices/0 matched nothing: /choices is an empty array, with no element 0");
    assertThatThrownBy(() -> select("/choices", "{}"))
        .hasMessage("response_pointer /choices matched nothing: the response is an empty object, with no key \"choices\"");
    assertThatThrownBy(() -> select("/choices", "\"overloaded\""))
        .hasMessage("response_pointer /choices matched nothing: the response is a string (\"overloaded\"), with nothing inside");
    assertThatThrownBy(() -> select("/choices", "true"))
        .hasMessage("response_pointer /choices matched nothing: the response is a boolean (true), with nothing inside");
    assertThatThrownBy(() -> ResponsePointer.parse("/choices").select(null, Secrets.none()))
        .hasMessage("response_pointer /choices matched nothing: the response is null, with nothing inside");
  }

  @Test
  void whatAMissShowsIsMaskedBeforeItIsCut() throws Exception {
    String secret = "sk_live_0123456789abcdefghij";
    Secrets secrets = Secrets.of(List.of(secret), null);
    String padding = "p".repeat(115); // the secret starts 5 characters before the cut at 120
    Object body = body("{\"detail\": \"" + padding + secret + "\", \"" + secret + "\": 1}");
    assertThatThrownBy(() -> ResponsePointer.parse("/detail/x").select(body, secrets))
        .hasMessageContaining("/detail is a string (\"" + padding + "*****...\")")
        .hasMessageNotContaining("sk_l");
    assertThatThrownBy(() -> ResponsePointer.parse("/missing").select(body, secrets))
        .hasMessageContaining("the keys [detail, ********]").hasMessageNotContaining("sk_l");
    String longString = "x".repeat(500);
    assertThatThrownBy(() -> ResponsePointer.parse("/a/b").select(Map.of("a", longString), Secrets.none()))
        .hasMessageContaining("a string (\"" + "x".repeat(120) + "...\")");
  }

  @ParameterizedTest
  @ValueSource(strings = {"choices/0", "#/choices", "/choices/~2", "/choices~", "/a~b", "x"})
  void aBadPointerIsAConfigurationErrorNamingTheKeyAndTheRule(String pointer) {
    assertThatThrownBy(() -> ResponsePointer.parse(pointer)).isInstanceOf(InvalidConfigurationException.class)
        .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo("response_pointer"))
        .hasMessageContaining("invalid value for 'response_pointer': '" + pointer + "'")
        .hasMessageContaining("allowed: an RFC 6901 JSON pointer");
  }

  @Test
  void aBlankPointerIsNone() {
    assertThat(ResponsePointer.parse("")).isNull();
    assertThat(ResponsePointer.parse("   ")).isNull();
  }
}
