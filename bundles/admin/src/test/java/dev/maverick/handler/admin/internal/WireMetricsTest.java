package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.wire.WireDropReason;
import dev.maverick.handler.wire.WireLedger;
import dev.maverick.handler.wire.WireState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WireMetricsTest {

  private static WireLedger ledger() {
    Map<String, WireLedger.TargetLedger> targets = new LinkedHashMap<>();
    // 10 taken, 1 filtered, 1 without the selected key: 8 reach each target's row
    targets.put("llm", new WireLedger.TargetLedger("llm", 0, 5, Map.of(WireDropReason.BUFFER_FULL, 1L), 1, 1, 4, 0,
        0, 0, false, Duration.ofSeconds(7)));
    targets.put("echo", new WireLedger.TargetLedger("echo", 0, 8, Map.of(), 0, 0, 4, 0, 0, 0, false, Duration.ZERO));
    return new WireLedger("voice", 10, 1, Map.of(WireDropReason.SELECT_MISSING, 1L), 0, targets, Optional.empty(),
        Duration.ofMillis(7500));
  }

  @Test
  void eachLedgerFigureIsAFamilyLabelledByWireAndTarget() {
    String text = WireMetrics.format(List.of(new WireMetrics.Snapshot("voice", "stt", WireState.RUNNING, ledger())));

    assertThat(text).contains("# TYPE maverick_wire_taken_total counter\n")
        .contains("maverick_wire_taken_total{wire=\"voice\",from=\"stt\"} 10\n")
        .contains("maverick_wire_filtered_total{wire=\"voice\"} 1\n")
        .contains("maverick_wire_delivered_total{wire=\"voice\",target=\"llm\"} 5\n")
        .contains("maverick_wire_delivered_total{wire=\"voice\",target=\"echo\"} 8\n")
        .contains("maverick_wire_dropped_total{wire=\"voice\",target=\"llm\",reason=\"buffer_full\"} 1\n")
        .contains("maverick_wire_dropped_total{wire=\"voice\",target=\"\",reason=\"select_missing\"} 1\n")
        .contains("maverick_wire_dead_lettered_total{wire=\"voice\",target=\"llm\"} 1\n")
        .contains("maverick_wire_buffered{wire=\"voice\",target=\"llm\"} 1\n")
        .contains("maverick_wire_buffer_capacity{wire=\"voice\",target=\"echo\"} 4\n")
        .contains("maverick_wire_blocked_seconds{wire=\"voice\"} 7.5\n")
        .contains("maverick_wire_balanced{wire=\"voice\"} 1\n")
        .contains("maverick_wire_state{wire=\"voice\",state=\"running\"} 1\n")
        .contains("maverick_wire_state{wire=\"voice\",state=\"invalid\"} 0\n");
    long families = text.lines().filter(line -> line.startsWith("# TYPE ")).count();
    assertThat(text.lines().filter(line -> line.startsWith("# HELP "))).hasSize((int) families);
    assertThat(text.lines().filter(line -> !line.startsWith("#"))).allMatch(line -> line.matches(
        "maverick_wire_[a-z_]+\\{wire=\"voice\"[^}]*\\} [0-9.]+"));
  }

  @Test
  void noWiresNoFamiliesAndLabelValuesAreEscaped() {
    assertThat(WireMetrics.format(List.of())).isEmpty();
    String text = WireMetrics.format(List.of(new WireMetrics.Snapshot("a\"b", "s\\t", WireState.WAITING, ledger())));
    assertThat(text).contains("maverick_wire_taken_total{wire=\"a\\\"b\",from=\"s\\\\t\"} 10\n");
  }
}
