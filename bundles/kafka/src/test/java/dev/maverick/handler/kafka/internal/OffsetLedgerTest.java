package dev.maverick.handler.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.kafka.internal.OffsetLedger.Mark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLedgerTest {
  private static final TopicPartition P0 = new TopicPartition("work", 0);
  private static final TopicPartition P1 = new TopicPartition("work", 1);

  private final OffsetLedger ledger = new OffsetLedger();

  @Test
  void nothingIsCommittableUntilTheFirstRecordSettles() {
    ledger.assigned(P0, -1, null);
    Mark first = ledger.published(P0, 0);
    Mark second = ledger.published(P0, 1);
    assertThat(ledger.commitable(null)).isEmpty();
    assertThat(ledger.outstanding()).isEqualTo(2);

    ledger.settled(second);
    assertThat(ledger.commitable(null)).as("1 settled, but 0 has not: nothing may be committed").isEmpty();
    ledger.settled(first);
    assertThat(position(ledger.commitable(null), P0)).as("both settled: commit the offset after 1").isEqualTo(2);
    assertThat(ledger.outstanding()).isZero();
  }

  @Test
  void thePositionMovesOverTheContiguousRunOfSettledRecordsOnly() {
    ledger.assigned(P0, -1, null);
    List<Mark> marks = new ArrayList<>();
    for (long offset = 10; offset < 15; offset++) {
      marks.add(ledger.published(P0, offset));
    }
    ledger.settled(marks.get(0));
    ledger.settled(marks.get(1));
    ledger.settled(marks.get(3));
    assertThat(position(ledger.commitable(null), P0)).isEqualTo(12);
    assertThat(ledger.commitable(null)).as("handed out once, until it moves again").isEmpty();
    ledger.settled(marks.get(2));
    assertThat(position(ledger.commitable(null), P0)).as("12 settled: the run reaches 13").isEqualTo(14);
    ledger.settled(marks.get(4));
    assertThat(position(ledger.commitable(null), P0)).isEqualTo(15);
  }

  @Test
  void offsetsWithGapsAreARunOfRecordsNotOfNumbers() {
    ledger.assigned(P0, -1, null);
    Mark a = ledger.published(P0, 3);
    Mark b = ledger.published(P0, 7); // 4..6: a compacted topic's holes, or transaction markers
    ledger.settled(a);
    assertThat(position(ledger.commitable(null), P0)).isEqualTo(4);
    ledger.settled(b);
    assertThat(position(ledger.commitable(null), P0)).isEqualTo(8);
  }

  @Test
  void partitionsAreCommittedEachOnItsOwn() {
    ledger.assigned(P0, -1, null);
    ledger.assigned(P1, -1, null);
    Mark p0 = ledger.published(P0, 0);
    ledger.published(P1, 0);
    Mark p1 = ledger.published(P1, 1);
    ledger.settled(p0);
    ledger.settled(p1);
    Map<TopicPartition, long[]> commitable = ledger.commitable(null);
    assertThat(commitable).containsOnlyKeys(P0);
    assertThat(ledger.commitable(List.of(P1))).isEmpty();
  }

  @Test
  void randomOutOfOrderSettlesEndWithEveryRecordCommittedOnceAllSettle() {
    ledger.assigned(P0, -1, null);
    List<Mark> marks = new ArrayList<>();
    for (long offset = 0; offset < 1000; offset++) {
      marks.add(ledger.published(P0, offset));
    }
    Collections.shuffle(marks, new Random(42));
    long lastPosition = -1;
    for (int i = 0; i < marks.size(); i++) {
      ledger.settled(marks.get(i));
      Map<TopicPartition, long[]> moved = ledger.commitable(null);
      if (!moved.isEmpty()) {
        long position = position(moved, P0);
        assertThat(position).isGreaterThan(lastPosition);
        // every record below the position has settled
        List<Long> settled = marks.subList(0, i + 1).stream().map(Mark::offset).toList();
        for (long offset = 0; offset < position; offset++) {
          assertThat(settled).contains(offset);
        }
        lastPosition = position;
      }
    }
    assertThat(lastPosition).isEqualTo(1000);
    assertThat(ledger.outstanding()).isZero();
  }

  @Test
  void aFailedCommitIsOfferedAgain() {
    ledger.assigned(P0, -1, null);
    ledger.settled(ledger.published(P0, 0));
    Map<TopicPartition, long[]> first = ledger.commitable(null);
    ledger.commitFailed(first);
    assertThat(position(ledger.commitable(null), P0)).isEqualTo(1);
  }

  @Test
  void aRevokedPartitionsRecordsAreForgottenAndTheirLateSettlesIgnored() {
    ledger.assigned(P0, -1, null);
    Mark early = ledger.published(P0, 0);
    Mark late = ledger.published(P0, 1);
    ledger.settled(early);
    assertThat(ledger.forget(List.of(P0))).as("one record was published and not settled").isEqualTo(1);
    assertThat(ledger.outstanding()).isZero();
    assertThat(ledger.settled(late)).isFalse();
    assertThat(ledger.staleSettles()).isEqualTo(1);
    assertThat(ledger.commitable(null)).isEmpty();
  }

  @Test
  void aSettleFromBeforeThePartitionLeftAndCameBackDoesNotSettleItsNewRecord() {
    ledger.assigned(P0, -1, null);
    Mark before = ledger.published(P0, 5);
    ledger.forget(List.of(P0));
    ledger.assigned(P0, 5, OffsetLedger.metadata(5));
    Mark again = ledger.published(P0, 5);
    assertThat(again.epoch()).isNotEqualTo(before.epoch());
    assertThat(ledger.settled(before)).as("the old record's settle").isFalse();
    assertThat(ledger.commitable(null)).isEmpty();
    assertThat(ledger.settled(again)).isTrue();
    assertThat(position(ledger.commitable(null), P0)).isEqualTo(6);
  }

  @Test
  void aRecordAtOrBelowTheHighestOffsetSeenIsARedelivery() {
    ledger.assigned(P0, -1, null);
    assertThat(ledger.published(P0, 0).redelivered()).isFalse();
    assertThat(ledger.published(P0, 1).redelivered()).isFalse();
    ledger.forget(List.of(P0));
    ledger.assigned(P0, 0, null);
    assertThat(ledger.published(P0, 0).redelivered()).as("seen here before the rebalance").isTrue();
    assertThat(ledger.published(P0, 1).redelivered()).isTrue();
    assertThat(ledger.published(P0, 2).redelivered()).isFalse();
  }

  @Test
  void theEarlierOwnersCommitMetadataNamesWhatItHadSeen() {
    ledger.assigned(P1, 40, OffsetLedger.metadata(44));
    assertThat(ledger.published(P1, 40).redelivered()).isTrue();
    assertThat(ledger.published(P1, 44).redelivered()).isTrue();
    assertThat(ledger.published(P1, 45).redelivered()).isFalse();
    OffsetLedger stranger = new OffsetLedger();
    stranger.assigned(P1, 40, "written by someone else");
    assertThat(stranger.published(P1, 40).redelivered()).isFalse();
  }

  @Test
  void theCommitCarriesTheHighestOffsetPublished() {
    ledger.assigned(P0, -1, null);
    Mark zero = ledger.published(P0, 0);
    ledger.published(P0, 1);
    ledger.settled(zero);
    assertThat(ledger.commitable(null).get(P0)).containsExactly(1, 1);
  }

  @Test
  void onlyAnAssignedPartitionPublishes() {
    assertThatThrownBy(() -> ledger.published(P0, 0)).isInstanceOf(IllegalStateException.class);
  }

  private static long position(Map<TopicPartition, long[]> commitable, TopicPartition partition) {
    assertThat(commitable).containsKey(partition);
    return commitable.get(partition)[0];
  }
}
