package dev.maverick.handler.admin.internal;

import dev.maverick.handler.HandlerStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Process;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands, scope {@code handler}: plain public methods, as Felix SCR's own commands are.
 * Each prints its answer to the command's output ({@link Process#out()}: the console, or the next
 * command of a pipe) rather than returning it, because Karaf's client in batch mode
 * ({@code bin/client -b}, an SSH exec) prints what a command writes and drops what it returns.
 * Items typed in the shell are read as JSON when they parse as JSON ({@code 42}, {@code true},
 * {@code {"a":1}}, {@code "quoted"}), else taken as plain text. A bad argument fails with a message
 * that says what is wrong and what is allowed.
 */
@Component(service = HandlerCommands.class, property = {
    "osgi.command.scope=handler",
    "osgi.command.function=list", "osgi.command.function=stats", "osgi.command.function=config",
    "osgi.command.function=feed", "osgi.command.function=result", "osgi.command.function=generate",
    "osgi.command.function=create", "osgi.command.function=delete"})
public final class HandlerCommands {
  private static final String ROW = "%-20s %-10s %-8s %9s %9s %9s %9s %11s %11s%n";

  private final HandlerAdmin admin;

  @Activate
  public HandlerCommands(@Reference HandlerAdmin admin) {
    this.admin = admin;
  }

  @Descriptor("lists the handlers: name, kind, state, counters and queue depths")
  public void list() {
    List<HandlerEntry> handlers = admin.registry().handlers();
    if (handlers.isEmpty()) {
      print("no handlers");
      return;
    }
    StringBuilder out = new StringBuilder(String.format(ROW, "NAME", "KIND", "STATE", "FED", "PROCESSED", "DROPPED",
        "ERRORS", "INPUT-QUEUE", "RESULT-QUEUE"));
    for (HandlerEntry entry : handlers) {
      HandlerStats stats = entry.handler().stats();
      out.append(String.format(ROW, entry.name(), entry.kind(), stats.state().name().toLowerCase(Locale.ROOT),
          stats.itemsIn(), stats.processedCount(), stats.droppedCount(), stats.errorCount(),
          queue(stats.inputQueueSize(), stats.inputQueueCapacity()),
          queue(stats.resultQueueSize(), stats.resultQueueCapacity())));
    }
    print(out.toString());
  }

  @Descriptor("shows the stats of every handler")
  public void stats() {
    List<HandlerEntry> handlers = admin.registry().handlers();
    if (handlers.isEmpty()) {
      print("no handlers");
    }
    for (int i = 0; i < handlers.size(); i++) {
      print((i == 0 ? "" : "\n") + statsOf(handlers.get(i)));
    }
  }

  @Descriptor("shows the stats of one handler: its counters, queues and timestamps")
  public void stats(@Descriptor("the handler's name") String name) {
    run(() -> statsOf(admin.registry().require(name)));
  }

  @Descriptor("shows a handler's configuration (secrets masked), or changes it through Config Admin")
  public void config(@Descriptor("the handler's name") String name,
      @Descriptor("changes as key=value; 'key=' removes a key (back to its default)") String... settings) {
    run(() -> {
      HandlerEntry entry = admin.registry().require(name);
      if (settings == null || settings.length == 0) {
        String error = admin.views().redaction(entry).mask(entry.configError());
        return lines(HandlerViews.displayConfig(entry.handler()))
            + (error == null ? "" : "\nlast change rejected: " + error);
      }
      ConfigChanges.Outcome outcome = admin.configs().update(name, settings(settings));
      return (outcome.status() == 202 ? "stored; the handler has not applied it yet:\n" : "") + lines(outcome.body());
    });
  }

  @Descriptor("feeds an item to a handler's queue; prints 'accepted' or why it was dropped")
  public void feed(@Descriptor("the handler's name") String name,
      @Descriptor("the item: JSON (42, true, {\"k\":1}, \"text\") or plain text") String item) {
    run(() -> {
      ItemCalls.FeedOutcome outcome = admin.items().feed(name, item(item), Map.of());
      return outcome.accepted() ? "accepted" : "dropped: " + outcome.reason();
    });
  }

  @Descriptor("takes the next result of a handler, without waiting")
  public void result(@Descriptor("the handler's name") String name) {
    result(name, "0");
  }

