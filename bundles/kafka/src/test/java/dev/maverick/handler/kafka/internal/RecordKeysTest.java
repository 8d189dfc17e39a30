package dev.maverick.handler.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordKeysTest {

  @Test
  void anExtraComesBeforeAFieldOfTheItem() {
    assertThat(RecordKeys.find("robot", Map.of("robot", "field"), Map.of("robot", "extra"))).isEqualTo("extra");
    assertThat(RecordKeys.find("robot", Map.of("robot", "field"), Map.of())).isEqualTo("field");
  }

  @Test
  void aDottedNameIsAPathOfFieldsUnlessAnExtraOrFieldHasIt() {
    Map<String, Object> echoed = Map.of("echo", "hi", "meta", Map.of("robot", "r7"));
    assertThat(RecordKeys.find("meta.robot", echoed, Map.of())).isEqualTo("r7");
    assertThat(RecordKeys.find("wire.from", echoed, Map.of("wire.from", "upper"))).isEqualTo("upper");
    assertThat(RecordKeys.find("a.b", Map.of("a.b", 1, "a", Map.of("b", 2)), Map.of())).isEqualTo(1);
  }

  @Test
  void nothingFoundIsNull() {
    assertThat(RecordKeys.find("robot", "a string item", Map.of())).isNull();
    assertThat(RecordKeys.find("meta.robot", Map.of("meta", "flat"), Map.of())).isNull();
    assertThat(RecordKeys.find("robot", Map.of(), null)).isNull();
  }
}
