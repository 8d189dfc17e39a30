package dev.maverick.handler.stt.internal;

import dev.maverick.handler.InvalidItemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The directories whose audio files a handler may read when it is fed a path ({@code audio_dirs}).
 *
 * <p>A fed path is whatever a client sends, so it is read only when its real path (every
 * {@code ..} and symbolic link resolved) lies under one of the directories, which are themselves
 * held as real paths. Every refusal has the same message, whatever the reason (no such file, a
 * directory, unreadable, outside the directories), so that feeding paths tells a client nothing
 * about files it may not read. With no directories, no path is read.
 */
final class AudioDirs {
  /** No directory: every fed path is refused. */
  static final AudioDirs NONE = new AudioDirs(List.of());

  private final List<Path> directories;

  /** @param directories real paths of existing directories */
  AudioDirs(List<Path> directories) {
    this.directories = List.copyOf(directories);
  }

  /**
   * Reads the configured directories: each must be an absolute path of an existing directory,
   * and is kept as its real path.
   *
   * @throws IllegalArgumentException saying which entry is wrong and why
   */
  static AudioDirs of(List<String> paths) {
    List<Path> real = new java.util.ArrayList<>();
    for (String entry : paths) {
      Path path;
      try {
        path = Path.of(entry);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("'" + entry + "' is not a valid path (" + e.getReason() + ")", e);
      }
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException("'" + entry + "' is not an absolute path");
      }
      if (!Files.isDirectory(path)) {
        throw new IllegalArgumentException("'" + entry + "' is not an existing directory");
      }
      try {
        real.add(path.toRealPath());
      } catch (IOException e) {
        throw new IllegalArgumentException("'" + entry + "' cannot be resolved: " + e.getMessage(), e);
      }
    }
    return new AudioDirs(real);
  }

  /** The directories, as real paths. */
  List<Path> directories() {
    return directories;
  }

  /**
   * The real path of a fed file that may be read: a readable regular file under one of the
   * directories.
   *
   * @param given the path as fed, for the message
   * @throws InvalidItemException with the one message of every refusal
   */
  Path readable(Path given) {
    if (directories.isEmpty()) {
      throw new InvalidItemException("audio file paths are not read: audio_dirs is empty (set it to the "
          + "directories whose files may be fed by path); refused '" + given + "'");
    }
    Path real;
    try {
      real = given.toRealPath();
    } catch (IOException | SecurityException e) {
      throw refused(given);
    }
    if (directories.stream().noneMatch(real::startsWith)
        || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(real)) {
      throw refused(given);
    }
    return real;
  }

  private InvalidItemException refused(Path given) {
    return new InvalidItemException("'" + given + "' is not a readable audio file under audio_dirs ("
        + directories.stream().map(Path::toString).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AudioDirs that && directories.equals(that.directories);
  }

  @Override
  public int hashCode() {
    return directories.hashCode();
  }

  @Override
  public String toString() {
    return directories.toString();
  }
}
