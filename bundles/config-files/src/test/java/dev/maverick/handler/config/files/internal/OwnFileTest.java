package dev.maverick.handler.config.files.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Only a configuration's own file in the configuration directory is ever written or deleted. */
class OwnFileTest {
  private static final Path ETC = Path.of("/srv/rt/etc");
  private static final OwnFile.ClaimCheck NOBODY = (file, namedPid) -> false;

  @Test
  void theFileNamedAfterThePidIsItsOwn() {
    assertThat(OwnFile.of(ETC, "a.b", null, "file:/srv/rt/etc/a.b.cfg", NOBODY)).contains(ETC.resolve("a.b.cfg"));
    assertThat(OwnFile.of(ETC, "a.b~x", "a.b", "file:/srv/rt/etc/a.b-x.cfg.json", NOBODY))
        .contains(ETC.resolve("a.b-x.cfg.json"));
  }

  @Test
  void aFileOutsideTheDirectoryOrNamedForAnotherConfigurationIsNot() {
    assertThat(OwnFile.of(ETC, "a.b", null, "file:///etc/passwd", NOBODY)).isEmpty();
    assertThat(OwnFile.of(ETC, "a.b", null, "file:/srv/rt/etc/../a.b.cfg", NOBODY)).isEmpty();
    assertThat(OwnFile.of(ETC, "a.b", null, "file:/srv/rt/etc/sub/a.b.cfg", NOBODY)).isEmpty();
    assertThat(OwnFile.of(ETC, "a.b", null, "file:/srv/rt/etc/c.d.cfg", NOBODY)).isEmpty();
    assertThat(OwnFile.of(ETC, "a.b", null, "file:/srv/rt/etc/a.b.txt", NOBODY)).isEmpty();
    assertThat(OwnFile.of(ETC, "a.b~x", "a.b", "file:/srv/rt/etc/a.b-y.cfg", NOBODY)).isEmpty();
    assertThat(OwnFile.of(ETC, "a.b", null, "mvn:a/b/1", NOBODY)).isEmpty();
  }

  @Test
  void anInstanceWithAGeneratedPidOwnsAFileOfItsFactoryThatNoOtherConfigurationClaims() {
    String pid = "a.b.6e1f9a";
    assertThat(OwnFile.of(ETC, pid, "a.b", "file:/srv/rt/etc/a.b-weather.cfg", NOBODY))
        .contains(ETC.resolve("a.b-weather.cfg"));
    assertThat(OwnFile.of(ETC, pid, "a.b", "file:/srv/rt/etc/a.b-echo.cfg", (file, named) -> named.equals("a.b~echo")))
        .isEmpty();
    assertThat(OwnFile.of(ETC, pid, "c.d", "file:/srv/rt/etc/a.b-weather.cfg", NOBODY)).isEmpty();
  }
}
