package dev.maverick.handler.config.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigFileNamesTest {

  @Test
  void fileNamesMapToPidsAsFileInstallReadsThem() {
    assertThat(ConfigFileNames.parse("dev.maverick.handler.echo.cfg"))
        .isEqualTo(new ConfigFileNames.Target("dev.maverick.handler.echo", null, null));
    assertThat(ConfigFileNames.parse("dev.maverick.handler.network-weather-eu.cfg.json"))
        .isEqualTo(new ConfigFileNames.Target("dev.maverick.handler.network~weather-eu", "dev.maverick.handler.network",
            "weather-eu"));
    assertThatThrownBy(() -> ConfigFileNames.parse("a.b-.cfg")).hasMessageContaining("needs a name");
    assertThatThrownBy(() -> ConfigFileNames.parse("a.b.txt")).hasMessageContaining("*.cfg or *.cfg.json");
  }

  @Test
  void configurationsGetTheFileNameThatReadsBackToThem() {
    assertThat(ConfigFileNames.fileName("a.b", null, Optional.empty(), ".cfg")).isEqualTo("a.b.cfg");
    assertThat(ConfigFileNames.fileName("a.b~x", "a.b", Optional.of("ignored"), ".cfg")).isEqualTo("a.b-x.cfg");
    assertThat(ConfigFileNames.fileName("a.b.1234", "a.b", Optional.of("weather/eu"), ".cfg"))
        .isEqualTo("a.b-weather_eu.cfg");
    assertThat(ConfigFileNames.fileName("a.b.1234", "a.b", Optional.empty(), ".cfg")).isEqualTo("a.b-1234.cfg");
    ConfigFileNames.Target back = ConfigFileNames.parse(ConfigFileNames.fileName("a.b~x", "a.b", Optional.empty(), ".cfg"));
    assertThat(back.pid()).isEqualTo("a.b~x");
  }

  @Test
  void configKeysAreFileInstallsAbsoluteFileUris() {
    Path file = Path.of("/tmp/etc/a.cfg");
    assertThat(ConfigFileNames.configKey(file)).isEqualTo("file:/tmp/etc/a.cfg");
    assertThat(ConfigFileNames.fromConfigKey("file:/tmp/etc/a.cfg")).contains(file);
    assertThat(ConfigFileNames.fromConfigKey("mvn:x/y")).isEmpty();
  }
}
