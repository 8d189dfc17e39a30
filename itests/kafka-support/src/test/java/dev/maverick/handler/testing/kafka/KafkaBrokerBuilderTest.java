package dev.maverick.handler.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaBrokerBuilderTest {

  @Test
  void aClusterIdNeverStartsWithADashWhichTheStorageToolWouldTakeForAnOption() {
    for (int i = 0; i < 5000; i++) {
      assertThat(KafkaBrokerBuilder.clusterId()).hasSize(22).doesNotStartWith("-").matches("[A-Za-z0-9_-]+");
    }
  }
}
