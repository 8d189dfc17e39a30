package dev.maverick.handler.ds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbstractHandlerKindTest {

  /** A kind whose "bundle" (the test class path) publishes a metatype for its PID. */
  static final class Declared extends AbstractHandlerKind {
    Declared() {
      super("declared", "test.kind.declared", false);
    }

    @Override
    protected void checkOwnKeys(HandlerConfig config) {}
  }

  /** A kind without a metatype: it keeps every key for its handler to read, as before. */
  static final class Undeclared extends AbstractHandlerKind {
    Undeclared() {
      super("undeclared", "test.kind.undeclared", false);
    }

    @Override
    protected void checkOwnKeys(HandlerConfig config) {}
  }

  @Test
  void aTypoIsAnErrorThatNamesTheKeyAndTheNearestKnownOne() {
    assertThatThrownBy(() -> new Declared().validate(Map.of("max_queue_szie", 8)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'max_queue_szie'")
        .hasMessageContaining("did you mean 'max_queue_size'?")
        .hasMessageContaining("test.kind.declared");
    assertThatThrownBy(() -> new Declared().validate(Map.of("dealy_ms", 8)))
        .hasMessageContaining("did you mean 'delay_ms'?");
  }

  @Test
  void anUnknownKeyFarFromAnyKnownOneListsTheKeysTheKindDeclares() {
    assertThatThrownBy(() -> new Declared().validate(Map.of("engine", "x")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'engine'")
        .hasMessageContaining("its keys are name, delay_ms, mode, grammar, ");
  }

  @Test
  void declaredKeysTheCoresKeysAndFrameworkKeysAreAccepted() {
    HandlerConfig config = new Declared().validate(Map.of("delay_ms", 5, "mode", "slow", "max_queue_size", 8,
        "host", "example.org", "service.pid", "test.kind.declared~a", "Felix.FileInstall.Filename", "file:/x"));
    assertThat(config.maxQueueSize()).isEqualTo(8);
    assertThat(config.extras()).containsEntry("delay_ms", 5).containsEntry("mode", "slow");
  }

  @Test
  void keysOutsideTheKeyRuleAreRefusedEvenWithoutAMetatype() {
    assertThatThrownBy(() -> new Undeclared().validate(Map.of("bad key", 1)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("letters, digits");
    assertThat(new Undeclared().validate(Map.of("anything_goes", 1)).extras()).containsEntry("anything_goes", 1);
  }

  @Test
  void theMetatypeIsReadWithItsTypesCardinalityAndOptions() {
    KindMetatype metatype = KindMetatype.find(getClass().getClassLoader(), "test.kind.declared").orElseThrow();
    assertThat(metatype.factory()).isTrue();
    assertThat(metatype.keys()).containsExactly("name", "delay_ms", "mode", "grammar");
    assertThat(metatype.attribute("mode").options()).containsExactly("fast", "slow");
    assertThat(metatype.attribute("grammar").cardinality()).isEqualTo(100);
    assertThat(metatype.attribute("grammar").required()).isFalse();
    assertThat(KindMetatype.find(getClass().getClassLoader(), "test.kind.undeclared")).isEmpty();
  }
}
