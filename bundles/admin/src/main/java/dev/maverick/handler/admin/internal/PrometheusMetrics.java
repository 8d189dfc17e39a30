package dev.maverick.handler.admin.internal;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every handler's counters and queue depths in the Prometheus text exposition format (0.0.4):
 * one family per figure, one sample per handler, labelled {@code handler} and {@code kind}.
 */
final class PrometheusMetrics {
  /** The content type of the format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusMetrics() {}

  /** One handler's figures, read once so that every family sees the same snapshot. */
  record Snapshot(String name, String kind, HandlerStats stats) {}

  private record Family(String name, String type, String help, Function<Snapshot, List<Sample>> samples) {}

  private record Sample(String extraLabels, Number value) {}

  private static final List<Family> FAMILIES = List.of(
      counter("fed", "Items given to feed and generate, and produced.", HandlerStats::itemsIn),
      counter("accepted", "Items queued by feed.", HandlerStats::acceptedCount),
      counter("generated", "Items given to generate.", HandlerStats::generateCount),
      counter("produced", "Items a producer-style handler made itself.", HandlerStats::producedCount),
      counter("processed", "Items processed to a result.", HandlerStats::processedCount),
      new Family("maverick_handler_dropped_total", "counter", "Items, results and callbacks dropped, by reason.",
          s -> {
            List<Sample> samples = new ArrayList<>();
            for (DropReason reason : DropReason.values()) {
              samples.add(new Sample("reason=\"" + reason.key() + "\"", s.stats().dropped(reason)));
            }
            return samples;
          }),
      new Family("maverick_handler_errors_total", "counter", "Errors, by where they happened.",
          s -> List.of(new Sample("type=\"item\"", s.stats().itemErrorCount()),
              new Sample("type=\"callback\"", s.stats().callbackErrorCount()),
              new Sample("type=\"other\"", s.stats().otherErrorCount()),
              new Sample("type=\"network\"", s.stats().networkErrorCount()))),
      counter("results_published", "Results put on the result queue.", HandlerStats::resultsPublished),
      counter("results_taken", "Results taken from the result queue.", HandlerStats::resultsTaken),
      counter("callbacks_emitted", "Callback tasks scheduled.", HandlerStats::callbacksEmitted),
      counter("callbacks_completed", "Callback tasks run.", HandlerStats::callbacksCompleted),
      new Family("maverick_handler_queue_depth", "gauge", "Entries waiting in each queue.",
          s -> List.of(new Sample("queue=\"input\"", s.stats().inputQueueSize()),
              new Sample("queue=\"result\"", s.stats().resultQueueSize()),
              new Sample("queue=\"callback\"", s.stats().callbackQueueSize()))),
      new Family("maverick_handler_queue_capacity", "gauge", "Capacity of each queue (0 = unbounded).",
          s -> List.of(new Sample("queue=\"input\"", s.stats().inputQueueCapacity()),
              new Sample("queue=\"result\"", s.stats().resultQueueCapacity()),
              new Sample("queue=\"callback\"", s.stats().callbackQueueCapacity()))),
      gauge("in_flight", "Items being processed now.", HandlerStats::inFlight),
      gauge("workers_alive", "Worker threads alive.", HandlerStats::workersAlive),
      new Family("maverick_handler_state", "gauge", "The handler's state: 1 for the state it is in.",
          s -> {
            List<Sample> samples = new ArrayList<>();
            for (HandlerState state : HandlerState.values()) {
              samples.add(new Sample("state=\"" + state.name().toLowerCase(Locale.ROOT) + "\"",
                  s.stats().state() == state ? 1 : 0));
            }
            return samples;
          }));

  private static Family counter(String name, String help, Function<HandlerStats, Number> value) {
    return new Family("maverick_handler_" + name + "_total", "counter", help,
        s -> List.of(new Sample("", value.apply(s.stats()))));
  }

  private static Family gauge(String name, String help, Function<HandlerStats, Number> value) {
    return new Family("maverick_handler_" + name, "gauge", help, s -> List.of(new Sample("", value.apply(s.stats()))));
  }

  /** The exposition text for these handlers. */
  static String format(List<Snapshot> handlers) {
    StringBuilder out = new StringBuilder(4096);
    for (Family family : FAMILIES) {
      out.append("# HELP ").append(family.name()).append(' ').append(family.help()).append('\n');
      out.append("# TYPE ").append(family.name()).append(' ').append(family.type()).append('\n');
      for (Snapshot handler : handlers) {
        for (Sample sample : family.samples().apply(handler)) {
          out.append(family.name()).append("{handler=\"").append(escape(handler.name())).append("\",kind=\"")
              .append(escape(handler.kind())).append('"');
          if (!sample.extraLabels().isEmpty()) {
            out.append(',').append(sample.extraLabels());
          }
          out.append("} ").append(sample.value()).append('\n');
        }
      }
    }
    return out.toString();
  }

  /** Escapes a label value: backslash, double quote and line feed. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
