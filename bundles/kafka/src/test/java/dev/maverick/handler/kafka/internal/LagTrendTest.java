package dev.maverick.handler.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LagTrendTest {
  private static final long SECOND = 1_000_000_000L;
  private final LagTrend trend = new LagTrend(Duration.ofSeconds(10));

  @Test
  void aLagThatGrowsAtEverySampleForThirtySecondsWarns() {
    trend.observe(100, 0);
    trend.observe(150, 10 * SECOND);
    trend.observe(220, 20 * SECOND);
    assertThat(trend.warning()).as("two growths are not yet a trend").isEmpty();
    trend.observe(300, 30 * SECOND);
    assertThat(trend.warning()).hasValueSatisfying(text -> assertThat(text).contains("from 100 to 300"));
  }

  @Test
  void oneSampleThatHoldsStillEndsTheWarning() {
    for (int i = 0; i < 4; i++) {
      trend.observe(100 + i, i * 10 * SECOND);
    }
    assertThat(trend.warning()).isPresent();
    trend.observe(103, 40 * SECOND);
    assertThat(trend.warning()).isEmpty();
  }

  @Test
  void samplesCloserThanTheIntervalAreIgnored() {
    trend.observe(100, 0);
    for (int i = 1; i < 50; i++) {
      trend.observe(100 + i, i * SECOND / 10);
    }
    assertThat(trend.warning()).isEmpty();
  }

  @Test
  void aSteadyLagNeverWarns() {
    for (int i = 0; i < 10; i++) {
      trend.observe(5000, i * 10 * SECOND);
    }
    assertThat(trend.warning()).isEmpty();
  }
}
