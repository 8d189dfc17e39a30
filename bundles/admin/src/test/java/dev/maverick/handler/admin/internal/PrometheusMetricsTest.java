package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.StatsCount;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {

  @Test
  void everyFamilyHasHelpAndTypeAndOneSamplePerHandler() {
    HandlerStats a = HandlerStats.builder().identity("a", "client-1").state(HandlerState.RUNNING).threading(true, false)
        .count(StatsCount.FED, 10).count(StatsCount.ACCEPTED, 9).count(StatsCount.GENERATED, 1)
        .count(StatsCount.PROCESSED, 8).count(StatsCount.IN_FLIGHT, 1).count(StatsCount.ITEM_ERRORS, 1)
        .queueSizes(3, 2, 0).queueCapacities(128, 64, 0)
        .dropped(DropReason.QUEUE_FULL, 1).build();
    HandlerStats b = HandlerStats.builder().identity("b\"q", "client-2").build();
    String text = PrometheusMetrics.format(List.of(new PrometheusMetrics.Snapshot("a", "echo", a),
        new PrometheusMetrics.Snapshot("b\"q", "net\\work", b)));

    assertThat(text).contains("# HELP maverick_handler_processed_total ")
        .contains("# TYPE maverick_handler_processed_total counter\n")
        .contains("maverick_handler_processed_total{handler=\"a\",kind=\"echo\"} 8\n")
        .contains("maverick_handler_dropped_total{handler=\"a\",kind=\"echo\",reason=\"queue_full\"} 1\n")
        .contains("maverick_handler_queue_depth{handler=\"a\",kind=\"echo\",queue=\"input\"} 3\n")
        .contains("maverick_handler_queue_capacity{handler=\"a\",kind=\"echo\",queue=\"result\"} 64\n")
        .contains("maverick_handler_state{handler=\"a\",kind=\"echo\",state=\"running\"} 1\n")
        .contains("maverick_handler_state{handler=\"a\",kind=\"echo\",state=\"failed\"} 0\n")
        // label values escaped
        .contains("maverick_handler_processed_total{handler=\"b\\\"q\",kind=\"net\\\\work\"} 0\n");
    long families = text.lines().filter(line -> line.startsWith("# TYPE ")).count();
    assertThat(text.lines().filter(line -> line.startsWith("# HELP "))).hasSize((int) families);
    assertThat(text.lines().filter(line -> line.startsWith("maverick_handler_in_flight{"))).hasSize(2);
  }
}
