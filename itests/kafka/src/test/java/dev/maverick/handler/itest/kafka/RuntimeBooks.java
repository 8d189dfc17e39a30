package dev.maverick.handler.itest.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The books of one runtime's handlers, as its admin shows them ({@code GET /handlers}): each
 * handler's three ledgers of the accounting law, computed from the counters the way
 * {@code HandlerStats} does (a drop belongs to the ledger its reason names: {@code result_*},
 * {@code callback_*}, else items).
 */
final class RuntimeBooks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, JsonNode> stats;

  private RuntimeBooks(Map<String, JsonNode> stats) {
    this.stats = stats;
  }

  /** The books now, read from the admin at {@code http://127.0.0.1:port}. */
  static RuntimeBooks read(HttpClient http, int port) {
    try {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/handlers"))
          .timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString()).body();
      Map<String, JsonNode> stats = new LinkedHashMap<>();
      for (JsonNode handler : JSON.readTree(body)) {
        stats.put(handler.path("name").asText(), handler.path("stats"));
      }
      return new RuntimeBooks(stats);
    } catch (IOException e) {
      throw new AssertionError("GET /handlers on port " + port + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A counter of a handler's stats ({@code fed_count}, {@code processed_count}, ...). */
  long count(String handler, String key) {
    JsonNode value = stats(handler).path(key);
    if (!value.isNumber()) {
      throw new AssertionError("no counter '" + key + "' in the stats of '" + handler + "': " + stats(handler));
    }
    return value.asLong();
  }

  /** A value of a handler's {@code details}. */
  JsonNode detail(String handler, String key) {
    return stats(handler).path("details").path(key);
  }

  /** Drops of a handler in one ledger: {@code items}, {@code results} or {@code callbacks}. */
  long dropped(String handler, String ledger) {
    long sum = 0;
    Iterator<Map.Entry<String, JsonNode>> reasons = stats(handler).path("dropped_by_reason").fields();
    while (reasons.hasNext()) {
      Map.Entry<String, JsonNode> reason = reasons.next();
      String of = reason.getKey().startsWith("result_") ? "results"
          : reason.getKey().startsWith("callback_") ? "callbacks" : "items";
      if (of.equals(ledger)) {
        sum += reason.getValue().asLong();
      }
    }
    return sum;
  }

  /** True when nothing is queued or in flight in any handler: a quiescent point. */
  boolean quiet(String... handlers) {
    for (String handler : handlers) {
      if (count(handler, "input_queue_size") + count(handler, "in_flight") + count(handler, "result_queue_size") > 0) {
        return false;
      }
    }
    return true;
  }

  /** The handlers whose ledgers do not balance, each with its three differences; empty when all do. */
  List<String> unbalanced() {
    List<String> unbalanced = new ArrayList<>();
    for (String handler : stats.keySet()) {
      long items = count(handler, "fed_count") + count(handler, "generate_count") + count(handler, "produced_count")
          + count(handler, "handed_in_count") - (count(handler, "processed_count") + count(handler, "item_error_count")
          + dropped(handler, "items") + count(handler, "input_queue_size") + count(handler, "in_flight")
          + count(handler, "handed_off_count"));
      long results = count(handler, "results_published_count") + count(handler, "results_handed_in_count")
          - (count(handler, "results_taken_count") + dropped(handler, "results") + count(handler, "result_queue_size")
          + count(handler, "results_handed_off_count"));
      long callbacks = count(handler, "callbacks_emitted_count") - (count(handler, "callbacks_completed_count")
          + count(handler, "callback_error_count") + dropped(handler, "callbacks")
          + count(handler, "callback_queue_size") + count(handler, "callbacks_running"));
      if (items != 0 || results != 0 || callbacks != 0) {
        unbalanced.add(handler + ": items " + items + ", results " + results + ", callbacks " + callbacks);
      }
    }
    return unbalanced;
  }

  private JsonNode stats(String handler) {
    JsonNode found = stats.get(handler);
    if (found == null) {
      throw new AssertionError("no handler '" + handler + "'; there are " + stats.keySet());
    }
    return found;
  }

  @Override
  public String toString() {
    return stats.toString();
  }
}
