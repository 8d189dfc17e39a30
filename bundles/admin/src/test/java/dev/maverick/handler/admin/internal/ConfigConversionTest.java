package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;

class ConfigConversionTest {

  @Test
  void theMetatypeDecidesTheStoredType() {
    assertThat(ConfigConversion.toConfigValue("max_queue_size", "7", definition(AttributeDefinition.INTEGER, 0), null))
        .isEqualTo(7);
    assertThat(ConfigConversion.toConfigValue("max_queue_size", 7L, definition(AttributeDefinition.INTEGER, 0), null))
        .isEqualTo(7);
    assertThat(ConfigConversion.toConfigValue("run_as_thread", "false", definition(AttributeDefinition.BOOLEAN, 0), null))
        .isEqualTo(false);
    assertThat(ConfigConversion.toConfigValue("offer_timeout", 2, definition(AttributeDefinition.DOUBLE, 0), null))
        .isEqualTo(2.0);
    assertThat(ConfigConversion.toConfigValue("hosts", "a, b", definition(AttributeDefinition.STRING, 5), null))
        .isEqualTo(new String[] {"a", "b"});
    assertThat(ConfigConversion.toConfigValue("ports", List.of(1, "2"), definition(AttributeDefinition.INTEGER, -5), null))
        .isEqualTo(List.of(1, 2));
  }

  @Test
  void aValueThatCannotTakeTheTypeNamesKeyValueAndRule() {
    assertThatThrownBy(() -> ConfigConversion.toConfigValue("max_queue_size", "lots",
        definition(AttributeDefinition.INTEGER, 0), null))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'max_queue_size'").hasMessageContaining("lots").hasMessageContaining("an integer");
    assertThatThrownBy(() -> ConfigConversion.toConfigValue("max_queue_size", 1.5,
        definition(AttributeDefinition.INTEGER, 0), null)).isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> ConfigConversion.toConfigValue("verbose", "yes", definition(AttributeDefinition.BOOLEAN, 0),
        null)).hasMessageContaining("true or false");
    assertThatThrownBy(() -> ConfigConversion.toConfigValue("name", List.of("a", "b"),
        definition(AttributeDefinition.STRING, 0), null)).hasMessageContaining("a single value");
  }

  @Test
  void numbersThatAreNotFiniteCannotBeStored() {
    for (Object value : new Object[] {"NaN", "1e999", "-Infinity", Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> ConfigConversion.toConfigValue("shutdown_timeout", value,
          definition(AttributeDefinition.DOUBLE, 0), null)).as(String.valueOf(value))
          .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("finite");
    }
    assertThatThrownBy(() -> ConfigConversion.toConfigValue("ratio", "1e40", definition(AttributeDefinition.FLOAT, 0),
        null)).isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> ConfigConversion.toConfigValue("offer_timeout", "NaN", null, 1.0))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void aSecretIsNeverEchoedInAnError() {
    assertThatThrownBy(() -> ConfigConversion.toConfigValue("auth", List.of("hunter2", "x"),
        definition(AttributeDefinition.PASSWORD, 0), null))
        .hasMessageNotContaining("hunter2").hasMessageContaining("********");
  }

  @Test
  void withoutMetatypeAStoredStringStaysAString() {
    // a key read from a .cfg file is a string: keep it one, so the file round-trips
    assertThat(ConfigConversion.toConfigValue("max_queue_size", 9, null, "128")).isEqualTo("9");
    assertThat(ConfigConversion.toConfigValue("max_queue_size", "9", null, 128L)).isEqualTo(9L);
    assertThat(ConfigConversion.toConfigValue("flags", "a,b", null, new String[] {"x"}))
        .isEqualTo(new String[] {"a", "b"});
  }

  @Test
  void withoutMetatypeOrStoredValueJsonTypesAreKept() {
    assertThat(ConfigConversion.toConfigValue("k", "text", null, null)).isEqualTo("text");
    assertThat(ConfigConversion.toConfigValue("k", 3, null, null)).isEqualTo(3);
    assertThat(ConfigConversion.toConfigValue("k", true, null, null)).isEqualTo(true);
    assertThat(ConfigConversion.toConfigValue("k", List.of("a", 1), null, null)).isEqualTo(new String[] {"a", "1"});
    assertThat(ConfigConversion.toConfigValue("k", null, null, "old")).isNull();
    assertThatThrownBy(() -> ConfigConversion.toConfigValue("k", Map.of("a", 1), null, null))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  private static AttributeDefinition definition(int type, int cardinality) {
    return new AttributeDefinition() {
      @Override
      public String getName() {
        return "test";
      }

      @Override
      public String getID() {
        return "test";
      }

      @Override
      public String getDescription() {
        return "";
      }

      @Override
      public int getCardinality() {
        return cardinality;
      }

      @Override
      public int getType() {
        return type;
      }

      @Override
      public String[] getOptionValues() {
        return null;
      }

      @Override
      public String[] getOptionLabels() {
        return null;
      }

      @Override
      public String validate(String value) {
        return null;
      }

      @Override
      public String[] getDefaultValue() {
        return null;
      }
    };
  }
}
