package dev.maverick.handler.config.files.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes configuration files whole and with the right permissions: a new file beside the target,
 * created with its final mode (never readable by others for a moment), moved into place, so no
 * reader sees half a file. A file holding a secret is owner-only ({@code rw-------}); a file that
 * exists keeps its mode, narrowed to owner-only when it now holds a secret, never widened.
 */
final class SafeFiles {
  /** Owner read and write: a file holding a secret. */
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  /** A new file without a secret, as editors make them. */
  static final Set<PosixFilePermission> DEFAULT = PosixFilePermissions.fromString("rw-r--r--");

  private SafeFiles() {}

  /**
   * Writes {@code text} to {@code file} whole.
   *
   * @param secret the text holds a secret: the file is owner-only
   */
  static void write(Path file, String text, Charset charset, boolean secret) throws IOException {
    Set<PosixFilePermission> mode = mode(file, secret);
    Path part = file.resolveSibling("." + file.getFileName() + ".part");
    Files.deleteIfExists(part); // a leftover, or something planted: never written through
    FileAttribute<?>[] attributes = mode == null ? new FileAttribute<?>[0]
        : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
    try (SeekableByteChannel out = Files.newByteChannel(part,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
      ByteBuffer bytes = charset.encode(text);
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The mode a rewrite of {@code file} gets; null where the file system has no POSIX modes. */
  static Set<PosixFilePermission> mode(Path file, boolean secret) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return null;
    }
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return secret ? OWNER_ONLY : DEFAULT;
    }
    Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
    mode.addAll(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
    if (secret) {
      mode.retainAll(OWNER_ONLY);
    }
    return mode;
  }
}
