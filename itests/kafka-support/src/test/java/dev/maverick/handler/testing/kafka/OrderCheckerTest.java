package dev.maverick.handler.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderCheckerTest {

  @Test
  void keysInOrderWithNothingMissingPass() {
    OrderChecker checker = new OrderChecker();
    for (long sequence = 0; sequence < 3; sequence++) {
      checker.accept("a", sequence);
      checker.accept("b", sequence);
    }
    assertThat(checker.violations()).isEmpty();
    assertThat(checker.duplicates()).isZero();
    assertThat(checker.distinct()).isEqualTo(6);
    assertThat(checker.missing(Map.of("a", 3L, "b", 3L))).isEmpty();
  }

  @Test
  void aReplayAfterACrashCountsDuplicatesAndKeepsOrder() {
    OrderChecker checker = new OrderChecker();
    for (long sequence : new long[] {0, 1, 2, 3, 4, 5, 3, 4, 5, 6}) {
      checker.accept("robot-1", sequence);
    }
    assertThat(checker.violations()).isEmpty();
    assertThat(checker.duplicates()).isEqualTo(3);
    assertThat(checker.duplicatesPerKey()).containsExactly(Map.entry("robot-1", 3L));
    assertThat(checker.missing(Map.of("robot-1", 7L))).isEmpty();
  }

  @Test
  void anItemBeforeAnEarlierOneOfItsKeyIsAViolation() {
    OrderChecker checker = new OrderChecker();
    for (long sequence : new long[] {0, 2, 1, 3}) {
      checker.accept("k", sequence);
    }
    checker.accept("other", 0);
    assertThat(checker.violations()).containsExactly("key k: 2 arrived before 1");
    assertThat(checker.duplicates()).isZero();
    assertThat(checker.missing(Map.of("k", 4L, "other", 1L))).isEmpty();
  }

  @Test
  void whatNeverArrivedIsMissingAndAnAheadItemSeenTwiceIsADuplicate() {
    OrderChecker checker = new OrderChecker();
    for (long sequence : new long[] {0, 2, 2, 4}) {
      checker.accept("k", sequence);
    }
    assertThat(checker.duplicates()).isEqualTo(1);
    assertThat(checker.missing(Map.of("k", 6L, "silent", 2L)))
        .containsExactly(Map.entry("k", List.of(1L, 3L, 5L)), Map.entry("silent", List.of(0L, 1L)));
  }
}
