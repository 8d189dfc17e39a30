package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.ResultReader;
import dev.maverick.handler.ResultsClaimedException;
import dev.maverick.handler.TakenResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ResultOutletTest {
  private final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
  private final Diagnostics diagnostics = new Diagnostics(log, "out", false);
  private final Ledger ledger = new Ledger(diagnostics);
  private final List<String> settled = new CopyOnWriteArrayList<>();
  private final ResultOutlet outlet = new ResultOutlet(0, OverflowPolicy.DROP_NEWEST, 0, ledger, diagnostics,
      (result, extra) -> settled.add(result + "" + extra));

  @Test
  void anyoneTakesUntilAReaderClaimsThenOnlyTheReaderUntilItCloses() {
    outlet.publish("a", Map.of(), true);
    outlet.publish("b", Map.of("k", 1), true);
    assertThat(Envelope.valueOf(outlet.take(0))).isEqualTo("a");
    ResultReader<String> reader = outlet.claim("wire 'w'");
    assertThat(outlet.reader()).contains("wire 'w'");
    assertThatThrownBy(() -> outlet.take(0)).isInstanceOf(ResultsClaimedException.class)
        .hasMessage("the results of 'out' are read by wire 'w'");
    assertThatThrownBy(() -> outlet.claim("another")).isInstanceOf(ResultsClaimedException.class);
    TakenResult<String> b = reader.take(java.time.Duration.ZERO).orElseThrow();
    assertThat(b.extra()).isEqualTo(Map.of("k", 1));
    assertThat(outlet.settlement().unsettled()).isEqualTo(1);
    reader.close();
    assertThat(outlet.reader()).isEmpty();
    assertThat(outlet.take(0)).isNull();
    b.settle();
    b.settle();
    assertThat(settled).containsExactly("b{k=1}");
    assertThat(outlet.settlement().unsettled()).isZero();
  }

  @Test
  void aClosedReaderIsNotTheClaimAnyMore() {
    ResultReader<Object> first = outlet.claim("first");
    first.close();
    ResultReader<Object> second = outlet.claim("second");
    first.close(); // a late second close of the first reader must not release the second's claim
    assertThat(outlet.reader()).contains("second");
    second.close();
  }

  @Test
  void settlementCountsEveryTakenResultUntilItIsSettledOnce() {
    List<TakenResult<String>> taken = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      taken.add(outlet.settlement().taken(Envelope.wrap("t" + i, Map.of(), null)));
    }
    assertThat(outlet.settlement().unsettled()).isEqualTo(3);
    taken.get(1).settle();
    assertThat(taken.get(1).isSettled()).isTrue();
    assertThat(taken.get(0).isSettled()).isFalse();
    assertThat(outlet.settlement().unsettled()).isEqualTo(2);
    assertThat(settled).containsExactly("t1{}");
    assertThat(taken.get(0).toString()).isEqualTo("TakenResult[t0]");
  }
}
