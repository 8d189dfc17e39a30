package dev.maverick.handler.network.internal;

import dev.maverick.handler.InvalidConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS context for {@code trust_store}: a PKCS12 or JKS file whose certificates are
 * the only ones trusted (a private CA, or a server's self-signed certificate). Host names are still
 * verified against the certificate.
 */
final class TrustStores {
  private static final String FILE_RULE = "a readable PKCS12 or JKS trust store file";

  private TrustStores() {}

  /**
   * @throws InvalidConfigurationException naming {@code trust_store} (missing, unreadable, not a
   *     key store, no certificate) or {@code trust_store_password} (wrong; shown masked)
   */
  static SSLContext sslContext(String file, String password) {
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      throw new InvalidConfigurationException(NetworkSettings.TRUST_STORE, file, FILE_RULE, e);
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new InvalidConfigurationException(NetworkSettings.TRUST_STORE, file,
          FILE_RULE + "; " + path.toAbsolutePath() + " is not one");
    }
    KeyStore store = load(file, path, password);
    try {
      boolean anyCertificate = false;
      for (String alias : Collections.list(store.aliases())) {
        anyCertificate |= store.isCertificateEntry(alias) || store.getCertificate(alias) != null;
      }
      if (!anyCertificate) {
        throw new InvalidConfigurationException(NetworkSettings.TRUST_STORE, file,
            "a trust store holding at least one certificate; this one holds none");
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new InvalidConfigurationException(NetworkSettings.TRUST_STORE, file,
          "a trust store usable for TLS: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String file, Path path, String password) {
    KeyStore store;
    try {
      // with the JDK's keystore.type.compat (on by default) this type reads JKS files as well
      store = KeyStore.getInstance("PKCS12");
    } catch (KeyStoreException e) {
      throw new IllegalStateException("this JVM has no PKCS12 key store", e);
    }
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, password == null ? null : password.toCharArray());
      return store;
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new InvalidConfigurationException(NetworkSettings.TRUST_STORE_PASSWORD, password,
            "the password of " + path.toAbsolutePath() + " (it was not accepted)");
      }
      throw new InvalidConfigurationException(NetworkSettings.TRUST_STORE, file,
          FILE_RULE + "; reading it failed: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new InvalidConfigurationException(NetworkSettings.TRUST_STORE, file,
          FILE_RULE + "; its certificates could not be read: " + e.getMessage(), e);
    }
  }
}
