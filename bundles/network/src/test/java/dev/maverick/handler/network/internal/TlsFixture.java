package dev.maverick.handler.network.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate for localhost and 127.0.0.1, made with the JDK's keytool,
 * and a PKCS12 trust store holding only that certificate: what a private-CA deployment gives the
 * network handler's {@code trust_store}.
 */
final class TlsFixture {
  static final String SERVER_PASSWORD = "server-store-pw";
  static final String TRUST_PASSWORD = "trust-store-pw-4a1b";

  final Path serverStore;
  final Path trustStore;

  private TlsFixture(Path serverStore, Path trustStore) {
    this.serverStore = serverStore;
    this.trustStore = trustStore;
  }

  static TlsFixture create(Path dir) throws IOException, InterruptedException {
    Path server = dir.resolve("server.p12");
    Path certificate = dir.resolve("server.pem");
    Path trust = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass", SERVER_PASSWORD, "-keypass", SERVER_PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "server", "-file", certificate.toString(),
        "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass", SERVER_PASSWORD);
    keytool("-importcert", "-noprompt", "-alias", "server", "-file", certificate.toString(),
        "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", TRUST_PASSWORD);
    return new TlsFixture(server, trust);
  }

  /** The server side: its key and certificate. */
  SSLContext serverContext() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverStore)) {
      store.load(in, SERVER_PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, SERVER_PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}
