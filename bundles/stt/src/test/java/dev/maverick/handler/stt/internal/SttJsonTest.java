package dev.maverick.handler.stt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SttJsonTest {
  private final SttJson json = new SttJson();

  @Test
  void readsVosksResultsWithTheirSpacesAndNewlines() {
    assertThat(json.text("{\n  \"text\" : \"turn on the light\"\n}", "text")).isEqualTo("turn on the light");
    assertThat(json.text("{\n  \"partial\" : \"\"\n}", "partial")).isEmpty();
    assertThat(json.text("{\"result\": [{\"conf\": 1.0, \"word\": \"hi\"}], \"text\": \"hi\"}", "text")).isEqualTo("hi");
    assertThat(json.text("{}", "text")).isEmpty();
    assertThat(json.text("{\"text\": 3}", "text")).as("not text").isEmpty();
  }

  @Test
  void writesPhrasesThatReadBack() {
    List<String> phrases = List.of("turn on", "say \"hi\"", "back\\slash", "[unk]");
    List<String> back = new java.util.ArrayList<>();
    json.read(json.phrases(phrases)).forEach(node -> back.add(node.textValue()));
    assertThat(back).isEqualTo(phrases);
  }

  @Test
  void saysWhatIsWrongAndWhereWithoutQuotingTheInput() {
    assertThatThrownBy(() -> json.read("[\"a\" \"secret\"]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON: ").hasMessageContaining("column").hasMessageNotContaining("secret");
    assertThatThrownBy(() -> json.read("[1] x")).hasMessageStartingWith("not valid JSON: ");
    assertThatThrownBy(() -> json.read("")).hasMessage("not valid JSON: there is no value");
  }
}
