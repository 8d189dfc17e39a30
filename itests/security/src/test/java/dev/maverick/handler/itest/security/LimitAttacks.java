package dev.maverick.handler.itest.security;

import static dev.maverick.handler.itest.security.KeyAttacks.distinct;
import static dev.maverick.handler.itest.security.KeyAttacks.refusal;
import static dev.maverick.handler.itest.security.KeyAttacks.statuses;

import dev.maverick.handler.itest.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client against everyone else (and the faults of the same run: items too
 * deep, aborted requests, the log never rotated): threads, slow bodies, long-polls, the log; and the
 * suite's own: a body larger than allowed.
 *
 * <p>Why 260 slow bodies and 260 long-polls are enough: Felix HTTP Jetty leaves Jetty's
 * {@code QueuedThreadPool} at its default of at most 200 threads (no
 * {@code org.apache.felix.http.jetty.threadpool.max} is set), some of them its acceptors and
 * selectors. If each open request held a server thread, 260 of them would hold every one and
 * {@code GET /handlers} would wait behind them, as the issue measured (30 s and 11.6 s); more would
 * prove nothing more and cost sockets.
 */
final class LimitAttacks {
  static final int SLOW_BODIES = 260;
  static final int LONG_POLLS = 260;
  /** The admin's default max_result_waits_per_handler. */
  static final int WAITS_PER_HANDLER = 4;
  /** The core's default max_total_worker_threads. */
  static final int WORKER_BUDGET = 512;

  private LimitAttacks() {}

  static List<Attack> all() {
    return List.of(
        new Attack("F4", "an item nested 999 (and 100,000) deep", LimitAttacks::deepItems),
        new Attack("X6", "a body larger than max_body_bytes", LimitAttacks::oversizedBody),
        new Attack("F5", "requests cut off mid-body (each logged a 5 kB stack trace)", LimitAttacks::abortedRequests),
        new Attack("9b", SLOW_BODIES + " slow request bodies against GET /handlers", LimitAttacks::slowBodies),
        new Attack("9c", LONG_POLLS + " long-polls on /result against GET /handlers", LimitAttacks::longPolls),
        new Attack("9a", "four creates with worker_threads=256 (no cap on threads runtime-wide)", LimitAttacks::threadCap),
        new Attack("F6", "a log flood: is log/maverick.log rotated?", LimitAttacks::logFlood));
  }

  static void deepItems(Target t, Finding f) {
    long fed = t.stat("echo", "fed_count");
    String logBefore = t.log();
    int want = refusal(t, 400);
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    answers.put("feed 999 deep", t.send(t.request("POST", "/handlers/echo/feed").json("{\"item\": " + nested(999) + "}")));
    answers.put("generate 999 deep", t.send(t.request("POST", "/handlers/echo/generate").json("{\"item\": " + nested(999) + "}")));
    answers.put("feed 101 deep in extra", t.send(t.request("POST", "/handlers/echo/feed")
        .json("{\"item\": 1, \"extra\": {\"a\": " + nested(101) + "}}")));
    answers.put("feed 100,000 deep", t.send(t.request("POST", "/handlers/echo/feed")
        .json("{\"item\": " + nested(100_000) + "}")));
    long fedAfter = t.stat("echo", "fed_count");
    String logged = t.logSince(logBefore);
    int traces = Target.stackTraceLines(logged);
    boolean overflow = logged.contains("StackOverflowError");
    f.sent(String.join(", ", answers.keySet()) + " (arrays in arrays) to echo" + t.withToken())
        .expected(want + " each at the door (at most 100 levels); nothing fed; no stack trace or StackOverflowError")
        .got(statuses(answers)).evidence("fed " + fed + " -> " + fedAfter + "; log +" + logged.length() + " B, "
            + traces + " stack-trace lines, StackOverflowError: " + overflow);
    answers.forEach((what, answer) -> f.check(answer.status() == want, what + " answered " + answer.status()));
    f.check(fedAfter == fed, "an item was fed").check(traces == 0, traces + " stack-trace lines").check(!overflow,
        "a StackOverflowError was logged");
    f.figure(answers.size() + " items -> " + distinct(answers) + "; fed 0, 0 stack-trace lines");
  }