  @Descriptor("takes the next result of a handler, waiting up to a timeout")
  public void result(@Descriptor("the handler's name") String name,
      @Descriptor("how long to wait, in seconds (decimals allowed)") String timeout) {
    run(() -> {
      double seconds;
      try {
        seconds = Double.parseDouble(timeout.trim());
      } catch (NumberFormatException e) {
        seconds = Double.NaN;
      }
      if (!(seconds >= 0)) {
        throw AdminException.badRequest("invalid timeout '" + timeout + "'; allowed: a number of seconds >= 0");
      }
      Optional<Object> result = admin.items().result(name, Duration.ofNanos((long) (seconds * 1e9)));
      return result.map(admin.json()::pretty).orElse("no result within " + timeout + " s");
    });
  }

  @Descriptor("runs an item through a handler directly (bypassing its queues) and prints the result")
  public void generate(@Descriptor("the handler's name") String name,
      @Descriptor("the item: JSON (42, true, {\"k\":1}, \"text\") or plain text") String item) {
    run(() -> admin.json().pretty(admin.items().generate(name, item(item), Map.of())));
  }

  @Descriptor("creates a handler as a factory configuration of a kind")
  public void create(@Descriptor("the kind, e.g. echo or network (see the HandlerKind services)") String kind,
      @Descriptor("the new handler's name") String name,
      @Descriptor("its configuration as key=value") String... settings) {
    run(() -> {
      ConfigChanges.Outcome outcome = admin.configs().create(kind, name, settings(settings));
      return (outcome.status() == 201 ? "created " : "stored, not running yet: ") + name + " ("
          + outcome.body().get("pid") + ")";
    });
  }

  @Descriptor("deletes a handler made as a factory configuration")
  public void delete(@Descriptor("the handler's name") String name) {
    run(() -> "deleted " + name + " (" + admin.configs().delete(name).body().get("pid") + ")");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private interface Command {
    String run();
  }

  /** Runs a command and prints its answer; an admin error becomes an exception whose message the shell shows. */
  private static void run(Command command) {
    String answer;
    try {
      answer = command.run();
    } catch (AdminException e) {
      String message = e.getMessage();
      if (e.status() < 500) {
        throw new IllegalArgumentException(message, e);
      }
      throw new IllegalStateException(message, e);
    }
    print(answer);
  }

  /** Prints to the running command's output: the console, or the pipe it writes into. */
  private static void print(String text) {
    Process process = Process.Utils.current();
    if (process == null) {
      throw new IllegalStateException("not called as a Gogo command");
    }
    PrintStream out = process.out();
    out.println(text.stripTrailing());
    out.flush();
  }

  private String statsOf(HandlerEntry entry) {
    @SuppressWarnings("unchecked")
    Map<String, Object> stats = (Map<String, Object>) admin.views().redaction(entry).maskAll(entry.handler().stats().toMap());
    return "handler " + entry.name() + " (" + entry.kind() + ")\n" + lines(flatten(stats));
  }

  private Object item(String text) {
    if (text == null) {
      throw AdminException.badRequest("missing item");
    }
    return admin.json().tryParse(text).orElse(text);
  }

  /** Parses key=value arguments; {@code key=} (empty) means remove. */
  static Map<String, Object> settings(String... settings) {
    Map<String, Object> changes = new LinkedHashMap<>();
    if (settings == null) {
      return changes;
    }
    for (String setting : settings) {
      int equals = setting.indexOf('=');
      if (equals <= 0) {
        throw AdminException.badRequest("'" + setting + "' is not key=value; write e.g. max_queue_size=64, "
            + "or max_queue_size= to remove the key");
      }
      String value = setting.substring(equals + 1);
      changes.put(setting.substring(0, equals).trim(), value.isEmpty() ? null : value);
    }
    return changes;
  }

  private static String queue(int size, int capacity) {
    return size + "/" + (capacity == 0 ? "inf" : String.valueOf(capacity));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> flatten(Map<String, Object> map) {
    Map<String, Object> flat = new LinkedHashMap<>();
    map.forEach((key, value) -> {
      if (value instanceof Map<?, ?> nested) {
        flatten((Map<String, Object>) nested).forEach((inner, v) -> flat.put(key + "." + inner, v));
      } else {
        flat.put(key, value);
      }
    });
    return flat;
  }

  private static String lines(Map<String, Object> map) {
    int width = map.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder out = new StringBuilder();
    map.forEach((key, value) -> out.append(String.format("  %-" + width + "s  %s%n", key,
        value instanceof Object[] array ? Arrays.toString(array) : value)));
    return out.toString().stripTrailing();
  }
}
