package dev.maverick.handler.config.files.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files holding a secret are owner-only; a rewrite never widens a file's mode. */
class SafeFilesTest {
  @TempDir Path dir;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  @Test
  void aNewFileHoldingASecretIsOwnerOnly() throws Exception {
    Path file = dir.resolve("a.cfg");
    SafeFiles.write(file, "auth = x\n", StandardCharsets.UTF_8, true);
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Files.readString(file)).isEqualTo("auth = x\n");
    assertThat(dir.resolve(".a.cfg.part")).doesNotExist();
  }

  @Test
  void aRewriteKeepsAnOwnerOnlyFileOwnerOnlyAndNarrowsAReadableOneThatNowHoldsASecret() throws Exception {
    Path file = dir.resolve("a.cfg");
    Files.writeString(file, "auth = x\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    SafeFiles.write(file, "name = y\n", StandardCharsets.UTF_8, false);
    assertThat(mode(file)).isEqualTo("rw-------");

    Path readable = dir.resolve("b.cfg");
    Files.writeString(readable, "name = y\n");
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
    SafeFiles.write(readable, "name = y\nauth = x\n", StandardCharsets.UTF_8, true);
    assertThat(mode(readable)).isEqualTo("rw-------");
  }

  @Test
  void aPlantedTemporaryFileIsReplacedNotWrittenThroughAndANewFileTakesItsModeFromWhatItHolds() throws Exception {
    Path file = dir.resolve("a.cfg");
    // a planted temporary file (here a link to a file of someone else's) is replaced, never written through
    Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "untouched");
    Files.createSymbolicLink(dir.resolve(".a.cfg.part"), elsewhere);
    SafeFiles.write(file, "auth = x\n", StandardCharsets.UTF_8, true);
    assertThat(Files.readString(elsewhere)).isEqualTo("untouched");
    assertThat(SafeFiles.mode(dir.resolve("new.cfg"), true)).isEqualTo(SafeFiles.OWNER_ONLY);
    assertThat(SafeFiles.mode(dir.resolve("new.cfg"), false)).isEqualTo(SafeFiles.DEFAULT);
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
