package dev.maverick.handler.config.files.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A write-back keeps the file as its user wrote it, changing only what changed. */
class CfgFileTest {
  private static final String HAND_WRITTEN = """
      # the echo handler, by hand
      name = echo
      delay_ms = 0
      # how many
      max_queue_size = 128
      """;
  private static final Set<String> ECHO_METATYPE = Set.of("name", "delay_ms", "max_queue_size", "verbose");

  @Test
  void anUntypedFileStaysUntypedWhereTheMetatypeGivesTheType() throws Exception {
    CfgFile file = CfgFile.parse(HAND_WRITTEN, null);
    Map<String, Object> changed = configuration(file);
    changed.put("max_queue_size", 7);
    changed.put("verbose", true);
    String text = file.rewrite(changed, ECHO_METATYPE).orElseThrow();
    assertThat(text).isEqualTo("""
        # the echo handler, by hand
        name = echo
        delay_ms = 0
        # how many
        max_queue_size = 7
        verbose = true
        """);
  }

  @Test
  void aValueTheReaderKnowsNoTypeOfMakesTheFileTypedAndSaysSoInEveryLine() throws Exception {
    CfgFile file = CfgFile.parse(HAND_WRITTEN, null);
    Map<String, Object> changed = configuration(file);
    changed.put("max_queue_size", 7);
    String text = file.rewrite(changed, Set.of()).orElseThrow();
    assertThat(text).contains("# how many\nmax_queue_size = I\"7\"").contains("name = \"echo\"")
        .contains("delay_ms = \"0\"");
    assertThat(FileInstallReader.read(text)).containsEntry("max_queue_size", 7).containsEntry("delay_ms", "0");
  }

  @Test
  void aTypedFileStaysTypedAndKeepsTheLinesOfUnchangedKeys() throws Exception {
    String typed = "name = \"echo\"\n# kept\nmax_queue_size = I\"8\"\nweights = D[\"1.0\", \"2.0\"]\n";
    CfgFile file = CfgFile.parse(typed, null);
    Map<String, Object> changed = configuration(file);
    changed.put("name", "other");
    String text = file.rewrite(changed, ECHO_METATYPE).orElseThrow();
    assertThat(text).isEqualTo("name = \"other\"\n# kept\nmax_queue_size = I\"8\"\nweights = D[\"1.0\", \"2.0\"]\n");
  }

  @Test
  void aVariableTheUserWroteIsKeptWhileItsValueIsUnchanged() throws Exception {
    System.setProperty("maverick.test.home", "/home/x");
    try {
      CfgFile file = CfgFile.parse("home = ${maverick.test.home}/models\nsize = 1\n", null);
      assertThat(file.values()).containsEntry("home", "/home/x/models");
      Map<String, Object> changed = configuration(file);
      changed.put("size", "2");
      assertThat(file.rewrite(changed, Set.of()).orElseThrow())
          .isEqualTo("home = ${maverick.test.home}/models\nsize = 2\n");
      // a value needing the typed format would turn the variable into its value: refused, named
      changed.put("size", 2);
      assertThatThrownBy(() -> file.rewrite(changed, Set.of())).hasMessageContaining("'home'")
          .hasMessageContaining("${...}");
    } finally {
      System.clearProperty("maverick.test.home");
    }
  }

  @Test
  void removedKeysGoWithTheirCommentsAndNothingChangedWritesNothing() throws Exception {
    CfgFile file = CfgFile.parse(HAND_WRITTEN, null);
    Map<String, Object> changed = configuration(file);
    assertThat(file.rewrite(changed, ECHO_METATYPE)).isEmpty();
    changed.remove("max_queue_size");
    assertThat(file.rewrite(changed, ECHO_METATYPE).orElseThrow())
        .isEqualTo("# the echo handler, by hand\nname = echo\ndelay_ms = 0\n");
  }

  @Test
  void keysTheFrameworkOwnsAreKeptAsWrittenAndNeverTakenFromTheConfiguration() throws Exception {
    CfgFile file = CfgFile.parse("service.ranking = 5\nname = echo\n", null);
    Map<String, Object> changed = new LinkedHashMap<>(Map.of("name", "other"));
    assertThat(file.rewrite(changed, ECHO_METATYPE).orElseThrow()).isEqualTo("service.ranking = 5\nname = other\n");
  }

  @Test
  void aNumberThatIsNotFiniteIsRefusedNamingItsKey() throws Exception {
    CfgFile file = CfgFile.parse(HAND_WRITTEN, null);
    Map<String, Object> changed = configuration(file);
    changed.put("ratio", Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> file.rewrite(changed, ECHO_METATYPE)).hasMessageContaining("'ratio'")
        .hasMessageContaining("Infinity is not a finite number");
  }

  private static Map<String, Object> configuration(CfgFile file) {
    return new LinkedHashMap<>(file.values());
  }
}
