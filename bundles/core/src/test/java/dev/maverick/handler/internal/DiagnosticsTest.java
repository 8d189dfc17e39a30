package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.internal.Diagnostics.LogTopic;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {
  private final RateLimitedLogTest.RecordingLogger log = new RateLimitedLogTest.RecordingLogger();
  private final Diagnostics diagnostics = new Diagnostics(log, "diag", false);

  @Test
  void dropsAndFailuresAreRateLimitedEachOnItsOwnClockAndSummedUpAtTheEnd() {
    for (int i = 0; i < 10; i++) {
      diagnostics.dropped(DropReason.INVALID, "bad " + i);
      diagnostics.dropped(DropReason.CLOSED, null);
      diagnostics.failed(LogTopic.ITEM_ERROR, "processing an item failed", new IllegalStateException("x"));
      diagnostics.warned(LogTopic.NETWORK_ERROR, () -> "network call failed: down");
    }
    assertThat(log.lines).containsExactly(
        "WARN [diag] invalid item dropped: bad 0",
        "WARN [diag] item arrived after close; dropped",
        "ERROR [diag] processing an item failed !x",
        "WARN [diag] network call failed: down");
    diagnostics.flush();
    assertThat(log.lines.subList(4, log.lines.size())).containsExactlyInAnyOrder(
        "WARN [diag] drops with reason invalid (9 not reported before)",
        "WARN [diag] drops with reason closed (9 not reported before)",
        "WARN [diag] item errors (9 not reported before)",
        "WARN [diag] network errors (9 not reported before)");
  }

  @Test
  void aFullQueueSaysItsStateAsItsQueueDescribesIt() {
    diagnostics.describeFullQueue(DropReason.RESULT_QUEUE_FULL, () -> "result queue full (capacity 3, x=y)");
    diagnostics.dropped(DropReason.RESULT_QUEUE_FULL, null);
    assertThat(log.lines).containsExactly("WARN [diag] result queue full (capacity 3, x=y); processed result dropped");
  }

  @Test
  void aHookFailureIsLoggedAndIgnoredButAFatalErrorIsRethrown() {
    diagnostics.hookFailed("hookAfterFeed", new IllegalArgumentException("oops"));
    assertThat(log.lines).containsExactly("ERROR [diag] hookAfterFeed threw; ignored !oops");
    assertThatThrownBy(() -> diagnostics.hookFailed("hookAfterFeed", new OutOfMemoryError("fatal")))
        .isInstanceOf(OutOfMemoryError.class);
    assertThat(Diagnostics.isFatal(new StackOverflowError())).as("a stack overflow is contained").isFalse();
  }

  @Test
  void lifecycleLinesAreInfoWhenVerboseAndFollowARename() {
    diagnostics.verbose("closing");
    diagnostics.configure("renamed", true);
    diagnostics.verbose("closed {}", "now");
    assertThat(log.lines).containsExactly("DEBUG [diag] closing", "INFO [renamed] closed now");
    assertThat(diagnostics.name()).isEqualTo("renamed");
  }
}
