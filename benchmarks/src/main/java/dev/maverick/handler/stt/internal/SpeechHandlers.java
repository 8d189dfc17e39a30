package dev.maverick.handler.stt.internal;

import dev.maverick.handler.ArchitectureHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes real speech-to-text handlers for the benchmarks the way the DS component does: the
 * properties are checked by {@link SttKind#validate} and given to the handler's constructor with
 * a model library. The library has no default model (in OSGi that comes from the model bundle),
 * so every handler names its model with {@code model_path}; handlers with the same path share the
 * loaded model, as they do in the runtime.
 *
 * <p>This class lives in the benchmarks module under the bundle's internal package name so that
 * it can reach the package-private constructor. That works only because the benchmarks run on a
 * plain class path, where a package may come from two jars; in OSGi it would not (and nothing
 * here ships).
 */
public final class SpeechHandlers implements AutoCloseable {
  private final SttKind kind = new SttKind();
  private final ModelLibrary library = ModelLibrary.withoutDefault();
  private final List<SpeechToTextHandler> made = new ArrayList<>();

  /** A speech-to-text handler, not started, configured with {@code properties} (name, model_path...). */
  public ArchitectureHandler<Object, Map<String, Object>> create(Map<String, ?> properties) {
    SpeechToTextHandler handler = new SpeechToTextHandler(kind.validate(properties), library);
    made.add(handler);
    return handler;
  }

  /** Closes every handler made here, then unloads the models. */
  @Override
  public void close() {
    made.forEach(SpeechToTextHandler::close);
    library.close();
  }
}
