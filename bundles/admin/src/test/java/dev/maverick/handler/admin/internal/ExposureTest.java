package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExposureTest {

  @Test
  void loopbackEndpointsAreNotExposed() {
    assertThat(Exposure.beyondLoopback(List.of("http://127.0.0.1:8181/", "http://[::1]:8181/",
        "http://localhost:8181/"), "127.0.0.1")).isEmpty();
    assertThat(Exposure.beyondLoopback(List.of(), null)).isEmpty();
  }

  @Test
  void wildcardOtherAddressesAndNamesAreExposed() {
    assertThat(Exposure.beyondLoopback(List.of("http://0.0.0.0:8181/"), null)).hasSize(1);
    assertThat(Exposure.beyondLoopback(List.of("http://127.0.0.1:8181/", "http://192.0.2.10:8181/"), null))
        .containsExactly("http://192.0.2.10:8181/");
    assertThat(Exposure.beyondLoopback(List.of(), "0.0.0.0")).containsExactly("org.apache.felix.http.host=0.0.0.0");
    // names are not resolved: the server's own word for them cannot be checked
    assertThat(Exposure.beyondLoopback(List.of("http://admin.example:8181/"), null)).hasSize(1);
    assertThat(Exposure.beyondLoopback(List.of("/"), null)).hasSize(1);
  }

  @Test
  void loopbackIsTheWholeOf127Slash8AndColonColon1() {
    assertThat(Exposure.isLoopback("127.3.4.5")).isTrue();
    assertThat(Exposure.isLoopback("[::1]")).isTrue();
    assertThat(Exposure.isLoopback("::")).isFalse();
    assertThat(Exposure.isLoopback("10.0.0.1")).isFalse();
  }
}
