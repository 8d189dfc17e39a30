package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.InvalidConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedHostsTest {
  private static final int PORT = 8181;
  private final AllowedHosts loopback = AllowedHosts.of(AllowedHosts.LOOPBACK);

  @Test
  void loopbackNamesAreServedWithTheServersPortOrNone() {
    for (String host : List.of("localhost", "localhost:8181", "LocalHost:8181", "127.0.0.1", "127.0.0.1:8181", "[::1]",
        "[::1]:8181", "[0:0:0:0:0:0:0:1]:8181")) {
      assertThat(loopback.allows(host, PORT, List.of())).as(host).isTrue();
    }
  }

  @Test
  void rebindingNamesOtherPortsAndGarbageAreRefused() {
    for (String host : List.of("rebind.attacker.example:8181", "rebind.attacker.example", "localhost:9999",
        "127.0.0.1.attacker.example", "localhost.", "127.0.0.2:8181", "[::2]:8181", "localhost:0", "localhost:99999",
        "local host", "", "user@localhost", "localhost:8181/x", "[localhost]")) {
      assertThat(loopback.allows(host, PORT, List.of())).as(host).isFalse();
    }
    assertThat(loopback.allows(null, PORT, List.of())).isFalse();
  }

  @Test
  void theAddressTheConnectionCameInOnIsAlwaysServed() {
    AllowedHosts none = AllowedHosts.of(List.of());
    assertThat(none.allows("192.0.2.7:8181", PORT, List.of("192.0.2.7"))).isTrue();
    assertThat(none.allows("192.0.2.7", PORT, List.of("192.0.2.7"))).isTrue();
    assertThat(none.allows("192.0.2.7:80", PORT, List.of("192.0.2.7"))).isFalse();
    assertThat(none.allows("[fe80::1]:8181", PORT, List.of("fe80:0:0:0:0:0:0:1"))).isTrue();
    assertThat(none.allows("admin.lan:8181", PORT, List.of("admin.lan"))).as("a bind host given as a name").isTrue();
    assertThat(none.allows("localhost:8181", PORT, List.of("192.0.2.7"))).isFalse();
  }

  @Test
  void anEntryWithAPortMatchesThatPortOnly() {
    AllowedHosts proxied = AllowedHosts.of(List.of("admin.example.org:443", "Other.Example"));
    assertThat(proxied.allows("admin.example.org:443", PORT, List.of())).isTrue();
    assertThat(proxied.allows("admin.example.org", PORT, List.of())).isFalse();
    assertThat(proxied.allows("admin.example.org:8181", PORT, List.of())).isFalse();
    assertThat(proxied.allows("other.example:8181", PORT, List.of())).isTrue();
  }

  @Test
  void aBadEntryIsAConfigurationErrorNamingTheKey() {
    assertThatThrownBy(() -> AllowedHosts.of(List.of("localhost", "*.example.org")))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("allowed_hosts")
        .hasMessageContaining("*.example.org");
    assertThatThrownBy(() -> AllowedHosts.of(List.of("host:70000"))).hasMessageContaining("allowed_hosts");
    assertThatThrownBy(() -> AllowedHosts.of(List.of("[not-an-address]"))).hasMessageContaining("allowed_hosts");
  }
}
