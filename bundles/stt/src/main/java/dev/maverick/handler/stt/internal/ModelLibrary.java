package dev.maverick.handler.stt.internal;

import java.nio.file.Path;

/**
 * Where a handler gets its model: the directory of {@code model_path}, or else the default model
 * (in OSGi, the one an installed model bundle brings), loaded once and shared.
 */
final class ModelLibrary implements AutoCloseable {

  /** Finds the default model. */
  interface DefaultModel {
    /**
     * The default model's directory, ready to load; may wait for a copy in progress.
     *
     * @throws ModelUnavailableException if there is none
     */
    Path locate();

    /** For stats and logs: which model, or why there is none. */
    String describe();

    /** True while the default model is being copied to where the native recognizer can open it. */
    default boolean copying() {
      return false;
    }
  }

  private final VoskModels models = new VoskModels();
  private final DefaultModel defaultModel;

  ModelLibrary(DefaultModel defaultModel) {
    this.defaultModel = defaultModel;
  }

  /** A library whose default model is a fixed directory (plain Java, tests). */
  static ModelLibrary withDefault(Path directory) {
    return new ModelLibrary(new DefaultModel() {
      @Override
      public Path locate() {
        return directory;
      }

      @Override
      public String describe() {
        return directory.toString();
      }
    });
  }

  /** A library with no default model: every handler must set {@code model_path}. */
  static ModelLibrary withoutDefault() {
    return new ModelLibrary(new DefaultModel() {
      @Override
      public Path locate() {
        throw new ModelUnavailableException("no speech model: set model_path to a Vosk model directory");
      }

      @Override
      public String describe() {
        return "none (set model_path)";
      }
    });
  }

  /**
   * Takes a use of the model the settings name.
   *
   * @throws ModelUnavailableException if there is none or it cannot be loaded
   */
  VoskModels.Lease acquire(SttSettings settings) {
    return models.acquire(settings.modelDirectory().orElseGet(defaultModel::locate));
  }

  /** Takes a use of the model in a directory. */
  VoskModels.Lease acquire(Path directory) {
    return models.acquire(directory);
  }

  /** For stats: the model the settings name. */
  String describe(SttSettings settings) {
    return settings.modelDirectory().map(Path::toString).orElseGet(() -> "default: " + defaultModel.describe());
  }

  /** For stats: {@code loaded}, {@code loading} or {@code not loaded}. */
  String state(Path directory) {
    return models.state(directory);
  }

  /**
   * For stats, while a use of the settings' model is being taken: {@code copying} (the default
   * model is being copied out of its bundle) or {@code loading}.
   */
  String pendingState(SttSettings settings) {
    return settings.modelDirectory().isEmpty() && defaultModel.copying() ? "copying" : "loading";
  }

  /** How many models are loaded. */
  int loadedCount() {
    return models.loadedCount();
  }

  @Override
  public void close() {
    models.close();
  }
}
