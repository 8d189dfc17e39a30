package dev.maverick.handler.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.ds.testing.Eventually;
import dev.maverick.handler.wire.Wire;
import dev.maverick.handler.wire.WireDropReason;
import dev.maverick.handler.wire.WireLedger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a target refuses or fails on goes to the dead letter with the reason, or is dropped and counted. */
class WireDeadLetterTest extends WireFixture {

  private TestHandler strict(String name) {
    return register(new TestHandler(TestHandler.config(name, 16).expectedType(Integer.class).build(), item -> null));
  }

  @Test
  void itemsATargetRefusesGoToTheDeadLetterWithTheReason() {
    TestHandler source = register(TestHandler.blocking("source", 16, item -> item));
    TestHandler target = strict("numbers");
    TestHandler letters = register(TestHandler.blocking("letters", 16, item -> null));
    WireEngine wire = start(wire("w", "source", "numbers", "dead_letter", "letters"));
    source.feed("not a number");
    source.feed(42);

    WireLedger ledger = settled(wire, 2);
    assertThat(ledger.delivered()).isEqualTo(1);
    assertThat(ledger.deadLettered()).isEqualTo(1);
    assertThat(ledger.deadLetter()).hasValueSatisfying(books -> {
      assertThat(books.received()).isEqualTo(1);
      assertThat(books.delivered()).isEqualTo(1);
      assertThat(books.unaccounted()).isZero();
    });
    Eventually.until("the dead letter processed it", () -> letters.items().size() == 1);
    assertThat(letters.items()).containsExactly("not a number");
    Map<String, ?> extras = letters.extras().get(0);
    assertThat(extras.get(Wire.REASON_EXTRA)).isEqualTo("invalid");
    assertThat(extras.get(Wire.TARGET_EXTRA)).isEqualTo("numbers");
    assertThat(extras.get(Wire.FROM_EXTRA)).isEqualTo("source");
    assertThat((String) extras.get(Wire.ERROR_EXTRA)).contains("Integer");
    Eventually.until("the number delivered", () -> target.items().equals(List.of(42)));
    Eventually.until("both results settled", () -> source.settled() == 2);
    assertThat(wire.warnings()).anyMatch(warning -> warning.startsWith("dead-lettering: 'numbers'"));
  }

  @Test
  void itemsATargetFailsOnGoToTheDeadLetterWithTheError() {
    TestHandler source = register(TestHandler.blocking("source", 16, item -> item));
    TestHandler target = register(TestHandler.blocking("picky", 16, item -> {
      if ("bad".equals(item)) {
        throw new IllegalStateException("cannot digest " + item);
      }
      return null;
    }));
    TestHandler letters = register(TestHandler.blocking("letters", 16, item -> null));
    WireEngine wire = start(wire("w", "source", "picky", "dead_letter", "letters"));
    source.feed("good");
    source.feed("bad");

    Eventually.until("the failure dead-lettered", () -> letters.items().size() == 1);
    assertThat(letters.items()).containsExactly("bad");
    assertThat(letters.extras().get(0).get(Wire.REASON_EXTRA)).isEqualTo("failed");
    assertThat((String) letters.extras().get(0).get(Wire.ERROR_EXTRA)).contains("cannot digest bad");
    WireLedger ledger = settled(wire, 2);
    assertThat(ledger.delivered()).as("the target accepted both").isEqualTo(2);
    assertThat(ledger.targets().get("picky").failed()).isEqualTo(1);
    assertThat(Eventually.balanced(target).itemErrorCount()).isEqualTo(1);
  }

  @Test
  void withoutADeadLetterARefusedItemIsDroppedWithItsReason() {
    TestHandler source = register(TestHandler.blocking("source", 16, item -> item));
    strict("numbers");
    WireEngine wire = start(wire("w", "source", "numbers"));
    source.feed("x");
    source.feed("y");
    WireLedger ledger = settled(wire, 2);
    assertThat(ledger.targets().get("numbers").dropped()).containsEntry(WireDropReason.INVALID, 2L);
    assertThat(ledger.droppedCount()).isEqualTo(2);
    Eventually.until("both settled", () -> source.settled() == 2);
    assertThat(wire.warnings()).anyMatch(warning -> warning.startsWith("dropping: 'numbers' refused 2 item(s)"));
  }

  @Test
  void whatTheDeadLetterItselfRefusesIsDroppedAndCounted() {
    TestHandler source = register(TestHandler.blocking("source", 16, item -> item));
    strict("numbers");
    strict("letters");
    WireEngine wire = start(wire("w", "source", "numbers", "dead_letter", "letters"));
    source.feed("x");
    WireLedger ledger = settled(wire, 1);
    assertThat(ledger.deadLettered()).isEqualTo(1);
    assertThat(ledger.deadLetter().orElseThrow().dropped()).containsEntry(WireDropReason.DEAD_LETTER_REFUSED, 1L);
    Eventually.until("settled", () -> source.settled() == 1);
  }
}
