package dev.maverick.handler.stt.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's speech models: the shared {@link ModelLibrary}, and an extender that finds model
 * bundles (data-only bundles declaring a {@value #NAMESPACE} capability, such as
 * {@code dev.maverick.handler.stt-model}) and copies each one's model directory to this bundle's
 * data area, where the native recognizer can open its files. The copy is made on first use (the
 * first item a handler transcribes with the default model), not when the bundle starts: copying
 * 68 MB would compete with the rest of the runtime's start for the disk and the CPU. It is kept
 * across restarts until the model bundle changes, and deleted when the model bundle is
 * uninstalled.
 *
 * <p>Capability attributes: {@value #NAMESPACE} (the model's name), {@code path} (its directory
 * inside the bundle), and optionally {@code engine}, {@code language}, {@code sample_rate}. When
 * several model bundles are installed, the default model is the one with the highest bundle
 * version; a handler can always name another directory with {@code model_path}.
 */
@Component(service = SttModels.class)
public final class SttModels implements ModelLibrary.DefaultModel {
  /** The capability namespace of model bundles. */
  static final String NAMESPACE = "dev.maverick.handler.stt.model";

  private static final Logger LOG = LoggerFactory.getLogger(SttModels.class);
  private static final String MARKER = ".maverick-installed";
  private static final long COPY_WAIT_MINUTES = 10;

  private final File dataArea;
  private final ModelLibrary library = new ModelLibrary(this);
  private final ExecutorService installer = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "stt-model-installer");
    thread.setDaemon(true);
    return thread;
  });
  private final BundleTracker<ModelBundle> tracker;

  /** Starts tracking model bundles. */
  @Activate
  public SttModels(BundleContext context) {
    this.dataArea = context.getDataFile("models");
    this.tracker = new BundleTracker<>(context, Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING,
        new Customizer());
    if (dataArea != null) {
      installer.execute(this::removeLeftovers);
    }
    tracker.open();
  }

  @Deactivate
  void deactivate() {
    tracker.close();
    installer.shutdownNow();
    library.close();
  }

  /** The models of this bundle's handlers. */
  ModelLibrary library() {
    return library;
  }

  @Override
  public Path locate() {
    ModelBundle best = best();
    if (best == null) {
      throw new ModelUnavailableException("no speech model installed: install the bundle "
          + "dev.maverick.handler.stt-model (or another bundle providing " + NAMESPACE
          + "), or set model_path to a Vosk model directory");
    }
    try {
      return best.copy().get(COPY_WAIT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new ModelUnavailableException("the model of bundle " + best.describe() + " could not be copied: "
          + e.getCause(), e.getCause());
    } catch (CancellationException e) {
      throw new ModelUnavailableException("the model of bundle " + best.describe() + " is gone (bundle stopped)");
    } catch (TimeoutException e) {
      throw new ModelUnavailableException("the model of bundle " + best.describe() + " is still being copied after "
          + COPY_WAIT_MINUTES + " minutes");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelUnavailableException("interrupted while waiting for the model of bundle " + best.describe());
    }
  }

  @Override
  public String describe() {
    ModelBundle best = best();
    if (best == null) {
      return "none installed";
    }
    return best.describe() + " (" + state(best) + ")";
  }

  @Override
  public boolean copying() {
    ModelBundle best = best();
    return best != null && best.started() && !best.copy().isDone();
  }

  private static String state(ModelBundle model) {
    if (!model.started()) {
      return "copied on first use";
    }
    Future<Path> copy = model.copy();
    if (!copy.isDone()) {
      return "copying";
    }
    try {
      return copy.get().toString();
    } catch (ExecutionException | CancellationException | InterruptedException e) {
      return "copy failed";
    }
  }

  private ModelBundle best() {
    Map<Bundle, ModelBundle> tracked = tracker.getTracked();
    return tracked.values().stream().max(Comparator.comparing((ModelBundle model) -> model.version)
        .thenComparing(model -> model.bundle.getBundleId())).orElse(null);
  }

  /** Copies a model bundle's model directory to the data area, unless an identical copy is there. */
  private Path install(ModelBundle model) throws IOException {
    if (dataArea == null) {
      throw new IOException("the framework gives the STT bundle no data area to copy the model to");
    }
    Path target = model.directory(dataArea.toPath());
    String stamp = model.stamp();
    Path marker = target.resolve(MARKER);
    if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(stamp)) {
      LOG.debug("speech model {} already in {}", model.describe(), target);
      return target;
    }
    long start = System.nanoTime();
    Files.createDirectories(target.getParent());
    Path temporary = target.resolveSibling(target.getFileName() + ".tmp-" + System.nanoTime());
    long bytes = copyEntries(model, temporary);
    Files.writeString(temporary.resolve(MARKER), stamp, StandardCharsets.UTF_8);
    deleteTree(target);
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("speech model {} copied to {} ({} MB in {} ms)", model.describe(), target, bytes >> 20,
        (System.nanoTime() - start) / 1_000_000);
    return target;
  }

  private static long copyEntries(ModelBundle model, Path temporary) throws IOException {
    String root = model.path.endsWith("/") ? model.path : model.path + "/";
    Deque<String> folders = new ArrayDeque<>(List.of(root));
    long bytes = 0;
    int files = 0;
    Path base = temporary.toAbsolutePath().normalize();
    while (!folders.isEmpty()) {
      Enumeration<String> entries = model.bundle.getEntryPaths(folders.pop());
      while (entries != null && entries.hasMoreElements()) {
        String entry = entries.nextElement();
        if (entry.endsWith("/")) {
          folders.push(entry);
          continue;
        }
        Path file = base.resolve(entry.substring(root.length())).normalize();
        if (!file.startsWith(base)) {
          throw new IOException("bundle entry " + entry + " points outside the model directory");
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new IOException("copy interrupted (the STT bundle is stopping)");
        }
        Files.createDirectories(file.getParent());
        URL url = model.bundle.getEntry(entry);
        try (InputStream in = url.openStream()) {
          bytes += Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        files++;
      }
    }
    if (files == 0) {
      throw new IOException("bundle " + model.describe() + " has no files under " + root);
    }
    return bytes;
  }

  /** Copies interrupted by a stop of the bundle leave temporary directories behind. */
  private void removeLeftovers() {
    File[] children = dataArea.listFiles();
    if (children == null) {
      return;
    }
    for (File child : children) {
      if (child.getName().contains(".tmp-")) {
        try {
          deleteTree(child.toPath());
        } catch (IOException e) {
          LOG.warn("cannot delete the leftover {}: {}", child, e.toString());
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException error) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** A tracked model bundle and the copy of its model, made on the installer thread on first use. */
  private final class ModelBundle {
    final Bundle bundle;
    final String name;
    final String path;
    final Version version;
    final long lastModified;
    private final FutureTask<Path> copy = new FutureTask<>(() -> install(this));
    private final AtomicBoolean started = new AtomicBoolean();

    ModelBundle(Bundle bundle, String name, String path) {
      this.bundle = bundle;
      this.name = name;
      this.path = path;
      this.version = bundle.getVersion();
      this.lastModified = bundle.getLastModified();
    }

    /** The copy, started by the first call. */
    Future<Path> copy() {
      if (started.compareAndSet(false, true)) {
        try {
          installer.execute(copy);
        } catch (RejectedExecutionException stopping) {
          copy.cancel(false); // the STT bundle is stopping
        }
      }
      return copy;
    }

    boolean started() {
      return started.get();
    }

    /** Cancels the copy; one not started yet never starts. */
    void cancel() {
      started.set(true);
      copy.cancel(true);
    }

    Path directory(Path dataArea) {
      return dataArea.resolve((bundle.getSymbolicName() + "_" + version).replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    String stamp() {
      return bundle.getSymbolicName() + " " + version + " " + lastModified + " " + name + " " + path;
    }

    String describe() {
      return name + " from " + bundle.getSymbolicName() + " " + version;
    }
  }

  private final class Customizer implements BundleTrackerCustomizer<ModelBundle> {
    @Override
    public ModelBundle addingBundle(Bundle bundle, BundleEvent event) {
      BundleRevision revision = bundle.adapt(BundleRevision.class);
      if (revision == null) {
        return null;
      }
      List<BundleCapability> capabilities = revision.getDeclaredCapabilities(NAMESPACE);
      if (capabilities.isEmpty()) {
        return null;
      }
      Map<String, Object> attributes = capabilities.get(0).getAttributes();
      Object name = attributes.get(NAMESPACE);
      Object path = attributes.get("path");
      if (!(path instanceof String) || ((String) path).isBlank()) {
        LOG.warn("bundle {} declares a {} capability without a 'path' attribute; ignored",
            bundle.getSymbolicName(), NAMESPACE);
        return null;
      }
      ModelBundle model = new ModelBundle(bundle, String.valueOf(name), (String) path);
      LOG.info("speech model {} found; copied to the data area on first use", model.describe());
      return model;
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, ModelBundle model) {
      // a started or stopped model bundle holds the same files
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, ModelBundle model) {
      model.cancel();
      if (bundle.getState() == Bundle.UNINSTALLED && dataArea != null) {
        Path copy = model.directory(dataArea.toPath());
        try {
          installer.execute(() -> {
            try {
              deleteTree(copy);
              LOG.info("speech model {} uninstalled; its copy {} deleted", model.describe(), copy);
            } catch (IOException e) {
              LOG.warn("cannot delete the copy {} of an uninstalled model: {}", copy, e.toString());
            }
          });
        } catch (RejectedExecutionException stopping) {
          // the STT bundle is stopping too; the copy is deleted with its data area, or reused
        }
      }
    }
  }
}
