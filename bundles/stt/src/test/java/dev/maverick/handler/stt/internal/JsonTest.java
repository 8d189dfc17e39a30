package dev.maverick.handler.stt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void readsVosksResults() {
    assertThat(Json.field("{\n  \"text\" : \"turn on the light\"\n}", "text")).isEqualTo("turn on the light");
    assertThat(Json.field("{\n  \"partial\" : \"\"\n}", "partial")).isEmpty();
    assertThat(Json.field("{\"result\": [{\"conf\": 1.0, \"word\": \"hi\"}], \"text\": \"hi\"}", "text")).isEqualTo("hi");
    assertThat(Json.field("{}", "text")).isEmpty();
  }

  @Test
  void parsesEveryKindOfValue() {
    assertThat(Json.parse("{\"a\": [1, -2.5e1, true, false, null, \"x\\ty\\u0041\\\"\"]}"))
        .isEqualTo(Map.of("a", java.util.Arrays.asList(1.0, -25.0, true, false, null, "x\tyA\"")));
  }

  @Test
  void writesPhrasesThatReadBack() {
    List<String> phrases = List.of("turn on", "say \"hi\"", "back\\slash", "[unk]");
    assertThat(Json.parse(Json.stringArray(phrases))).isEqualTo(phrases);
  }

  @Test
  void saysWhereTheErrorIs() {
    assertThatThrownBy(() -> Json.parse("[\"a\" \"b\"]")).hasMessage("not valid JSON: expected ']' at character 6");
    assertThatThrownBy(() -> Json.parse("[\"open")).hasMessageContaining("a string is not closed");
    assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("unexpected text after the value");
  }
}
