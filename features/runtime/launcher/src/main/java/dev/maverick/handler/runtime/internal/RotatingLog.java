package dev.maverick.handler.runtime.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The runtime's log file, rotated by size: once {@code maverick.log} holds {@code maxBytes}, it
 * becomes {@code maverick.log.1} (the older ones move up, {@code .1} to {@code .2} ..., the oldest
 * is dropped) and a new {@code maverick.log} begins, so the log takes at most about
 * {@code maxBytes × files}. A file is switched only after a complete line, so no line is split
 * across files. slf4j-simple cannot rotate; the runtime points it at {@code System.err} and makes
 * {@code System.err} this stream.
 */
final class RotatingLog extends OutputStream {
  /** System or framework property: the size at which the log rotates; {@code 10m} unless set. */
  static final String MAX_SIZE_PROPERTY = "maverick.log.maxSize";
  /** System or framework property: how many files the log keeps, the current one included; 5 unless set. */
  static final String MAX_FILES_PROPERTY = "maverick.log.maxFiles";
  static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  static final int DEFAULT_FILES = 5;

  private final Path file;
  private final long maxBytes;
  private final int files;
  private OutputStream out;
  private long size;
  private boolean atLineStart = true;

  /** The limits of a log: where it rotates, and how many files it keeps. */
  record Limits(long maxBytes, int files) {
    /**
     * Reads {@value #MAX_SIZE_PROPERTY} (bytes, or with a suffix {@code k}, {@code m} or {@code g})
     * and {@value #MAX_FILES_PROPERTY}.
     *
     * @throws IllegalArgumentException naming the property, the value and what is allowed
     */
    static Limits of(UnaryOperator<String> property) {
      String size = property.apply(MAX_SIZE_PROPERTY);
      String count = property.apply(MAX_FILES_PROPERTY);
      return new Limits(size == null ? DEFAULT_MAX_BYTES : bytes(size), count == null ? DEFAULT_FILES : files(count));
    }

    private static long bytes(String text) {
      String value = text.trim().toLowerCase(Locale.ROOT);
      value = value.endsWith("b") ? value.substring(0, value.length() - 1) : value;
      long unit = value.endsWith("k") ? 1024 : value.endsWith("m") ? 1024 * 1024 : value.endsWith("g") ? 1L << 30 : 1;
      String digits = unit == 1 ? value : value.substring(0, value.length() - 1);
      try {
        long bytes = Math.multiplyExact(Long.parseLong(digits.trim()), unit);
        if (bytes >= 1024) {
          return bytes;
        }
      } catch (NumberFormatException | ArithmeticException e) {
        // reported below
      }
      throw new IllegalArgumentException(MAX_SIZE_PROPERTY + "=" + text + ": expected a size of at least 1024 bytes,"
          + " in bytes or with k, m or g (e.g. 10m)");
    }

    private static int files(String text) {
      try {
        int files = Integer.parseInt(text.trim());
        if (files >= 1 && files <= 1000) {
          return files;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(MAX_FILES_PROPERTY + "=" + text
          + ": expected a whole number of files from 1 to 1000, the current one included");
    }
  }

  /** Opens the log, appending to the file if it exists (created owner-only). */
  RotatingLog(Path file, Limits limits) throws IOException {
    this.file = file;
    this.maxBytes = limits.maxBytes();
    this.files = limits.files();
    open();
  }

  @Override
  public synchronized void write(int b) throws IOException {
    rotateIfFull();
    out.write(b);
    size++;
    atLineStart = b == '\n';
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    if (length == 0) {
      return;
    }
    rotateIfFull();
    out.write(bytes, offset, length);
    size += length;
    atLineStart = bytes[offset + length - 1] == '\n';
  }

  @Override
  public synchronized void flush() throws IOException {
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  private void rotateIfFull() throws IOException {
    if (size < maxBytes || !atLineStart) {
      return;
    }
    out.close();
    if (files == 1) {
      Files.delete(file);
    } else {
      Files.deleteIfExists(numbered(files - 1));
      for (int i = files - 2; i >= 1; i--) {
        if (Files.exists(numbered(i))) {
          Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    }
    open();
  }

  private void open() throws IOException {
    if (!Files.exists(file) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    size = Files.exists(file) ? Files.size(file) : 0;
    out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
        8192);
    atLineStart = true;
  }

  private Path numbered(int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }
}
