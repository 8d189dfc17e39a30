package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private final JsonCodec json = new JsonCodec();

  @Test
  void itemsBecomePlainJavaValues() {
    Map<String, Object> body = json.parseObject(bytes("{\"item\": {\"n\": 1, \"big\": 12345678901, \"x\": 1.5,"
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
    assertThatThrownBy(() -> json.parse(new byte[0])).isInstanceOf(AdminException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> json.parse(bytes("{\"a\":"))).hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> json.parse(bytes("{} {}"))).hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> json.parseObject(bytes("[1]"))).hasMessageContaining("expected a JSON object, got an array");
  }

  @Test
  void theShellReadsJsonWhenItIsJsonAndTextOtherwise() {
    assertThat(json.tryParse("42")).contains(42);
    assertThat(json.tryParse("\"42\"")).contains("42");
    assertThat(json.tryParse("hello world")).isEmpty();
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
    String written = new String(json.write(Map.of("r", List.of(new Point(1, 2), Optional.of("o"), new int[] {3},
        Thread.State.NEW))), StandardCharsets.UTF_8);
    assertThat(written).isEqualTo("{\"r\":[{\"x\":1,\"y\":2},\"o\",[3],\"NEW\"]}");
    assertThat(new String(json.write(odd), StandardCharsets.UTF_8)).isEqualTo("\"odd\"");
  }

  @Test
  void numbersThatAreNotFiniteAre400() {
    assertThatThrownBy(() -> json.parse(bytes("{\"item\": 1e999}"))).isInstanceOf(AdminException.class)
        .hasMessageContaining("1E+999").hasMessageContaining("not a finite");
    assertThatThrownBy(() -> json.parse(bytes("[-1e400]"))).hasMessageContaining("not a finite");
    assertThatThrownBy(() -> json.tryParse("1e999")).isInstanceOf(AdminException.class);
    assertThat(json.parse(bytes("1.7976931348623157e308"))).isEqualTo(Double.MAX_VALUE);
    assertThat(json.parse(bytes("1e-400"))).isEqualTo(0.0);
  }

  @Test
  void bodiesNestedDeeperThanTheApiGivesBackAre400() {
    String deep = "[".repeat(999) + "]".repeat(999);
    assertThatThrownBy(() -> json.parse(bytes("{\"item\": " + deep + "}"))).isInstanceOf(AdminException.class)
        .hasMessageContaining("at most " + JsonCodec.MAX_DEPTH + " levels deep");
    Object item = json.parseObject(bytes("{\"item\": " + "[".repeat(100) + "]".repeat(100) + "}")).get("item");
    assertThat(JsonCodec.depth(item, 1000)).isEqualTo(100);
    assertThat(JsonCodec.depth("scalar", 10)).isZero();
    assertThat(JsonCodec.depth(Map.of("a", List.of(1)), 10)).isEqualTo(2);
  }

  @Test
  void forgettingClassesKeepsTheCodecWorking() {
    record Point(int x, int y) {}
    assertThat(new String(json.write(new Point(1, 2)), StandardCharsets.UTF_8)).isEqualTo("{\"x\":1,\"y\":2}");
    json.forgetClasses();
    assertThat(new String(json.write(new Point(3, 4)), StandardCharsets.UTF_8)).isEqualTo("{\"x\":3,\"y\":4}");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
