package dev.maverick.handler.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.ds.testing.Eventually;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A wire passes the settle of the result it took as the upstream settlement of the items it offers
 * (core 1.3), so a settle travels along a graph: the source's result is settled only once every
 * target is done with its copy, that is once the target's own result for it has been settled by
 * whoever reads it, and not when the target merely accepted the item. A Kafka source upstream
 * commits its record only then.
 */
class WireUpstreamSettlementTest extends WireFixture {
  private static final Function<Object, Object> SAME = item -> item;
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aSourcesResultSettlesOnlyAfterEveryTargetsResultForItSettles() {
    int count = 20;
    TestHandler source = register(TestHandler.blocking("upper", 32, SAME));
    TestHandler first = register(TestHandler.blocking("first", 32, SAME));
    TestHandler second = register(TestHandler.blocking("second", 32, SAME));
    start(wire("fan", "upper", "first,second"));
    feed(source, "item", count);

    Eventually.until("both targets processed every item", () -> first.stats().processedCount() == count
        && second.stats().processedCount() == count);
    assertThat(source.settled()).as("accepted and processed by the targets, whose results nobody read yet").isZero();

    for (int i = 0; i < count; i++) {
      assertThat(first.getResult(WAIT)).isPresent();
    }
    assertThat(source.settled()).as("the second target's results are still unread").isZero();

    for (int i = 0; i < count; i++) {
      assertThat(second.getResult(WAIT)).isPresent();
      int read = i + 1;
      Eventually.until(read + " settled", () -> source.settled() == read);
    }
    assertThat(Eventually.balanced(source).resultsUnsettled()).isZero();
  }

  @Test
  void withOneTargetOfferedInlineTheSourcesResultSettlesOnlyOnceTheTargetsResultIsTaken() {
    int count = 20;
    TestHandler source = register(TestHandler.blocking("upper", 32, SAME));
    TestHandler target = register(TestHandler.blocking("only", 32, SAME));
    start(wire("one", "upper", "only"));
    feed(source, "item", count);

    Eventually.until("the target processed every item", () -> target.stats().processedCount() == count);
    assertThat(source.settled()).as("the target's results are still unread").isZero();
    for (int i = 0; i < count; i++) {
      assertThat(target.getResult(WAIT)).isPresent();
    }
    Eventually.until("every result settled", () -> source.settled() == count);
  }
}
