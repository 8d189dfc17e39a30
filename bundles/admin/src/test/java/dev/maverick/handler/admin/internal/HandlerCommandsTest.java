package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerCommandsTest {

  @Test
  void settingsAreKeyEqualsValueAndAnEmptyValueRemovesTheKey() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("max_queue_size", "64");
    expected.put("host", "a=b");
    expected.put("auth", null);
    assertThat(HandlerCommands.settings("max_queue_size=64", "host=a=b", "auth=")).isEqualTo(expected);
    assertThatThrownBy(() -> HandlerCommands.settings("max_queue_size")).isInstanceOf(AdminException.class)
        .hasMessageContaining("is not key=value");
    assertThatThrownBy(() -> HandlerCommands.settings("=3")).hasMessageContaining("is not key=value");
  }
}
