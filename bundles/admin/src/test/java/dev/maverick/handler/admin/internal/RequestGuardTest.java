package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestGuardTest {

  @Test
  void anOriginIsTheServersOwnWhenHostAndPortAreTheHostHeaders() {
    assertThat(RequestGuard.sameOrigin("http://127.0.0.1:8181", "127.0.0.1:8181")).isTrue();
    assertThat(RequestGuard.sameOrigin("http://LOCALHOST:8181", "localhost:8181")).isTrue();
    assertThat(RequestGuard.sameOrigin("https://admin.example.org", "admin.example.org")).isTrue();
    assertThat(RequestGuard.sameOrigin("https://admin.example.org", "admin.example.org:443")).isTrue();
    assertThat(RequestGuard.sameOrigin("http://[::1]:8181", "[0:0:0:0:0:0:0:1]:8181")).isTrue();
  }

  @Test
  void anyOtherOriginIsForeign() {
    assertThat(RequestGuard.sameOrigin("http://evil.example", "127.0.0.1:8181")).isFalse();
    assertThat(RequestGuard.sameOrigin("null", "127.0.0.1:8181")).isFalse();
    assertThat(RequestGuard.sameOrigin("http://127.0.0.1:8182", "127.0.0.1:8181")).isFalse();
    assertThat(RequestGuard.sameOrigin("http://localhost:8181", "127.0.0.1:8181")).isFalse();
    assertThat(RequestGuard.sameOrigin("http://127.0.0.1:8181/page", "127.0.0.1:8181")).isFalse();
    assertThat(RequestGuard.sameOrigin("file://", "127.0.0.1:8181")).isFalse();
    assertThat(RequestGuard.sameOrigin("http://127.0.0.1:8181", null)).isFalse();
    assertThat(RequestGuard.sameOrigin("http://user@127.0.0.1:8181", "127.0.0.1:8181")).isFalse();
  }
}
