package dev.maverick.handler.kafka.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maverick.handler.testing.kafka.KafkaBroker;
import dev.maverick.handler.testing.kafka.OrderChecker;
import dev.maverick.handler.testing.kafka.TopicChecker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's harness on a couple of thousand records, in `mvn verify`: both loops carry every
 * record, and the handlers' output is the input echoed, in order per key, with no duplicate. It
 * checks that what is measured is right; it asserts no timing.
 */
class KafkaBenchSmokeTest {
  private static final int RECORDS = 2000;

  @Test
  void bothLoopsCarryEveryRecordAndTheHandlersKeepTheOrderOfEachKey() throws Exception {
    String bootstrap = KafkaBroker.shared().bootstrapServers();
    KafkaBench.Result result = KafkaBench.measure(bootstrap, RECORDS, 1, 4, Map.of());
    assertThat(result.bare()).singleElement().satisfies(rate -> assertThat(rate).isPositive());
    assertThat(result.handlers()).singleElement().satisfies(rate -> assertThat(rate).isPositive());

    ObjectMapper mapper = new ObjectMapper();
    OrderChecker handlers = TopicChecker.check(bootstrap, result.handlersOutput().get(0),
        value -> sequence(mapper, value), RECORDS, Duration.ofMillis(200), Duration.ofSeconds(30));
    assertThat(handlers.distinct()).isEqualTo(RECORDS);
    assertThat(handlers.duplicates()).isZero();
    assertThat(handlers.violations()).isEmpty();
    System.out.print(result.table());
  }

  private static long sequence(ObjectMapper mapper, byte[] value) {
    try {
      Map<?, ?> echoed = mapper.readValue(value, Map.class);
      return ((Number) ((Map<?, ?>) echoed.get("echo")).get("seq")).longValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
