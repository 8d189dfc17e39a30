package dev.maverick.handler.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.ds.KindMetatype;
import dev.maverick.handler.ds.testing.MetatypeContract;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published description of a wire's configuration is what WireConfig reads, and the README documents it. */
class WireMetatypeTest {
  private final KindMetatype metatype = MetatypeContract.read(Wire.FACTORY_PID);

  @Test
  void theMetatypeDeclaresExactlyTheKeysAWireAccepts() {
    assertThat(metatype.factory()).isTrue();
    assertThat(metatype.keys()).containsExactlyElementsOf(WireConfig.KEYS);
    assertThat(metatype.attribute("policy").options()).containsExactly("block", "drop_newest", "drop_oldest");
    assertThat(metatype.attribute("to").cardinality()).isPositive();
  }

  @Test
  void everyDocumentedDefaultIsTheOneInForce() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("name", "w");
    properties.put("from", "a");
    properties.put("to", "b");
    MetatypeContract.assertDefaultsAreEffective(metatype, WireConfig.fromMap(properties).toMap());
  }

  @Test
  void theReadmeHasARowForEveryKey() {
    MetatypeContract.assertDocumented(Path.of("README.md"), WireConfig.KEYS);
  }
}
