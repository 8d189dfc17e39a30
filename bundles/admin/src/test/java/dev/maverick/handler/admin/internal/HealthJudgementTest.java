package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import java.util.List;
import java.util.Map;
import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;

class HealthJudgementTest {

  /** A handler that reports its current problems in its stats' details, as speech to text and Kafka do. */
  private static final class Troubled extends ArchitectureHandler<String, String> {
    private volatile List<String> warnings = List.of();

    Troubled() {
      super(HandlerConfig.fromMap(Map.of("name", "troubled", "auth", "s3cret-key")));
    }

    @Override
    protected Map<String, Object> statsDetails() {
      return Map.of(HandlerStats.WARNINGS, warnings);
    }
  }

  @Test
  void eachWarningAHandlerReportsIsAWarn() {
    try (Troubled handler = new Troubled()) {
      Redaction redaction = Redaction.of(handler, java.util.Optional.empty());
      assertThat(HealthJudgement.judge("troubled", handler.stats(), 0, null, redaction).getStatus())
          .isEqualTo(Result.Status.OK);

      handler.warnings = List.of("disconnected", "broker unreachable: s3cret-key rejected");
      Result result = HealthJudgement.judge("troubled", handler.stats(), 0, null, redaction);
      assertThat(result.getStatus()).isEqualTo(Result.Status.WARN);
      assertThat(result.toString()).contains("handler 'troubled': disconnected")
          .contains("broker unreachable: ******** rejected").doesNotContain("s3cret-key");
    }
  }

  @Test
  void aRejectedChangeAndRecentDropsAreWarnings() {
    try (Troubled handler = new Troubled()) {
      Redaction redaction = Redaction.of(handler, java.util.Optional.empty());
      Result rejected = HealthJudgement.judge("troubled", handler.stats(), 0, "invalid value for 'port'", redaction);
      assertThat(rejected.getStatus()).isEqualTo(Result.Status.WARN);
      assertThat(rejected.toString()).contains("its last configuration change was rejected");
      assertThat(HealthJudgement.judge("troubled", handler.stats(), 3, null, redaction).toString())
          .contains("3 dropped in the last minute");
    }
  }
}
