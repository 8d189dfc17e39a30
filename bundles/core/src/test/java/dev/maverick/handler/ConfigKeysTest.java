package dev.maverick.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

  @Test
  void frameworkKeysAreRecognisedWhateverTheirCase() {
    for (String key : List.of("service.pid", "Service.Pid", "SERVICE.FACTORYPID", "felix.fileinstall.filename",
        "Felix.FileInstall.Filename", "component.name", "osgi.ds.satisfying.condition.target", "objectClass",
        "OBJECTCLASS", "handler.name", "Handler.Config.Error", "wire.from", ".private")) {
      assertThat(ConfigKeys.isFrameworkKey(key)).as(key).isTrue();
    }
    for (String key : List.of("max_queue_size", "name", "servicepid", "felixish", "my.service.pid", "auth")) {
      assertThat(ConfigKeys.isFrameworkKey(key)).as(key).isFalse();
    }
  }

  @Test
  void aUserKeyMustMatchTheRuleAndMustNotBeTheFrameworks() {
    ConfigKeys.checkUserKey("max_queue_size");
    ConfigKeys.checkUserKey("a.b-c_D9");
    for (String bad : List.of("", "a b", "key\nmax_queue_size = 7", "#comment", "!bang", "back\\slash", "x:Integer",
        "é", "k".repeat(129))) {
      assertThatThrownBy(() -> ConfigKeys.checkUserKey(bad)).as(bad)
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining(ConfigKeys.KEY_RULE)
          .hasMessageNotContaining("\n");
    }
    assertThatThrownBy(() -> ConfigKeys.checkUserKey("Felix.FileInstall.Filename"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("belong to the framework");
  }

  @Test
  void twoSpellingsOfOneKeyAreRefusedNamingBoth() {
    assertThatThrownBy(() -> ConfigKeys.checkUserKeys(List.of("max_queue_size", "verbose", "MAX_QUEUE_SIZE")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'MAX_QUEUE_SIZE'")
        .hasMessageContaining("'max_queue_size' is the same key");
    ConfigKeys.checkUserKeys(List.of("max_queue_size", "verbose"));
  }

  @Test
  void aValueThatFilesWouldInterpolateIsRefusedAndASecretStaysMasked() {
    ConfigKeys.checkUserValue("note", "costs $5 {each}");
    assertThatThrownBy(() -> ConfigKeys.checkUserValue("note", "${auth}"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'note'")
        .hasMessageContaining("without '${'");
    assertThatThrownBy(() -> ConfigKeys.checkUserValue("grammar", new String[] {"ok", "${env:HOME}"}))
        .isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> ConfigKeys.checkUserValue("auth", "s3cr${et"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageNotContaining("s3cr")
        .hasMessageContaining(HandlerConfig.MASK);
  }

  @Test
  void theNearestKnownKeyIsSuggestedOnlyWhenItLooksLikeATypo() {
    List<String> known = HandlerConfig.KNOWN_KEYS;
    assertThat(ConfigKeys.nearest("max_queue_szie", known)).contains("max_queue_size");
    assertThat(ConfigKeys.nearest("Verbose", known)).contains("verbose");
    assertThat(ConfigKeys.nearest("engine", known)).isEmpty();
    assertThat(ConfigKeys.nearest("x", known)).isEmpty();
  }

  @Test
  void ldapValuesCannotWidenOrBreakAFilter() {
    assertThat(ConfigKeys.ldapValue("a*b(c)d\\e")).isEqualTo("a\\2ab\\28c\\29d\\5ce");
    assertThat(ConfigKeys.ldapValue("plain.name-1")).isEqualTo("plain.name-1");
  }

  @Test
  void namesFollowTheirRule() {
    assertThat(ConfigKeys.isValidName("echo-2.a_b")).isTrue();
    assertThat(ConfigKeys.isValidName("-echo")).isFalse();
    assertThat(ConfigKeys.isValidName("../etc")).isFalse();
    assertThat(ConfigKeys.isValidName("n".repeat(65))).isFalse();
  }
}
