package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypesTest {

  @Test
  void primitivesAreNamedOnceAndMatchedByTheirBox() {
    assertThat(Types.primitiveNamed("int")).isEqualTo(int.class);
    assertThat(Types.primitiveNamed("char")).isEqualTo(char.class);
    assertThat(Types.primitiveNamed("Integer")).isNull();
    assertThat(Types.boxed(double.class)).isEqualTo(Double.class);
    assertThat(Types.boxed(String.class)).isEqualTo(String.class);
    assertThat(Types.isInstanceOfAny(3, List.of(long.class, int.class))).isTrue();
    assertThat(Types.isInstanceOfAny("3", List.of(int.class))).isFalse();
  }

  @Test
  void aMismatchSaysWhatWasExpectedAndWhatCame() {
    assertThat(Types.mismatch(List.of(Integer.class, String.class), 2.5))
        .isEqualTo("item validation failed: expected java.lang.Integer or java.lang.String (expected_type); got java.lang.Double");
    assertThat(Types.mismatch(List.of(), null)).isEqualTo("item rejected by validateItem (got null)");
  }

  static class Plain extends ArchitectureHandler<Object, Object> {
    Plain() {
      super(HandlerConfig.defaults());
    }
  }

  static final class Overriding extends Plain {
    @Override
    protected Object generateResults(Object item, Map<String, ?> extra) {
      return item;
    }
  }

  @Test
  void anOverrideIsFoundInTheSubclassesOnly() {
    assertThat(Types.overrides(Overriding.class, ArchitectureHandler.class, "generateResults", 2)).isTrue();
    assertThat(Types.overrides(Plain.class, ArchitectureHandler.class, "generateResults", 2)).isFalse();
  }
}
