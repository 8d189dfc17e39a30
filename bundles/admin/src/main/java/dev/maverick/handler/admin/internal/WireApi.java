package dev.maverick.handler.admin.internal;

import java.util.List;
import java.util.Map;

/**
 * What the admin's front ends (HTTP, shell, metrics) do with wires, in types that need no wire
 * bundle: the HTTP door and the commands load only this, so they run whether or not wires are
 * installed. {@link WireAdmin}, active only while the wire bundle runs, provides it.
 */
public interface WireApi {

  /** Every wire as the API shows it ({@link WireViews#view}), by name. */
  List<Map<String, Object>> wires();

  /** One wire, or a 404 that lists the wires there are. */
  Map<String, Object> wire(String name);

  /** Creates a wire from its keys (a factory configuration {@code dev.maverick.handler.wire~<name>}). */
  ConfigChanges.Outcome create(Map<String, ?> properties);

  /** Changes some keys of a wire; a {@code null} value removes a key. */
  ConfigChanges.Outcome update(String name, Map<String, ?> changes);

  /** Deletes a wire's configuration. */
  ConfigChanges.Outcome delete(String name);

  /** The wires' ledgers in the Prometheus text format, to follow the handlers' in {@code /metrics}. */
  String metrics();
}
