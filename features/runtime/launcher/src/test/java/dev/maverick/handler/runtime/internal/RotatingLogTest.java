package dev.maverick.handler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogTest {
  @TempDir Path dir;

  @Test
  void theLogRotatesBySizeKeepsItsNumberOfFilesAndNeverSplitsALine() throws Exception {
    Path file = dir.resolve("maverick.log");
    List<String> written = new ArrayList<>();
    try (PrintStream log = new PrintStream(new RotatingLog(file, new RotatingLog.Limits(1024, 3)), true,
        StandardCharsets.UTF_8)) {
      for (int i = 0; i < 200; i++) {
        String line = "line " + i + " " + "x".repeat(i % 50);
        log.println(line);
        written.add(line);
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("maverick.log", "maverick.log.1", "maverick.log.2");
    }
    List<String> kept = new ArrayList<>();
    for (String name : List.of("maverick.log.2", "maverick.log.1", "maverick.log")) {
      Path part = dir.resolve(name);
      List<String> lines = Files.readAllLines(part);
      // at most one line beyond the limit: a file is switched after a whole line only
      assertThat(Files.size(part)).isLessThan(1024 + 80);
      kept.addAll(lines);
    }
    // the newest lines, in order, none cut: the oldest file was dropped
    assertThat(kept).isEqualTo(written.subList(written.size() - kept.size(), written.size()));
    assertThat(kept.size()).isGreaterThan(20);
  }

  @Test
  void anExistingLogIsAppendedToAndANewOneIsOwnerOnly() throws Exception {
    Path file = dir.resolve("maverick.log");
    try (PrintStream log = new PrintStream(new RotatingLog(file, new RotatingLog.Limits(4096, 5)), true)) {
      log.println("first");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (PrintStream log = new PrintStream(new RotatingLog(file, new RotatingLog.Limits(4096, 5)), true)) {
      log.println("second");
    }
    assertThat(Files.readAllLines(file)).containsExactly("first", "second");
  }

  @Test
  void theLimitsAreReadFromPropertiesWithUnits() {
    assertThat(RotatingLog.Limits.of(Map.<String, String>of()::get))
        .isEqualTo(new RotatingLog.Limits(10L * 1024 * 1024, 5));
    assertThat(RotatingLog.Limits.of(Map.of(RotatingLog.MAX_SIZE_PROPERTY, "64k", RotatingLog.MAX_FILES_PROPERTY, "2")::get))
        .isEqualTo(new RotatingLog.Limits(64 * 1024, 2));
    assertThat(RotatingLog.Limits.of(Map.of(RotatingLog.MAX_SIZE_PROPERTY, "1GB")::get).maxBytes()).isEqualTo(1L << 30);
    assertThatThrownBy(() -> RotatingLog.Limits.of(Map.of(RotatingLog.MAX_SIZE_PROPERTY, "ten")::get))
        .hasMessageContaining("maverick.log.maxSize=ten").hasMessageContaining("10m");
    assertThatThrownBy(() -> RotatingLog.Limits.of(Map.of(RotatingLog.MAX_FILES_PROPERTY, "0")::get))
        .hasMessageContaining("maverick.log.maxFiles=0");
  }
}
