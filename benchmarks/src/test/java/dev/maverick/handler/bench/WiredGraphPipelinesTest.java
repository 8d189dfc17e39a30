package dev.maverick.handler.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wires benchmark's three pipelines move items and keep their books, as its JMH trials check
 * at their end: so that a broken pipeline fails {@code mvn verify}, not a benchmark run.
 */
class WiredGraphPipelinesTest {

  @ParameterizedTest
  @ValueSource(strings = {WiredGraphThroughput.WIRED, WiredGraphThroughput.GLUE_LOOP, WiredGraphThroughput.CAMEL})
  void everyFedItemComesOutOfTheThirdStageOnceAndTheBooksAgree(String pipeline) throws Exception {
    Feeder feeder = Feeder.start(WiredGraphThroughput.create(pipeline, 16));
    for (int i = 0; i < 5_000; i++) {
      assertThat(feeder.take()).isNotNull();
    }
    assertThatCode(feeder::stopAndVerify).doesNotThrowAnyException();
    assertThat(feeder.fed()).isGreaterThanOrEqualTo(5_000);
  }
}
