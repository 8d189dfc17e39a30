package dev.maverick.handler.config.files.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgreementTest {
  private final Agreement agreement = new Agreement();

  @Test
  void aRunTimeChangeIsWrittenOnceFileAndConfigurationHaveAgreed() {
    assertThat(agreement.fromRunTime("p", Map.of("size", "1"), Map.of("size", "1"), false)).isFalse();
    assertThat(agreement.fromRunTime("p", Map.of("size", "1"), Map.of("size", "2"), false)).isTrue();
    // the file now holds 2 (written), the configuration too
    assertThat(agreement.fromRunTime("p", Map.of("size", "2"), Map.of("size", "2"), false)).isFalse();
  }

  @Test
  void aChangeSeenBeforeAnyAgreementIsARunTimeChange() {
    // updates are seen as they happen: FileInstall's reading of a file equals the file
    assertThat(agreement.fromRunTime("p", Map.of("size", "1"), Map.of("size", "3"), false)).isTrue();
    assertThat(agreement.fromRunTime("p", Map.of("size", "3"), Map.of("size", "3"), false)).isFalse();
  }

  @Test
  void anEditOfTheFileWinsOverAnOlderEventOfTheSameConfiguration() {
    agreement.fromRunTime("p", Map.of("size", "1"), Map.of("size", "1"), false);
    // the file changed (size=5) and an event with older values arrives: the file is not touched
    assertThat(agreement.fromRunTime("p", Map.of("size", "5"), Map.of("size", "1", "x", "y"), false)).isFalse();
  }

  @Test
  void aConfigurationTheRuntimeWroteAFileForIsAgreedFromTheStart() {
    agreement.agreed("p", Map.of("name", "third"));
    assertThat(agreement.fromRunTime("p", Map.of("name", "third"), Map.of("name", "third", "size", "4"), false)).isTrue();
    // the file edited (name=edited) while an older update is seen: the file is not touched
    assertThat(agreement.fromRunTime("p", Map.of("name", "edited"), Map.of("name", "third", "size", "5"), false)).isFalse();
  }

  @Test
  void inAnUntypedFileANumberEqualsTheTextItIsWrittenAs() {
    // max_queue_size = 7 in an untyped file reads as "7"; the configuration holds 7
    assertThat(agreement.fromRunTime("p", Map.of("size", "7"), Map.of("size", 7), true)).isFalse();
    assertThat(agreement.fromRunTime("p", Map.of("size", "7"), Map.of("size", 8), true)).isTrue();
    // a typed file keeps types apart
    assertThat(agreement.fromRunTime("q", Map.of("size", "7"), Map.of("size", 7), false)).isTrue();
  }

  @Test
  void anOlderFileThatFileInstallAppliesLateIsNeitherWrittenBackNorAgreed() {
    // two quick run-time changes: 2 then 3, both written; FileInstall read the file while it held 2
    agreement.fromRunTime("p", Map.of("size", "1"), Map.of("size", "2"), false);
    agreement.fromRunTime("p", Map.of("size", "2"), Map.of("size", "3"), false);
    agreement.fromFile("p", Map.of("size", "3"), Map.of("size", "2"), false);
    // FileInstall then applies the newer file: they agree on 3, and a later change is written
    agreement.fromFile("p", Map.of("size", "3"), Map.of("size", "3"), false);
    assertThat(agreement.fromRunTime("p", Map.of("size", "3"), Map.of("size", "4"), false)).isTrue();
  }

  @Test
  void aFileEditAppliedByFileInstallIsWhatTheNextRunTimeChangeIsWrittenOver() {
    agreement.agreed("p", Map.of("size", "1"));
    // the user edits the file (size=5); FileInstall applies it
    agreement.fromFile("p", Map.of("size", "5"), Map.of("size", "5"), false);
    assertThat(agreement.fromRunTime("p", Map.of("size", "5"), Map.of("size", "6"), false)).isTrue();
  }

  @Test
  void onlyFileInstallsDirectoryWatcherCountsAsFileInstallsThread() {
    assertThat(FileInstallThread.isCurrent()).isFalse();
    assertThat(FileInstallThread.is(new Thread("fileinstall-/etc"))).isFalse();
  }
}