  static void oversizedBody(Target t, Finding f) throws IOException {
    long fed = t.stat("echo", "fed_count");
    int declared = 2 * 1024 * 1024;
    RawHttp.Answer answer;
    try (Socket socket = t.http.startBody(t.request("POST", "/handlers/echo/feed").json("{\"item\": \"" + "a".repeat(64)),
        declared, 16)) {
      answer = RawHttp.answerOf(socket, false);
    }
    long fedAfter = t.stat("echo", "fed_count");
    int want = refusal(t, 413);
    f.sent("POST /handlers/echo/feed announcing a 2 MiB body (max_body_bytes is 1 MiB)" + t.withToken())
        .expected(want + " at once, before the body is read; nothing fed").got("-> " + answer)
        .evidence("fed " + fed + " -> " + fedAfter);
    f.check(answer.status() == want, "answered " + answer.status()).check(fedAfter == fed, "an item was fed");
    f.figure("2 MiB announced -> " + answer.status() + " before the body; fed 0");
  }

  static void abortedRequests(Target t, Finding f) {
    int aborts = 20;
    String before = t.log();
    for (int i = 0; i < aborts; i++) {
      try (Socket socket = t.http.startBody(t.request("POST", "/handlers/echo/feed").json("{\"item\": \"cut off\"}"),
          1000, 10)) {
        socket.setSoLinger(true, 0); // a reset, as a client that dies does
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    boolean all = t.setUp.writable()
        ? t.awaitQuietly(Duration.ofSeconds(20), () -> lines(t.logSince(before), "/handlers/echo/feed").size() >= aborts)
        : t.get("/handlers").status() == 200;
    String logged = t.logSince(before);
    List<String> feedLines = lines(logged, "/handlers/echo/feed");
    long debug = feedLines.stream().filter(line -> line.contains(" DEBUG ")).count();
    int traces = Target.stackTraceLines(logged);
    f.sent(aborts + " POST /handlers/echo/feed announcing 1000 bytes, sending 10, then reset" + t.withToken())
        .expected(t.setUp.writable() ? "one DEBUG line each (the admin logs at DEBUG in this suite), no stack trace"
            : "refused (403) before the body: nothing logged, no stack trace")
        .got(feedLines.size() + " log lines about them, " + debug + " at DEBUG")
        .evidence("log +" + logged.length() + " B, " + traces + " stack-trace lines"
            + (feedLines.isEmpty() ? "" : "; e.g. " + feedLines.get(0)));
    f.check(traces == 0, traces + " stack-trace lines").check(all || !t.setUp.writable(), "only " + feedLines.size()
        + " of " + aborts + " aborts were logged");
    if (t.setUp.writable()) {
      f.check(feedLines.size() == aborts && debug == aborts, feedLines.size() + " lines, " + debug + " at DEBUG, for "
          + aborts + " aborts");
    }
    f.figure(aborts + " cut-off requests -> " + feedLines.size() + " log lines (" + debug + " DEBUG), " + traces
        + " stack-trace lines, log +" + String.format("%.1f", logged.length() / 1024.0) + " kB");
  }

  static void slowBodies(Target t, Finding f) {
    long fed = t.stat("echo", "fed_count");
    int before = t.threads();
    List<Socket> slow = new ArrayList<>();
    RawHttp.Answer list = null;
    long millis;
    int during;
    int answered;
    long opened;
    Map<Integer, Integer> statuses = new TreeMap<>();
    try {
      long opening = System.nanoTime();
      for (int i = 0; i < SLOW_BODIES; i++) {
        slow.add(t.http.startBody(t.request("POST", "/handlers/echo/feed").json("{\"item\": \"never finished\"}"), 1000, 5));
      }
      opened = (System.nanoTime() - opening) / 1_000_000;
      long start = System.nanoTime();
      try {
        list = t.get("/handlers");
      } catch (UncheckedIOException e) {
        // not answered within the client's 60 s: the attack holds the server
      }
      millis = (System.nanoTime() - start) / 1_000_000;
      during = t.threads();
      // what the slow bodies got by the time GET /handlers was answered (0: closed without an answer)
      for (Socket socket : slow) {
        if (!t.setUp.writable() || RawHttp.hasAnswered(socket)) {
          statuses.merge(statusOf(socket), 1, Integer::sum);
        }
      }
      answered = statuses.values().stream().mapToInt(Integer::intValue).sum();
    } finally {
      slow.forEach(LimitAttacks::closeQuietly);
    }
    long fedAfter = t.stat("echo", "fed_count");
    int status = list == null ? 0 : list.status();
    f.sent(SLOW_BODIES + " POST /handlers/echo/feed announcing 1000 bytes and sending 5, kept open" + t.withToken()
        + "; meanwhile GET /handlers")
        .expected(t.setUp.writable() ? "GET /handlers answered 200 while the slow bodies are unanswered (no server "
            + "thread waits for a body; each gets 408 after body_timeout=10 s, the only answer one may have by then)"
            : "each slow body answered 403 at once (no body is read without a token beyond loopback); GET /handlers 200")
        .got("the slow bodies opened in " + opened + " ms; GET /handlers -> " + (list == null ? "no answer within 60 s"
            : status) + " in " + millis + " ms; slow bodies answered meanwhile: " + answered
            + (statuses.isEmpty() ? "" : " " + statuses))
        .evidence("threads " + before + " before, " + during + " with the slow bodies open; fed " + fed + " -> " + fedAfter);
    f.check(status == 200, "GET /handlers " + (list == null ? "not answered within 60 s" : "answered " + status))
        .check(fedAfter == fed, "an item was fed");
    if (t.setUp.writable()) {
      // only body_timeout may have answered some already (on a machine so busy that opening them took 10 s)
      f.check(statuses.keySet().stream().allMatch(code -> code == 408), "slow bodies were answered " + statuses
          + " before GET /handlers");
    } else {
      f.check(statuses.equals(Map.of(403, SLOW_BODIES)), "the slow bodies were answered " + statuses);
    }
    f.figure("GET /handlers answered in " + millis + " ms while " + SLOW_BODIES + " slow bodies were open (issue: "
        + "timed out at 30 s); threads " + before + " -> " + during);
  }

  static void longPolls(Target t, Finding f) {
    List<Socket> polls = new ArrayList<>();
    RawHttp.Answer list = null;
    long millis;
    int waiting = 0;
    Map<Integer, Integer> statuses = new TreeMap<>();
    try {
      for (int i = 0; i < LONG_POLLS; i++) {
        polls.add(t.http.open(t.request("GET", "/handlers/poll/result?timeout=30")));
      }
      long start = System.nanoTime();
      try {
        list = t.get("/handlers");
      } catch (UncheckedIOException e) {
        // not answered within the client's 60 s
      }
      millis = (System.nanoTime() - start) / 1_000_000;
      if (t.setUp.writable()) {
        t.awaitQuietly(Duration.ofSeconds(20),
            () -> polls.stream().filter(RawHttp::hasAnswered).count() >= LONG_POLLS - WAITS_PER_HANDLER);
        waiting = t.handler("poll").path("result_waits").asInt();
        for (int i = 0; i < waiting; i++) {
          t.send(t.request("POST", "/handlers/poll/feed").json("{\"item\": \"release " + i + "\"}"));
        }
      }
      for (Socket socket : polls) {
        statuses.merge(statusOf(socket), 1, Integer::sum);
      }
    } finally {
      polls.forEach(LimitAttacks::closeQuietly);
    }
    int status = list == null ? 0 : list.status();
    Map<Integer, Integer> expected = t.setUp.writable()
        ? Map.of(429, LONG_POLLS - WAITS_PER_HANDLER, 200, WAITS_PER_HANDLER) : Map.of(403, LONG_POLLS);
    f.sent(LONG_POLLS + " GET /handlers/poll/result?timeout=30 at once" + t.withToken() + "; meanwhile GET /handlers"
        + (t.setUp.writable() ? "; then as many items fed to poll as requests wait" : ""))
        .expected((t.setUp.writable() ? WAITS_PER_HANDLER + " wait (max_result_waits_per_handler), the other "
            + (LONG_POLLS - WAITS_PER_HANDLER) + " get 429 at once" : "403 for each (taking a result is a write)")
            + "; GET /handlers answered 200 meanwhile")
        .got("GET /handlers -> " + (list == null ? "no answer within 60 s" : status) + " in " + millis + " ms; "
            + "the long-polls' answers by status " + statuses)
        .evidence("requests waiting on poll by the admin's count: " + waiting);
    f.check(status == 200, "GET /handlers " + (list == null ? "not answered within 60 s" : "answered " + status))
        .check(statuses.equals(expected), "the long-polls were answered " + statuses + ", not " + expected);
    f.figure("GET /handlers answered in " + millis + " ms while " + LONG_POLLS + " long-polls were open (issue: 11.6 s); "
        + statuses);
  }

  static void threadCap(Target t, Finding f) {
    int before = t.threads();
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    List<String> created = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      String name = "greedy-" + i;
      RawHttp.Answer answer = t.send(t.request("POST", "/handlers").json("{\"kind\": \"echo\", \"name\": \"" + name
          + "\", \"config\": {\"worker_threads\": 256}}"));
      answers.put("create " + name, answer);
      if (answer.status() == 201) {
        created.add(name);
        t.send(t.request("POST", "/handlers/" + name + "/feed").json("{\"item\": \"start the workers\"}"));
      }
    }
    for (String name : created) {
      t.awaitQuietly(Duration.ofSeconds(20), () -> t.stat(name, "workers_alive") == 256);
    }
    int peak = t.threads();
    for (String name : created) {
      t.send(t.request("DELETE", "/handlers/" + name));
    }
    List<Integer> expected = t.setUp.writable() ? List.of(201, 400, 400, 400) : List.of(403, 403, 403, 403);
    List<Integer> got = answers.values().stream().map(RawHttp.Answer::status).toList();
    boolean named = answers.values().stream().filter(a -> a.status() == 400)
        .allMatch(a -> a.body().contains("max_total_worker_threads") && a.body().contains("\"key\":\"worker_threads\""));
    f.sent("POST /handlers {\"kind\": \"echo\", \"name\": \"greedy-N\", \"config\": {\"worker_threads\": 256}} four "
        + "times, each created one fed an item (workers start on the first feed)" + t.withToken())
        .expected(t.setUp.writable() ? "the first fits the budget (" + WORKER_BUDGET + " worker threads runtime-wide, "
            + "the default); the others 400 naming worker_threads and max_total_worker_threads" : "403 each")
        .got(statuses(answers))
        .evidence("threads of the process " + before + " before, " + peak + " with the created handlers' workers running");
    f.check(got.equals(expected), "the creates answered " + got).check(named, "a refusal does not name the key")
        .check(peak - before <= WORKER_BUDGET, "threads grew by " + (peak - before));
    f.figure("4 creates -> " + got + "; threads " + before + " -> " + peak + " (issue: 263 -> 1,287)");
  }

  static void logFlood(Target t, Finding f) throws Exception {
    long cap = (long) Target.LOG_MAX_KB * 1024 * Target.LOG_FILES;
    int requests = 10;
    long perRequest = 0;
    long start = size(t);
    for (int i = 0; i < requests; i++) {
      t.send(t.request("POST", "/handlers/flood/generate").json("{\"item\": \"flood\"}"));
    }
    if (t.setUp.writable()) {
      perRequest = Math.max(100, (size(t) - start) / requests);
      int more = (int) Math.min(5000, 2 * cap / perRequest);
      for (int i = 0; i < more; i++) {
        t.send(t.request("POST", "/handlers/flood/generate").json("{\"item\": \"flood\"}"));
      }
      requests += more;
    } else {
      for (int i = 0; i < 490; i++) {
        t.send(t.request("POST", "/handlers/flood/generate").json("{\"item\": \"flood\"}"));
      }
      requests += 490;
    }
    List<Path> files = t.logFiles();
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (Path file : files) {
      sizes.put(file.getFileName().toString(), Files.size(file));
    }
    long total = sizes.values().stream().mapToLong(Long::longValue).sum();
    long largest = sizes.values().stream().mapToLong(Long::longValue).max().orElse(0);
    long slack = 16 * 1024; // a file is switched after a whole line
    f.sent(requests + " POST /handlers/flood/generate" + t.withToken() + (t.setUp.writable() ? ", each failing at "
        + "once (connection refused) and logged as a WARN line of about " + perRequest + " B: about "
        + (requests * perRequest / 1024) + " kB in all" : " (refused: nothing to log)"))
        .expected("the log rotates at maverick.log.maxSize=" + Target.LOG_MAX_KB + "k and keeps maverick.log.maxFiles="
            + Target.LOG_FILES + " files (the defaults are 10m and 5)")
        .got("log files " + sizes).evidence("on disk " + total / 1024 + " kB, cap " + cap / 1024 + " kB");
    f.check(files.size() <= Target.LOG_FILES, files.size() + " log files").check(largest <= Target.LOG_MAX_KB * 1024L
        + slack, "a log file holds " + largest + " B").check(total <= cap + slack * Target.LOG_FILES, "the log holds "
        + total + " B");
    if (t.setUp.writable()) {
      f.check(Files.exists(t.dir.resolve("log/maverick.log.1")), "the log was never rotated");
    }
    f.figure((t.setUp.writable() ? "about " + (requests * perRequest / 1024) + " kB logged by " + requests
        + " failed generates" : requests + " refused writes") + ": " + files.size() + " files on disk, "
        + total / 1024 + " kB (cap " + Target.LOG_FILES + " x " + Target.LOG_MAX_KB + " kB)");
  }

  private static long size(Target t) throws IOException {
    long total = 0;
    for (Path file : t.logFiles()) {
      total += Files.size(file);
    }
    return total;
  }

  static List<String> lines(String text, String part) {
    return text.lines().filter(line -> line.contains(part)).toList();
  }

  static String nested(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth);
  }

  /** The status a request's connection was answered with; 0 when it was closed without an answer. */
  private static int statusOf(Socket socket) {
    try {
      return RawHttp.answerOf(socket, false).status();
    } catch (UncheckedIOException e) {
      return 0;
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
