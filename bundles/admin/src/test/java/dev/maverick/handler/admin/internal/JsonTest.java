package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void itemsBecomePlainJavaValues() {
    Map<String, Object> body = Json.parseObject(bytes("{\"item\": {\"n\": 1, \"big\": 12345678901, \"x\": 1.5,"
        + " \"list\": [true, null, \"s\"]}}"));
    @SuppressWarnings("unchecked")
    Map<String, Object> item = (Map<String, Object>) body.get("item");
    assertThat(item.get("n")).isEqualTo(1);
    assertThat(item.get("big")).isEqualTo(12345678901L);
    assertThat(item.get("x")).isEqualTo(1.5);
    assertThat(item.get("list")).isEqualTo(java.util.Arrays.asList(true, null, "s"));
  }

  @Test
  void badBodiesAre400() {
    assertThatThrownBy(() -> Json.parse(new byte[0])).isInstanceOf(AdminException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> Json.parse(bytes("{\"a\":"))).hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> Json.parse(bytes("{} {}"))).hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> Json.parseObject(bytes("[1]"))).hasMessageContaining("expected a JSON object, got an array");
  }

  @Test
  void theShellReadsJsonWhenItIsJsonAndTextOtherwise() {
    assertThat(Json.tryParse("42")).contains(42);
    assertThat(Json.tryParse("\"42\"")).contains("42");
    assertThat(Json.tryParse("hello world")).isEmpty();
  }

  @Test
  void anyResultCanBeWritten() {
    record Point(int x, int y) {}
    Object odd = new Object() {
      @Override
      public String toString() {
        return "odd";
      }
    };
    String json = new String(Json.write(Map.of("r", List.of(new Point(1, 2), Optional.of("o"), new int[] {3},
        Thread.State.NEW))), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"r\":[{\"x\":1,\"y\":2},\"o\",[3],\"NEW\"]}");
    assertThat(new String(Json.write(odd), StandardCharsets.UTF_8)).isEqualTo("\"odd\"");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
