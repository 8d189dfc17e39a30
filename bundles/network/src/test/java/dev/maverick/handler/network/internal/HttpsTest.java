package dev.maverick.handler.network.internal;

import static dev.maverick.handler.network.internal.TestServer.json;
import static dev.maverick.handler.network.internal.Handlers.seedResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.NetworkCallException;
import dev.maverick.handler.ds.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https against a server whose self-signed certificate is made here, trusted through trust_store. */
class HttpsTest {
  @TempDir static Path dir;
  private static TlsFixture tls;
  private static TestServer server;
  private final Handlers handlers = new Handlers();

  @BeforeAll
  static void startServer() throws Exception {
    tls = TlsFixture.create(dir);
    server = TestServer.https(tls.serverContext()).respond(json(200, "{\"secure\": true}"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void closeHandlers() {
    handlers.close();
  }

  private Map<String, Object> https(String host, Map<String, Object> more) {
    Map<String, Object> properties = new java.util.HashMap<>(more);
    properties.put("scheme", "https");
    properties.put("host", host);
    return properties;
  }

  @Test
  void aPrivateTrustStoreLetsTheHandlerCallTheSelfSignedServer() throws Exception {
    NetworkHandler handler = handlers.create(server.port(), https("localhost",
        Map.of("trust_store", tls.trustStore.toString(), "trust_store_password", TlsFixture.TRUST_PASSWORD,
            "auth", "tls-key")));
    assertThat(seedResult(handler.generate("over tls"))).containsEntry("status", 200).containsEntry("body", Map.of("secure", true));
    TestServer.Recorded request = server.take();
    assertThat(request.header("x-api-key")).isEqualTo("tls-key");
    assertThat(handler.stats().details()).containsEntry("url", "https://localhost:" + server.port() + "/")
        .containsEntry("trust_store", tls.trustStore.toString()).containsEntry("trust_store_password", "********");
    Eventually.balanced(handler);
  }

  @Test
  void theCertificateIsCheckedForTheIpAddressToo() {
    NetworkHandler handler = handlers.create(server.port(), https("127.0.0.1",
        Map.of("trust_store", tls.trustStore.toString(), "trust_store_password", TlsFixture.TRUST_PASSWORD)));
    assertThat(seedResult(handler.generate("by address"))).containsEntry("status", 200);
  }

  @Test
  void withoutTheTrustStoreTheServerIsNotTrustedAndTheCallIsNotRetried() {
    int before = server.requestCount();
    NetworkHandler handler = handlers.create(server.port(), https("localhost", Map.of("retries", 2, "retry_backoff", 0)));
    assertThatThrownBy(() -> handler.generate("untrusted"))
        .isInstanceOf(NetworkCallException.class)
        .hasMessageContaining("POST https://localhost:" + server.port() + "/ failed: TLS failed")
        .hasMessageNotContaining("attempts");
    assertThat(server.requestCount()).isEqualTo(before);
    assertThat(handler.stats().networkErrorCount()).isEqualTo(1);
    Eventually.balanced(handler);
  }

  @Test
  void aWrongTrustStorePasswordIsAConfigurationErrorThatDoesNotShowIt() {
    assertThatThrownBy(() -> handlers.kind().validate(https("localhost", Map.of("name", "tls", "port", server.port(),
        "trust_store", tls.trustStore.toString(), "trust_store_password", "not-the-password"))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'trust_store_password'")
        .hasMessageContaining("********")
        .hasMessageNotContaining("not-the-password");
  }

  @Test
  void aTrustStoreThatIsNotOneIsAConfigurationError() throws Exception {
    Path notAStore = Files.writeString(dir.resolve("not-a-store.p12"), "hello");
    assertThatThrownBy(() -> handlers.kind().validate(https("localhost", Map.of("name", "tls",
        "trust_store", notAStore.toString(), "trust_store_password", "x"))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'trust_store'")
        .hasMessageContaining("a readable PKCS12 or JKS trust store file");
  }
}
