package dev.maverick.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Components that are not handlers hand objects to their successor through the core's store. */
class HandoverFacadeTest {

  @Test
  void parkedObjectsAreClaimedOnceInTheirOrder() {
    String key = "wire-" + UUID.randomUUID();
    List<Object> expired = new CopyOnWriteArrayList<>();
    Handover.park(key, "wire 'w'", List.of("a", "b", 3), Duration.ofMinutes(1), expired::addAll);
    assertThat(Handover.claim(key)).containsExactly("a", "b", 3);
    assertThat(Handover.claim(key)).as("claimed once").isEmpty();
    assertThat(expired).isEmpty();
  }

  @Test
  void whatNobodyClaimsInTimeGoesToTheExpiredCallback() {
    String key = "wire-" + UUID.randomUUID();
    List<Object> expired = new CopyOnWriteArrayList<>();
    Handover.park(key, "wire 'w'", List.of("x", "y"), Duration.ofMillis(20), expired::addAll);
    TestHandlers.until("expired", () -> expired.size() == 2);
    assertThat(expired).containsExactly("x", "y");
    assertThat(Handover.claim(key)).isEmpty();
  }

  @Test
  void aNewerParkUnderTheSameKeyExpiresTheOlderAtOnce() {
    String key = "wire-" + UUID.randomUUID();
    List<Object> expired = new CopyOnWriteArrayList<>();
    Handover.park(key, "wire 'w' (1)", List.of("old"), Duration.ofMinutes(1), expired::addAll);
    Handover.park(key, "wire 'w' (2)", List.of("new"), Duration.ofMinutes(1), expired::addAll);
    assertThat(expired).containsExactly("old");
    assertThat(Handover.claim(key)).containsExactly("new");
  }

  @Test
  void anEmptyListParksNothingAndANegativeLifetimeIsRefused() {
    String key = "wire-" + UUID.randomUUID();
    Handover.park(key, "wire 'w'", List.of(), Duration.ofMinutes(1), objects -> { });
    assertThat(Handover.claim(key)).isEmpty();
    assertThatThrownBy(() -> Handover.park(key, "wire 'w'", List.of(1), Duration.ofSeconds(-1), objects -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lifetime");
  }

  @Test
  void aLifetimeTooLongToCountInNanosecondsStillWaitsForTheSuccessor() {
    String key = "wire-" + UUID.randomUUID();
    List<Object> expired = new CopyOnWriteArrayList<>();
    Handover.park(key, "wire 'w'", List.of("kept"), java.time.temporal.ChronoUnit.FOREVER.getDuration(), expired::addAll);
    List<Object> probe = new CopyOnWriteArrayList<>();
    Handover.park(key + "-probe", "probe", List.of("p"), Duration.ZERO, probe::addAll);
    TestHandlers.until("the reaper has looked at the parcels", () -> !probe.isEmpty());
    assertThat(expired).isEmpty();
    assertThat(Handover.claim(key)).containsExactly("kept");
  }
}
