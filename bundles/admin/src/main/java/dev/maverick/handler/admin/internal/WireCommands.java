package dev.maverick.handler.admin.internal;

import static dev.maverick.handler.admin.internal.HandlerCommands.flatten;
import static dev.maverick.handler.admin.internal.HandlerCommands.lines;
import static dev.maverick.handler.admin.internal.HandlerCommands.print;
import static dev.maverick.handler.admin.internal.HandlerCommands.run;
import static dev.maverick.handler.admin.internal.HandlerCommands.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands, scope {@code wire}, present while the wire bundle runs. As the {@code handler:*}
 * commands, each prints its answer to the command's output and returns nothing (so that Karaf's
 * {@code bin/client -b} shows it too); an error is an exception whose message the shell prints.
 * Values are given as {@code key=value}; a list ({@code to}, {@code extra}) is comma-separated.
 */
@Component(service = WireCommands.class, property = {
    "osgi.command.scope=wire",
    "osgi.command.function=list", "osgi.command.function=show", "osgi.command.function=create",
    "osgi.command.function=config", "osgi.command.function=delete"})
public final class WireCommands {
  private static final String ROW = "%-16s %-14s %-24s %-8s %9s %9s %9s %9s %9s%n";

  private final WireApi wires;

  @Activate
  public WireCommands(@Reference WireApi wires) {
    this.wires = wires;
  }

  @Descriptor("lists the wires: name, source, targets, state and their ledgers in short")
  public void list() {
    List<Map<String, Object>> all = wires.wires();
    if (all.isEmpty()) {
      print("no wires");
      return;
    }
    StringBuilder out = new StringBuilder(String.format(ROW, "NAME", "FROM", "TO", "STATE", "TAKEN", "DELIVERED",
        "DROPPED", "BUFFERED", "BLOCKED-S"));
    for (Map<String, Object> wire : all) {
      Map<?, ?> ledger = (Map<?, ?>) wire.get("ledger");
      out.append(String.format(ROW, wire.get("name"), wire.get("from"), String.join(",", toList(wire.get("to"))),
          wire.get("state"), ledger.get("taken"), ledger.get("delivered"), ledger.get("dropped"),
          ledger.get("buffered"), ledger.get("blocked_seconds")));
    }
    print(out.toString());
  }

  @Descriptor("shows one wire: its state, problems, configuration and ledger")
  public void show(@Descriptor("the wire's name") String name) {
    run(() -> describe(wires.wire(name)));
  }

  @Descriptor("creates a wire through Config Admin (checked first: a bad key, a cycle or an unknown handler is refused)")
  public void create(@Descriptor("the wire's name") String name,
      @Descriptor("its keys as key=value, e.g. from=stt to=llm,echo filter=(partial=false)") String... settings) {
    run(() -> {
      Map<String, Object> keys = new LinkedHashMap<>(settings(settings));
      if (keys.containsKey("name") && !name.equals(keys.get("name"))) {
        throw AdminException.badRequest("name=" + keys.get("name") + " differs from the name given (" + name + ")");
      }
      keys.put("name", name);
      ConfigChanges.Outcome outcome = wires.create(keys);
      return (outcome.status() == 201 ? "created " : "stored, not running yet: ") + name + " ("
          + outcome.body().get("pid") + ")";
    });
  }

  @Descriptor("shows a wire's configuration, or changes it through Config Admin")
  public void config(@Descriptor("the wire's name") String name,
      @Descriptor("changes as key=value; 'key=' removes a key (back to its default)") String... settings) {
    run(() -> {
      if (settings == null || settings.length == 0) {
        Object config = wires.wire(name).get("config");
        return config instanceof Map<?, ?> map ? lines(asMap(map)) : "no configuration in force";
      }
      ConfigChanges.Outcome outcome = wires.update(name, settings(settings));
      Object config = outcome.body().get("config");
      return (outcome.status() == 202 ? "stored; the wire has not applied it yet:\n" : "")
          + (config instanceof Map<?, ?> map ? lines(asMap(map)) : "");
    });
  }

  @Descriptor("deletes a wire (it delivers what it holds first, up to its shutdown_timeout)")
  public void delete(@Descriptor("the wire's name") String name) {
    run(() -> "deleted " + name + " (" + wires.delete(name).body().get("pid") + ")");
  }

  /** One wire in lines: name, state and problems first, then its configuration and ledger flattened. */
  static String describe(Map<String, Object> wire) {
    StringBuilder out = new StringBuilder("wire " + wire.get("name") + " (" + wire.get("from") + " -> "
        + String.join(", ", toList(wire.get("to"))) + "): " + wire.get("state"));
    if (wire.get("error") != null) {
      out.append("\nrefused: ").append(wire.get("error"));
    }
    for (String warning : toList(wire.get("warnings"))) {
      out.append("\nwarning: ").append(warning);
    }
    if (wire.get("config") instanceof Map<?, ?> config) {
      out.append("\nconfig\n").append(lines(asMap(config)));
    }
    if (wire.get("ledger") instanceof Map<?, ?> ledger) {
      out.append("\nledger\n").append(lines(flatten(asMap(ledger))));
    }
    return out.toString();
  }

  private static List<String> toList(Object value) {
    return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
