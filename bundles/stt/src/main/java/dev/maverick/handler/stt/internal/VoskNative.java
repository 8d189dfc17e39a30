package dev.maverick.handler.stt.internal;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every generation of this bundle load the one same copy of {@code libvosk.so}.
 *
 * <p>Left to itself, JNA extracts the library from the bundle to a new temporary file for each
 * class loader, so an updated or reinstalled bundle would load a second copy into the process.
 * The copies share their C++ unique symbols (JNA opens libraries {@code RTLD_GLOBAL}), and the
 * process can then free the same object twice when a copy is unloaded or at exit. Extracting it
 * once to a path named by its content hash (in {@code ~/.cache/maverick-handlers/vosk}, checked
 * against the hash before each use), and telling JNA to look there first, makes
 * {@code dlopen} return the library already loaded instead.
 */
final class VoskNative {
  private static final Logger LOG = LoggerFactory.getLogger(VoskNative.class);
  private static final String LIBRARY = "vosk";
  private static boolean prepared;

  private VoskNative() {}

  /** Call before the first use of any {@code org.vosk} class. Failures leave JNA to its own search. */
  static synchronized void prepare() {
    if (prepared) {
      return;
    }
    prepared = true;
    String resource = Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName(LIBRARY);
    URL url = VoskNative.class.getClassLoader().getResource(resource);
    if (url == null) {
      LOG.debug("no {} in the bundle; JNA searches the system for libvosk", resource);
      return;
    }
    try {
      String hash = sha256(url);
      Path directory = cacheDirectory().resolve(hash.substring(0, 16));
      Path library = directory.resolve(System.mapLibraryName(LIBRARY));
      if (!Files.isRegularFile(library) || !sha256(library.toUri().toURL()).equals(hash)) {
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "libvosk", ".tmp");
        try (InputStream in = url.openStream(); OutputStream out = Files.newOutputStream(temporary)) {
          in.transferTo(out);
        }
        Files.move(temporary, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("extracted {} to {}", resource, library);
      }
      NativeLibrary.addSearchPath(LIBRARY, directory.toString());
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot extract {} to a shared place ({}); JNA extracts it itself, and an updated bundle will "
          + "load a second copy", resource, e.toString());
    }
  }

  /** The user's cache, as JNA's own extraction uses; the content hash is checked before each use. */
  private static Path cacheDirectory() {
    Path home = Path.of(System.getProperty("user.home", "."));
    Path cache = home.resolve(".cache");
    if (Files.isDirectory(cache) ? Files.isWritable(cache) : Files.isWritable(home)) {
      return cache.resolve("maverick-handlers").resolve("vosk");
    }
    return Path.of(System.getProperty("java.io.tmpdir"),
        "maverick-vosk-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_-]", "_"));
  }

  private static String sha256(URL url) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(url.openStream(), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
