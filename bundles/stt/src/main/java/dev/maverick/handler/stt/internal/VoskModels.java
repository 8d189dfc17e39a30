package dev.maverick.handler.stt.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;

/**
 * Loaded Vosk models, one per directory, shared by every handler of the bundle and counted: a
 * model (100&ndash;250 MB of native memory) is loaded on first use and freed when its last user lets
 * go. A {@link Model} is thread-safe; recognizers made from it are not, and each holds its own
 * native reference, so freeing a model while a recognizer still runs is safe.
 */
final class VoskModels implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VoskModels.class);

  private final Map<Path, Entry> entries = new HashMap<>();
  private boolean closed;

  /** A use of a loaded model; close it to let go. */
  interface Lease extends AutoCloseable {
    /** The model, valid until this lease is closed. */
    Model model();

    /** The model directory. */
    Path directory();

    @Override
    void close();
  }

  /**
   * Takes a use of the model in {@code directory}, loading it if no one uses it yet.
   *
   * @throws ModelUnavailableException if it cannot be loaded
   */
  Lease acquire(Path directory) {
    Path key = directory.toAbsolutePath().normalize();
    Entry entry;
    synchronized (this) {
      if (closed) {
        throw new ModelUnavailableException("the speech models are closed (the STT bundle is stopping)");
      }
      entry = entries.computeIfAbsent(key, Entry::new);
      entry.users++;
    }
    try {
      entry.load();
    } catch (RuntimeException | LinkageError e) {
      release(entry);
      if (e instanceof ModelUnavailableException unavailable) {
        throw unavailable;
      }
      throw new ModelUnavailableException("the Vosk native library could not be loaded: " + e, e);
    }
    return new Lease() {
      private boolean released;

      @Override
      public Model model() {
        return entry.model;
      }

      @Override
      public Path directory() {
        return entry.directory;
      }

      @Override
      public synchronized void close() {
        if (!released) {
          released = true;
          release(entry);
        }
      }
    };
  }

  /** {@code loaded}, {@code loading} or {@code not loaded}. */
  synchronized String state(Path directory) {
    Entry entry = entries.get(directory.toAbsolutePath().normalize());
    if (entry == null) {
      return "not loaded";
    }
    return entry.model != null ? "loaded" : entry.loading ? "loading" : "not loaded";
  }

  /** How many models are loaded now. */
  synchronized int loadedCount() {
    return (int) entries.values().stream().filter(entry -> entry.model != null).count();
  }

  /** Frees every model; later acquisitions fail. */
  @Override
  public void close() {
    Map<Path, Entry> left;
    synchronized (this) {
      closed = true;
      left = new HashMap<>(entries);
      entries.clear();
    }
    left.values().forEach(Entry::free);
  }

  private void release(Entry entry) {
    boolean last;
    synchronized (this) {
      last = --entry.users == 0 && entries.get(entry.directory) == entry;
      if (last) {
        entries.remove(entry.directory);
      }
    }
    if (last) {
      entry.free();
    }
  }

  private static final class Entry {
    final Path directory;
    int users; // guarded by VoskModels.this
    volatile Model model;
    volatile boolean loading;

    Entry(Path directory) {
      this.directory = directory;
    }

    synchronized void load() {
      if (model != null) {
        return;
      }
      long start = System.nanoTime();
      loading = true;
      try {
        VoskNative.prepare();
        // before the first model: otherwise Kaldi writes its LOG lines to stderr
        LibVosk.setLogLevel(LogLevel.WARNINGS);
        model = new Model(directory.toString());
      } catch (IOException e) {
        throw new ModelUnavailableException("no usable Vosk model in " + directory + " (" + e.getMessage()
            + "); model_path must name a model directory with am/, conf/ and graph/ inside", e);
      } finally {
        loading = false;
      }
      LOG.info("speech model {} loaded in {} ms", directory, (System.nanoTime() - start) / 1_000_000);
    }

    synchronized void free() {
      if (model != null) {
        model.close();
        model = null;
        LOG.info("speech model {} freed", directory);
      }
    }
  }
}
