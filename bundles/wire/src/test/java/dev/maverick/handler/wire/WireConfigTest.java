package dev.maverick.handler.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.InvalidConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireConfigTest {

  private static Map<String, Object> minimal() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("name", "voice");
    properties.put("from", "stt");
    properties.put("to", "echo");
    return properties;
  }

  private static Map<String, Object> with(String key, Object value) {
    Map<String, Object> properties = minimal();
    properties.put(key, value);
    return properties;
  }

  private static InvalidConfigurationException refused(Map<String, Object> properties) {
    try {
      WireConfig.fromMap(properties);
    } catch (InvalidConfigurationException e) {
      return e;
    }
    throw new AssertionError("accepted " + properties);
  }

  @Test
  void aMinimalWireHasTheDocumentedDefaults() {
    WireConfig config = WireConfig.fromMap(minimal());
    assertThat(config.name()).isEqualTo("voice");
    assertThat(config.from()).isEqualTo("stt");
    assertThat(config.to()).containsExactly("echo");
    assertThat(config.policy()).isEqualTo(WirePolicy.BLOCK);
    assertThat(config.bufferSize()).isEqualTo(WireConfig.DEFAULT_BUFFER_SIZE);
    assertThat(config.enabled()).isTrue();
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.filter()).isEmpty();
    assertThat(config.select()).isEmpty();
    assertThat(config.deadLetter()).isEmpty();
    assertThat(config.extra()).isEmpty();
  }

  @Test
  void targetsAreAnArrayACollectionOrACommaSeparatedList() {
    assertThat(WireConfig.fromMap(with("to", "llm, echo ,log")).to()).containsExactly("llm", "echo", "log");
    assertThat(WireConfig.fromMap(with("to", new String[] {"llm", "echo"})).to()).containsExactly("llm", "echo");
    assertThat(WireConfig.fromMap(with("to", List.of("llm"))).to()).containsExactly("llm");
  }

  @Test
  void everyValueIsReadFromTextAsFilesWriteIt() {
    Map<String, Object> properties = minimal();
    properties.put("filter", "(partial=false)");
    properties.put("select", "data");
    properties.put("extra", "room=kitchen, lang=en");
    properties.put("policy", "DROP_OLDEST");
    properties.put("buffer_size", "16");
    properties.put("dead_letter", "letters");
    properties.put("enabled", "false");
    properties.put("shutdown_timeout", "0.5");
    WireConfig config = WireConfig.fromMap(properties);
    assertThat(config.filter()).contains("(partial=false)");
    assertThat(config.select()).contains("data");
    assertThat(config.extra()).containsExactly(Map.entry("room", "kitchen"), Map.entry("lang", "en"));
    assertThat(config.policy()).isEqualTo(WirePolicy.DROP_OLDEST);
    assertThat(config.bufferSize()).isEqualTo(16);
    assertThat(config.deadLetter()).contains("letters");
    assertThat(config.enabled()).isFalse();
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(WireConfig.fromMap(config.toProperties())).isEqualTo(config);
    assertThat(config.handlers()).containsExactly("stt", "echo", "letters");
  }

  @Test
  void theFilterMatchesMapResultsOnly() {
    WireConfig config = WireConfig.fromMap(with("filter", "(&(partial=false)(type=audio))"));
    assertThat(config.passes(Map.of("partial", false, "type", "audio"))).isTrue();
    assertThat(config.passes(Map.of("partial", true, "type", "audio"))).isFalse();
    assertThat(config.passes("plain text")).isFalse();
    assertThat(WireConfig.fromMap(minimal()).passes("plain text")).isTrue();
  }

  @Test
  void aBadFilterNamesTheKeyAndShowsAnExample() {
    InvalidConfigurationException e = refused(with("filter", "(partial=false"));
    assertThat(e.key()).isEqualTo("filter");
    assertThat(e.getMessage()).contains("(partial=false", "an LDAP filter", "(partial=false)");
  }

  @Test
  void aTypoIsAnErrorThatNamesTheNearestKey() {
    InvalidConfigurationException e = refused(with("bufer_size", "8"));
    assertThat(e.key()).isEqualTo("bufer_size");
    assertThat(e.getMessage()).contains("did you mean 'buffer_size'?");
    assertThat(refused(with("colour", "red")).getMessage()).contains("a wire's keys are name, from, to");
  }

  @Test
  void frameworkKeysAreIgnoredAndMayNotBeSetInAnyCase() {
    Map<String, Object> properties = with("service.pid", "dev.maverick.handler.wire~voice");
    properties.put("felix.fileinstall.filename", "file:/etc/x.cfg");
    assertThat(WireConfig.fromMap(properties).name()).isEqualTo("voice");
  }

  @Test
  void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
    assertThat(refused(with("policy", "fail")).getMessage())
        .contains("'policy'", "'fail'", "block", "drop_newest", "drop_oldest");
    assertThat(refused(with("buffer_size", 0)).getMessage()).contains("'buffer_size'", "from 1 to 1000000");
    assertThat(refused(with("buffer_size", "lots")).key()).isEqualTo("buffer_size");
    assertThat(refused(with("shutdown_timeout", -1)).getMessage()).contains("'shutdown_timeout'", "seconds from 0");
    assertThat(refused(with("enabled", "yes")).getMessage()).contains("'enabled'", "true or false");
    assertThat(refused(with("from", "st t")).getMessage()).contains("'from'", "a handler name");
    assertThat(refused(with("to", "echo, echo")).getMessage()).contains("'to'", "'echo' is named twice");
    assertThat(refused(with("extra", "room")).getMessage()).contains("'extra'", "'room' has no key=");
    assertThat(refused(with("extra", "wire.from=x")).getMessage()).contains("the wire sets the wire.* extras itself");
    assertThat(refused(with("select", new String[] {"a", "b"})).getMessage()).contains("'select'", "one text value");
    assertThat(refused(with("filter", "${secret}")).getMessage()).contains("'filter'", "${");
  }

  @Test
  void requiredKeysAreNamedWhenMissing() {
    Map<String, Object> properties = minimal();
    properties.remove("to");
    assertThat(refused(properties).getMessage()).contains("missing required key 'to'");
    properties = minimal();
    properties.remove("name");
    assertThat(refused(properties).getMessage()).contains("missing required key 'name'");
  }

  @Test
  void theDeadLetterIsNeitherTheSourceNorATarget() {
    assertThat(refused(with("dead_letter", "echo")).getMessage()).contains("'dead_letter'", "neither the wire's source");
    assertThat(refused(with("dead_letter", "stt")).key()).isEqualTo("dead_letter");
  }

  @Test
  void toMapShowsEveryKeyWithItsEffectiveValue() {
    Map<String, Object> shown = WireConfig.fromMap(with("extra", Map.of("room", "kitchen"))).toMap();
    assertThat(shown).containsOnlyKeys(WireConfig.KEYS);
    assertThat(shown.get("to")).isEqualTo(List.of("echo"));
    assertThat(shown.get("extra")).isEqualTo(Map.of("room", "kitchen"));
    assertThat(shown.get("policy")).isEqualTo("block");
    assertThat(shown.get("shutdown_timeout")).isEqualTo(5.0);
  }
}
