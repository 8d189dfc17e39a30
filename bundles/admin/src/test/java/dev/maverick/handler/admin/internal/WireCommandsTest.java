package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.wire.WireConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireCommandsTest {

  @Test
  void aWireIsDescribedWithItsProblemsConfigurationAndLedgerInLines() {
    Map<String, Object> wire = new LinkedHashMap<>();
    wire.put("name", "voice");
    wire.put("from", "stt");
    wire.put("to", List.of("llm", "echo"));
    wire.put("state", "running");
    wire.put("error", null);
    wire.put("warnings", List.of("blocked for 7 s delivering to 'llm' (it takes nothing: its input queue is full)"));
    wire.put("config", WireViews.displayConfig(WireConfig.fromMap(Map.of("name", "voice", "from", "stt",
        "to", "llm,echo", "extra", "room=kitchen"))));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("delivered", 3);
    wire.put("ledger", Map.of("taken", 3, "targets", Map.of("llm", row)));

    String text = WireCommands.describe(wire);

    assertThat(text).startsWith("wire voice (stt -> llm, echo): running\n")
        .contains("\nwarning: blocked for 7 s delivering to 'llm'")
        .containsPattern("\\n +buffer_size +128\\n")
        .containsPattern("\\n +extra +\\{room=kitchen\\}")
        .containsPattern("\\n +taken +3")
        .containsPattern("\\n +targets\\.llm\\.delivered +3")
        .doesNotContain("refused:");
  }
}
