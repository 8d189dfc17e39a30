package dev.maverick.handler.itest.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.maverick.handler.Handler;
import dev.maverick.handler.WorkerBudget;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * One client cannot starve the API (issue 9): bodies that never finish hold no server thread and
 * are answered 408 after {@code body_timeout}; long-polls on {@code /result} are bounded per
 * handler and in total (429 beyond); a request cut off mid-body logs one DEBUG line, no stack
 * trace. Jetty gets a small thread pool and a long idle timeout here, so that a server thread held
 * per slow body would starve it at once.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdminLimitsIT {
  private static final int JETTY_THREADS = 24;
  private static final int SLOW_BODIES = 40;

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  private Http http;
  private RawHttp raw;

  @Configuration
  public Option[] config() {
    return options(AdminTestOptions.admin("127.0.0.1"),
        frameworkProperty("org.apache.felix.http.jetty.threadpool.max").value(String.valueOf(JETTY_THREADS)),
        frameworkProperty("org.apache.felix.http.timeout").value("300000"),
        systemProperty("org.slf4j.simpleLogger.log.dev.maverick.handler.admin").value("debug"));
  }

  @Before
  public void up() throws Exception {
    Await.service(context, Handler.class, "(handler.name=upper)");
    http = new Http(context).awaitUp();
    AdminHttpIT.configureAdmin(configAdmin, Map.of("body_timeout", 2.0, "max_result_waits", 3,
        "max_result_waits_per_handler", 2));
    raw = new RawHttp(Integer.parseInt(context.getProperty(AdminTestOptions.HTTP_PORT)));
    AdminHttpIT.drain(http, "upper");
  }

  @Test
  public void slowBodiesHoldNoThreadAndAreAnswered408() throws Exception {
    long fed = fedCount();
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW_BODIES; i++) {
        slow.add(raw.startBody(raw.request("POST", "/handlers/upper/feed").json("{\"item\": \"never finished\"}"), 1000, 5));
      }
      // more slow bodies than Jetty has threads: the API still answers
      HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(new Http(context).base() + "/handlers")).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, list.statusCode());
      for (Socket socket : slow) {
        RawHttp.Answer answer = RawHttp.answerOf(socket, false);
        assertEquals(answer.toString(), 408, answer.status());
        assertTrue(answer.body(), answer.body().contains("body_timeout"));
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
    assertEquals("nothing was fed", fed, fedCount());
  }

  @Test
  public void aRequestCutOffMidBodyLogsOneDebugLine() throws Exception {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    int aborts = 5;
    try {
      for (int i = 0; i < aborts; i++) {
        raw.startBody(raw.request("POST", "/handlers/upper/feed").json("{\"item\": \"cut off\"}"), 1000, 10).close();
      }
      Await.until(aborts + " abort lines", () -> lines(logs, "aborted").size() >= aborts);
      assertEquals(200, http.get("/handlers").status());
    } finally {
      System.setErr(originalErr);
    }
    String text = logs.toString(StandardCharsets.UTF_8);
    originalErr.println(text);
    assertEquals(text, aborts, lines(logs, "aborted").size());
    for (String line : lines(logs, "aborted")) {
      assertTrue(line, line.contains("DEBUG"));
    }
    assertFalse("no stack trace: " + text, text.contains("\tat "));
    assertFalse("no stack trace: " + text, text.contains("Exception:") && text.contains("WARN"));
  }

  @Test
  public void longPollsAreBoundedPerHandlerAndInTotal() throws Exception {
    Http.Answer created = http.post("/handlers", Map.of("kind", "lower", "name", "poll-b"));
    assertEquals(created.toString(), 201, created.status());
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    try {
      waiting.add(longPoll(client, "upper"));
      waiting.add(longPoll(client, "upper"));
      awaitResultWaits(waiting, "upper", 2);
      AdminHttpIT.assertError(http.get("/handlers/upper/result?timeout=30"), 429, "max_result_waits_per_handler=2");
      assertEquals("a request that does not wait is not bounded", 204, http.get("/handlers/upper/result").status());

      waiting.add(longPoll(client, "poll-b"));
      awaitResultWaits(waiting, "poll-b", 1);
      AdminHttpIT.assertError(http.get("/handlers/poll-b/result?timeout=30"), 429, "max_result_waits=3");

      assertTrue(http.post("/handlers/upper/feed", Map.of("item", "one")).json().get("accepted").asBoolean());
      assertTrue(http.post("/handlers/upper/feed", Map.of("item", "two")).json().get("accepted").asBoolean());
      assertTrue(http.post("/handlers/poll-b/feed", Map.of("item", "THREE")).json().get("accepted").asBoolean());
      List<String> results = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> poll : waiting) {
        HttpResponse<String> answer = poll.get(30, TimeUnit.SECONDS);
        assertEquals(answer.body(), 200, answer.statusCode());
        results.add(Http.JSON.readTree(answer.body()).get("result").asText());
      }
      assertTrue(results.toString(), results.containsAll(List.of("ONE", "TWO", "three")));
      assertEquals("the slots are free again", 0, http.get("/handlers/upper").json().get("result_waits").asInt());
      assertEquals(204, http.get("/handlers/upper/result?timeout=0.001").status());
    } finally {
      http.delete("/handlers/poll-b");
    }
  }

  @Test
  public void aCreateOrChangeOverTheWorkerBudgetIsA400NamingTheKey() throws Exception {
    int limit = WorkerBudget.inUse() + 2;
    AdminHttpIT.configureAdmin(configAdmin, Map.of("max_total_worker_threads", limit));
    try {
      Await.until("the admin sets the limit", () -> WorkerBudget.limit() == limit);
      Http.Answer over = http.post("/handlers", Map.of("kind", "lower", "name", "budget-a",
          "config", Map.of("worker_threads", 3)));
      AdminHttpIT.assertError(over, 400, "max_total_worker_threads");
      assertEquals(over.toString(), "worker_threads", over.json().get("key").asText());
      assertEquals("nothing was created", 404, http.get("/handlers/budget-a").status());

      Http.Answer fits = http.post("/handlers", Map.of("kind", "lower", "name", "budget-a",
          "config", Map.of("worker_threads", 2)));
      assertEquals(fits.toString(), 201, fits.status());
      Http.Answer change = http.put("/handlers/budget-a/config", Map.of("worker_threads", 3));
      AdminHttpIT.assertError(change, 400, "max_total_worker_threads");
      AdminHttpIT.assertError(http.put("/handlers/upper/config", Map.of("worker_threads", 2)), 400, "worker_threads");
      assertEquals("nothing was changed", 2, http.get("/handlers/budget-a/config").json().get("worker_threads").asInt());
      assertEquals(1, http.get("/handlers/upper/config").json().get("worker_threads").asInt());
      assertEquals("lowering is always allowed", 200, http.put("/handlers/budget-a/config",
          Map.of("worker_threads", 1)).status());
    } finally {
      http.delete("/handlers/budget-a");
      AdminHttpIT.configureAdmin(configAdmin, Map.of("body_timeout", 2.0, "max_result_waits", 3,
          "max_result_waits_per_handler", 2));
    }
    Await.until("the limit the core started with is back", () -> WorkerBudget.limit() == WorkerBudget.DEFAULT_LIMIT);
  }

  /** Waits until the admin counts {@code count} requests waiting on the handler, failing if one was answered. */
  private void awaitResultWaits(List<CompletableFuture<HttpResponse<String>>> polls, String handler, int count) {
    Await.until(count + " long-polls wait on " + handler, () -> {
      for (CompletableFuture<HttpResponse<String>> poll : polls) {
        if (poll.isDone()) {
          throw new AssertionError("a long-poll was answered: " + poll.join().statusCode() + " " + poll.join().body());
        }
      }
      return http.get("/handlers/" + handler).json().get("result_waits").asInt() == count;
    });
  }

  private CompletableFuture<HttpResponse<String>> longPoll(HttpClient client, String handler) {
    return client.sendAsync(HttpRequest.newBuilder(URI.create(http.base() + "/handlers/" + handler + "/result?timeout=30"))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private long fedCount() {
    return http.get("/handlers/upper").json().get("stats").get("fed_count").asLong();
  }

  private static List<String> lines(ByteArrayOutputStream logs, String part) {
    List<String> found = new ArrayList<>();
    synchronized (logs) {
      for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
        if (line.contains(part)) {
          found.add(line);
        }
      }
    }
    return found;
  }

}
