package dev.maverick.handler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutTest {
  private static final Layout.Defaults DEFAULTS = new Layout.Defaults() {
    @Override
    public List<String> names() {
      return List.of("a.cfg", "b.cfg.example");
    }

    @Override
    public InputStream open(String name) {
      return new ByteArrayInputStream(("# " + name + "\n").getBytes(StandardCharsets.UTF_8));
    }
  };

  @TempDir Path dir;

  @AfterEach
  void forgetFileInstallDirs() {
    System.clearProperty(Layout.FILEINSTALL_DIR);
  }

  @Test
  void aFirstStartCreatesTheDirectoriesWithTheDefaultsAndPointsFileInstallAtThem() throws Exception {
    Map<String, String> properties = Map.of(Layout.ETC_PROPERTY, dir.resolve("conf").toString(),
        Layout.DEPLOY_PROPERTY, dir.resolve("hot").toString(), Layout.LOG_FILE_PROPERTY, dir.resolve("log/x.log").toString());
    Layout layout = Layout.prepare(properties::get, DEFAULTS);
    assertThat(layout.etc()).isEqualTo(dir.resolve("conf"));
    assertThat(layout.defaultsWritten()).containsExactly("a.cfg", "b.cfg.example");
    assertThat(Files.readString(dir.resolve("conf/a.cfg"))).isEqualTo("# a.cfg\n");
    assertThat(dir.resolve("hot")).isDirectory();
    assertThat(dir.resolve("log")).isDirectory();
    // what the runtime creates is the owner's alone: secrets, code that will run, the log
    for (String created : List.of("conf", "hot", "log")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(created))))
          .as(created).isEqualTo("rwx------");
    }
    assertThat(layout.logFile()).isEqualTo(dir.resolve("log/x.log"));
    assertThat(layout.initialConfigs()).containsExactly(dir.resolve("conf/a.cfg"));
    assertThat(System.getProperty(Layout.FILEINSTALL_DIR)).isEqualTo(dir.resolve("conf") + "," + dir.resolve("hot"));
  }

  @Test
  void anExistingConfigurationDirectoryIsLeftAsItIs() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("mine.cfg.json"), "{}");
    Files.createDirectories(dir.resolve("deploy"));
    Files.writeString(dir.resolve("deploy/x.jar"), "");
    Map<String, String> properties = Map.of(Layout.ETC_PROPERTY, etc.toString(),
        Layout.DEPLOY_PROPERTY, dir.resolve("deploy").toString(), Layout.LOG_FILE_PROPERTY, "System.err");
    Layout layout = Layout.prepare(properties::get, DEFAULTS);
    assertThat(layout.defaultsWritten()).isEmpty();
    assertThat(etc.resolve("a.cfg")).doesNotExist();
    assertThat(layout.initialConfigs()).containsExactly(etc.resolve("mine.cfg.json"));
    assertThat(layout.initialBundles()).containsExactly(dir.resolve("deploy/x.jar"));
    assertThat(layout.logFile()).isNull();
    assertThat(layout.logDescription(properties::get)).isEqualTo("System.err");
  }
}
