package dev.maverick.handler.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.ds.testing.MetatypeContract;
import dev.maverick.handler.ds.KindMetatype;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkKindTest {
  private static final String INSTANCE = NetworkKind.PID + "~faces";
  private final NetworkKind kind = new NetworkKind();

  /** A factory instance named faces calling faces.local, with more keys. */
  private static Map<String, Object> instance(Map<String, Object> more) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("service.pid", INSTANCE);
    properties.put("service.factoryPid", NetworkKind.PID);
    properties.put("name", "faces");
    properties.put("host", "faces.local");
    properties.putAll(more);
    return properties;
  }

  private NetworkSettings settings(Map<String, Object> more) {
    return NetworkSettings.from(kind.validate(instance(more)));
  }

  @Test
  void describesItself() {
    assertThat(kind.kind()).isEqualTo("network");
    assertThat(kind.pid()).isEqualTo("dev.maverick.handler.network");
    assertThat(kind.factoryOnly()).isTrue();
  }

  @Test
  void onlyNameAndHostAreNeededEverythingElseHasADefault() {
    HandlerConfig config = kind.validate(instance(Map.of()));
    assertThat(config.name()).hasValue("faces");
    assertThat(config.networkTimeout()).hasValue(Duration.ofSeconds(10));
    NetworkSettings settings = NetworkSettings.from(config);
    assertThat(settings.uri()).hasToString("http://faces.local:80/");
    assertThat(settings.toDisplayMap()).containsEntry("method", "POST").containsEntry("auth", null)
        .containsEntry("auth_header", "x-api-key").containsEntry("network_timeout", 10.0)
        .containsEntry("retries", 0).containsEntry("retry_backoff", 0.5)
        .containsEntry("max_response_bytes", 10485760).containsEntry("trust_store", null);
    assertThat(settings.authHeader()).isEmpty();
  }

  @Test
  void theSchemeDecidesTheDefaultPortAndAnIpv6HostIsBracketed() {
    assertThat(settings(Map.of("scheme", "https")).uri()).hasToString("https://faces.local:443/");
    assertThat(settings(Map.of("scheme", "HTTPS", "port", "8443", "path", "/v1/recognize?lang=en")).uri())
        .hasToString("https://faces.local:8443/v1/recognize?lang=en");
    assertThat(settings(Map.of("host", "::1", "port", 9000)).uri()).hasToString("http://[::1]:9000/");
  }

  @Test
  void anAuthSchemeAloneMeansTheAuthorizationHeader() {
    NetworkSettings bearer = settings(Map.of("auth", "t0k", "auth_scheme", "Bearer", "scheme", "https"));
    assertThat(bearer.authHeader()).hasValue("Authorization");
    assertThat(bearer.authHeaderValue()).isEqualTo("Bearer t0k");
    NetworkSettings named = settings(Map.of("auth", "t0k", "auth_scheme", "Token", "auth_header", "X-Auth",
        "scheme", "https"));
    assertThat(named.authHeader()).hasValue("X-Auth");
    assertThat(named.authHeaderValue()).isEqualTo("Token t0k");
    assertThat(settings(Map.of("auth", "")).authHeader()).as("an empty auth sends nothing").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "localhost", "LocalHost", "::1", "0:0:0:0:0:0:0:1", "[::1]",
      "::ffff:127.0.0.1"})
  void authMayGoOverPlainHttpToALoopbackHost(String host) {
    assertThat(settings(Map.of("host", host, "auth", "k3y")).authHeader()).hasValue("x-api-key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"faces.local", "10.0.0.5", "192.168.1.20", "128.0.0.1", "0.0.0.0", "::2", "fe80::1",
      "localhost.example.org", "127.0.0.1.nip.io", "1.127.0.0"})
  void authOverPlainHttpToAnyOtherHostNeedsAuthOverHttp(String host) {
    assertThatThrownBy(() -> settings(Map.of("host", host, "auth", "k3y"))).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("invalid value for 'scheme': 'http'")
        .hasMessageContaining("(" + host + ") is not a loopback name or address")
        .hasMessageContaining("set auth_over_http=true").hasMessageNotContaining("k3y")
        .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo("scheme"));
    assertThat(settings(Map.of("host", host, "auth", "k3y", "auth_over_http", true)).authHeader()).isPresent();
    assertThat(settings(Map.of("host", host, "auth", "k3y", "scheme", "https")).authHeader()).isPresent();
    assertThat(settings(Map.of("host", host)).authHeader()).as("no auth, nothing to protect").isEmpty();
    assertThat(settings(Map.of("host", host, "auth", "")).authHeader()).isEmpty();
  }

  @Test
  void theBackoffDoublesAfterEachFailedAttemptUpToAMinute() {
    NetworkSettings settings = settings(Map.of("retry_backoff", 0.5));
    assertThat(List.of(settings.retryDelay(1), settings.retryDelay(2), settings.retryDelay(3), settings.retryDelay(4)))
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(settings.retryDelay(10)).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings(Map.of("retry_backoff", 60)).retryDelay(10)).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings(Map.of("retry_backoff", 0)).retryDelay(5)).isZero();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "scheme             | ftp          | one of http, https",
      "port               | 0            | an integer from 1 to 65535",
      "port               | eighty       | an integer from 1 to 65535",
      "method             | GET          | one of POST, PUT, PATCH",
      "path               | recognize    | a path starting with '/'",
      "path               | /a b         | a path starting with '/'",
      "path               | /a#frag      | a path starting with '/'",
      "host               | http://faces | a host name or IP address only",
      "host               | user@faces   | a host name or IP address only",
      "host               | faces:8080   | a valid host name",
      "host               | bad_host     | a valid host name",
      "retries            | 11           | an integer from 0 to 10",
      "retries            | -1           | an integer from 0 to 10",
      "retry_backoff      | -0.5         | a number of seconds from 0.0 to 60.0",
      "retry_backoff      | 61           | a number of seconds from 0.0 to 60.0",
      "network_timeout    | 0            | a number of seconds > 0",
      "max_response_bytes | 0            | an integer from 1 to 2147483639",
      "max_response_bytes | 10MB         | an integer from 1 to 2147483639",
      "trust_store        | /etc/ca.p12  | a trust store only with scheme=https",
      "overflow_policy    | sometimes    | one of drop_newest, drop_oldest, block, fail",
      "worker_threads     | 1000         | an integer from 1 to 256",
      "wait_strategy      | busy         | one of park, spin",
  })
  void aBadValueIsRejectedNamingThePidTheKeyTheValueAndWhatIsAllowed(String key, String value, String allowed) {
    assertThatThrownBy(() -> kind.validate(instance(Map.of(key, value))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("configuration " + INSTANCE + ": ")
        .hasMessageContaining("'" + key + "'")
        .hasMessageContaining("'" + value + "'")
        .hasMessageContaining(allowed)
        .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo(key));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "auth_header | x api key    | an HTTP header name",
      "auth_header | Content-Type | not one the handler sets itself",
      "auth_header | X-Client-Id  | not one the handler sets itself",
      "auth_header | Host         | a header the HTTP client may set",
      "auth_scheme | Bearer token | one word such as Bearer",
  })
  void theAuthHeaderAndSchemeAreNotSecretsAndTheirErrorsShowTheValue(String key, String value, String allowed) {
    assertThatThrownBy(() -> kind.validate(instance(Map.of(key, value))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("configuration " + INSTANCE + ": invalid value for '" + key + "': '" + value.trim() + "'")
        .hasMessageContaining(allowed);
  }

  @Test
  void anAuthValueThatWouldBreakTheHeaderIsRejectedWithoutShowingIt() {
    assertThatThrownBy(() -> kind.validate(instance(Map.of("auth", "abc\r\nX-Admin: yes"))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'auth': ********")
        .hasMessageContaining("printable ASCII without line breaks")
        .hasMessageNotContaining("abc");
  }

  @Test
  void aClientIdPrefixThatWouldBreakTheXClientIdHeaderIsRejected() {
    assertThatThrownBy(() -> kind.validate(instance(Map.of("client_id_prefix", "c\r\nX-Injected: yes"))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("invalid value for 'client_id_prefix'")
        .hasMessageContaining("printable ASCII without line breaks (it is sent in the X-Client-Id header)");
    kind.validate(instance(Map.of("client_id_prefix", "robot-7 (kitchen)")));
  }

  @Test
  void requiredKeysAreNamedWhenMissing() {
    Map<String, Object> noHost = instance(Map.of());
    noHost.remove("host");
    assertThatThrownBy(() -> kind.validate(noHost)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("configuration " + INSTANCE + ": missing required key 'host'; expected: the server's host name "
            + "or IP address, e.g. 127.0.0.1 or faces.example.org");
    Map<String, Object> noName = instance(Map.of());
    noName.remove("name");
    assertThatThrownBy(() -> kind.validate(noName)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("configuration " + INSTANCE + ": missing required key 'name'");
    assertThatThrownBy(() -> kind.validate(instance(Map.of("trust_store_password", "pw"))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("missing required key 'trust_store'").hasMessageNotContaining("pw");
    assertThatThrownBy(() -> kind.validate(instance(Map.of("scheme", "https", "trust_store", "/no/such/file.p12"))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'trust_store': '/no/such/file.p12'").hasMessageContaining("is not one");
  }

  @Test
  void aSingletonConfigurationIsRejectedNetworkHandlersAreFactoryInstances() {
    Map<String, Object> singleton = instance(Map.of());
    singleton.remove("service.factoryPid");
    singleton.put("service.pid", NetworkKind.PID);
    assertThatThrownBy(() -> kind.validate(singleton)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("configuration dev.maverick.handler.network: missing required key 'service.factoryPid'")
        .hasMessageContaining("network handlers are factory instances");
  }

  @Test
  void toolsMayValidateAnInstanceBeforeItExists() {
    HandlerConfig config = kind.validate(Map.of("name", "tts", "host", "127.0.0.1", "port", "5002", "path", "/tts"));
    assertThat(NetworkSettings.from(config).uri()).hasToString("http://127.0.0.1:5002/tts");
  }

  @Test
  void theMetatypeDescribesEveryKeyWithTheDefaultInForce() {
    KindMetatype ocd = MetatypeContract.read(NetworkKind.PID);
    assertThat(ocd.factory()).as("factory instances only").isTrue();
    List<String> coreKeys = HandlerConfig.KNOWN_KEYS.stream().filter(key -> !key.equals("generate_results_callback")).toList();
    assertThat(ocd.keys()).containsAll(coreKeys).contains("scheme", "path", "method", "auth_header", "auth_scheme",
        "retries", "retry_backoff", "trust_store", "trust_store_password", "max_response_bytes");
    assertThat(ocd.attribute("auth").type()).isEqualTo("Password");
    assertThat(ocd.attribute("trust_store_password").type()).isEqualTo("Password");
    assertThat(ocd.attribute("method").options()).containsExactly("POST", "PUT", "PATCH");
    HandlerConfig defaults = kind.validate(instance(Map.of()));
    Map<String, Object> effective = new LinkedHashMap<>(defaults.toDisplayMap());
    effective.putAll(NetworkSettings.from(defaults).toDisplayMap());
    MetatypeContract.assertDefaultsAreEffective(ocd, effective);
  }

  @Test
  void theReadmeDocumentsEveryKey() {
    MetatypeContract.assertDocumented(Path.of("README.md"), MetatypeContract.read(NetworkKind.PID).keys());
  }
}
