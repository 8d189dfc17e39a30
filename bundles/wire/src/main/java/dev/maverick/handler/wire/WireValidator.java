package dev.maverick.handler.wire;

import dev.maverick.handler.InvalidConfigurationException;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks a wire configuration exactly as the wire bundle would apply it, without applying it, so
 * that a tool can refuse a bad wire before it creates a configuration: every key and value
 * ({@link WireConfig#fromMap}), then the graph of wires that would result. Registered once by the
 * wire bundle.
 */
@ProviderType
public interface WireValidator {

  /**
   * Checks properties for a wire named by their {@code name} key; a wire of that name that exists
   * already is taken as being replaced by them.
   *
   * @param properties the configuration's properties (framework keys are ignored)
   * @param handlersMustExist also require that the handlers named by {@code from}, {@code to} and
   *     {@code dead_letter} are registered now (a file may name handlers that come later; a
   *     request to create a wire should not)
   * @return the configuration the wire would run with
   * @throws InvalidConfigurationException naming the key, the value and what is allowed: a bad
   *     value, an unknown key ("did you mean"), a cycle (naming it, e.g.
   *     {@code voice: stt -> llm -> stt}), a source already read by another wire (naming that wire),
   *     or an unknown handler
   */
  WireConfig validate(Map<String, ?> properties, boolean handlersMustExist);
}
