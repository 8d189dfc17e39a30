package dev.maverick.handler.itest.security;

import static dev.maverick.handler.itest.security.KeyAttacks.distinct;
import static dev.maverick.handler.itest.security.KeyAttacks.refusal;
import static dev.maverick.handler.itest.security.KeyAttacks.statuses;
import static dev.maverick.handler.itest.security.Target.NETWORK_PID;
import static dev.maverick.handler.itest.security.Target.SECRET;

import dev.maverick.handler.itest.JsonServer;
import dev.maverick.handler.itest.RawHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attacks on the network handler's secret: sending it elsewhere,
 * reading it from disk, seeing a piece of it in an error cut short; and the suite's own: line breaks
 * in what becomes the handler's outgoing request.
 */
final class SecretAttacks {
  private SecretAttacks() {}

  static List<Attack> all() {
    return List.of(
        new Attack("6", "re-pointing vault's port (or host, path, scheme) to a thief without auth", SecretAttacks::repointing),
        new Attack("7", "secrets in etc/: file modes at creation and after a write-back; etc/ itself",
            SecretAttacks::secretFiles),
        new Attack("10", "a 4xx body that echoes the secret, cut to its excerpt", SecretAttacks::echoedSecret),
        new Attack("X5", "CRLF in query parameters and values that become the outgoing request", SecretAttacks::lineBreaks));
  }

  static void repointing(Target t, Finding f) throws Exception {
    t.newVictimRequests();
    int thiefBefore = t.thief.requestCount();
    int want = refusal(t, 400);
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    for (String change : List.of("{\"port\": " + t.thief.port() + "}", "{\"host\": \"localhost\"}",
        "{\"path\": \"/steal\"}", "{\"scheme\": \"https\"}", "{\"port\": " + t.thief.port() + ", \"auth\": \"********\"}")) {
      answers.put(change, t.send(t.request("PUT", "/handlers/vault/config").json(change)));
    }
    String sentTo = "";
    RawHttp.Answer generate = null;
    if (t.setUp.writable()) {
      generate = t.send(t.request("POST", "/handlers/vault/generate").json("{\"item\": \"ping\"}"));
      List<JsonServer.Request> home = t.newVictimRequests();
      sentTo = home.isEmpty() ? "nothing" : home.size() + " request(s), x-api-key is the secret: "
          + SECRET.equals(home.get(home.size() - 1).header("x-api-key"));
    }
    int stolen = t.thief.requestCount() - thiefBefore;
    int port = t.config("vault").path("port").asInt();
    f.sent("PUT /handlers/vault/config " + String.join(", ", answers.keySet()) + t.withToken()
        + (t.setUp.writable() ? "; then POST /handlers/vault/generate" : ""))
        .expected(want + (t.setUp.writable() ? " naming auth" : "") + " for each; the thief receives nothing"
            + (t.setUp.writable() ? "; the secret still goes to the victim" : ""))
        .got(statuses(answers) + (generate == null ? "" : "; generate -> " + generate.status()))
        .evidence("thief received " + stolen + " requests; vault's port is " + port + " (victim " + t.victim.port()
            + ")" + (sentTo.isEmpty() ? "" : "; the victim received " + sentTo));
    answers.forEach((what, answer) -> f.check(answer.status() == want
        && (!t.setUp.writable() || answer.body().contains("\"key\":\"auth\"")), what + " answered " + answer));
    f.check(stolen == 0, "the thief received " + stolen + " requests").check(port == t.victim.port(), "vault now points at "
        + port);
    if (generate != null) {
      f.check(generate.status() == 200, "generate answered " + generate.status())
          .check(sentTo.endsWith("true"), "the victim received " + sentTo);
    }
    f.figure(answers.size() + " re-pointings -> " + distinct(answers) + "; thief received " + stolen + " requests"
        + (generate == null ? "" : ", the victim the secret"));
  }

  static void secretFiles(Target t, Finding f) throws Exception {
    Path vault = t.etcFile(NETWORK_PID, "vault");
    Path leaky = t.etcFile(NETWORK_PID, "leaky");
    Map<String, String> modes = new LinkedHashMap<>();
    modes.put("etc/", Target.mode(t.etc));
    modes.put("log/", Target.mode(t.dir.resolve("log")));
    modes.put("felix-cache/ (Config Admin's copies)", Target.mode(t.dir.resolve("felix-cache")));
    modes.put("vault.cfg as its user wrote it", Target.mode(vault));
    modes.put("leaky.cfg as its user wrote it", Target.mode(leaky));
    if (t.setUp.writable()) {
      rewrite(t, "vault", vault);
      modes.put("vault.cfg after a write-back", Target.mode(vault));
      rewrite(t, "leaky", leaky);
      modes.put("leaky.cfg after a write-back", Target.mode(leaky));
      RawHttp.Answer created = t.send(t.request("POST", "/handlers").json(t.toJson(Map.of("kind", "network", "name",
          "vault2", "config", Map.of("host", "127.0.0.1", "port", t.victim.port(), "auth", SECRET)))));
      Path vault2 = t.etcFile(NETWORK_PID, "vault2");
      t.await("vault2's file written (create -> " + created.status() + ")", () -> Target.read(vault2).contains("auth"));
      modes.put("vault2.cfg created through the API", Target.mode(vault2));
      t.send(t.request("DELETE", "/handlers/vault2"));
    }
    f.sent(t.setUp.writable() ? "PUT max_queue_size to vault (file 0600) and leaky (file 0644, as its user left it); "
        + "POST a network handler vault2 with auth" + t.withToken() : "nothing can be written: the modes are read")
        .expected("etc/, log/, felix-cache/ rwx------; a file holding a secret rw------- when the runtime writes it, and "
            + "kept so on rewrite" + (t.setUp.writable() ? " (leaky's 0644 narrowed)" : ""))
        .got(modes.toString());
    modes.forEach((what, mode) -> {
      String expected = what.endsWith("/") || what.contains("cache") ? "rwx------"
          : what.startsWith("leaky.cfg as") ? "rw-r--r--" : "rw-------";
      f.check(mode.equals(expected), what + " is " + mode);
    });
    f.figure("etc/ " + modes.get("etc/") + "; " + (t.setUp.writable() ? "vault2 born " + modes.get("vault2.cfg created "
        + "through the API") + ", vault " + modes.get("vault.cfg after a write-back") + " after write-back, leaky "
        + "0644 -> " + modes.get("leaky.cfg after a write-back") : "vault " + modes.get("vault.cfg as its user wrote it")));
  }

  private static void rewrite(Target t, String name, Path file) {
    RawHttp.Answer put = t.send(t.request("PUT", "/handlers/" + name + "/config").json("{\"max_queue_size\": 64}"));
    t.await(name + "'s change written back (PUT -> " + put.status() + ")",
        () -> Target.read(file).contains("max_queue_size"));
  }

  static void echoedSecret(Target t, Finding f) throws Exception {
    String prefix = SECRET.substring(0, 4);
    String generated = "";
    int status = 0;
    if (t.setUp.writable()) {
      t.victim.respond(401, "{\"error\": \"" + "x".repeat(186) + SECRET + "\"}");
      try {
        RawHttp.Answer generate = t.send(t.request("POST", "/handlers/vault/generate").json("{\"item\": \"frame\"}"));
        generated = generate.body();
        status = generate.status();
        long errors = t.stat("vault", "error_count");
        t.send(t.request("POST", "/handlers/vault/feed").json("{\"item\": \"frame\"}"));
        t.await("the fed item's 401 counted", () -> t.stat("vault", "error_count") > errors);
      } finally {
        t.victim.respond(200, null);
      }
      t.newVictimRequests();
    }
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("the generate answer", generated);
    shown.put("GET /handlers", t.get("/handlers").body());
    shown.put("GET /handlers/vault", t.get("/handlers/vault").body());
    shown.put("GET /metrics", t.get("/metrics").body());
    shown.put("the log", t.log());
    Map<String, Integer> found = new LinkedHashMap<>();
    shown.forEach((where, text) -> found.put(where + " (" + text.length() + " B)",
        dev.maverick.handler.itest.runtime.RuntimeProcess.occurrences(text, prefix)));
    boolean recorded = !t.setUp.writable() || t.get("/handlers/vault").body().contains("401");
    f.sent(t.setUp.writable() ? "the victim answers 401 {\"error\": \"x...x<secret>\"} (the secret across the 200-character "
        + "excerpt's end); POST /handlers/vault/generate and /feed" + t.withToken()
        : "nothing can make vault call (no writes): the pages and the log are searched")
        .expected((t.setUp.writable() ? "500 for generate; " : "") + "the secret's first 4 characters ('" + prefix
            + "') nowhere: answer, /handlers, /metrics, log")
        .got(t.setUp.writable() ? "generate -> " + status + " " + KeyAttacks.excerpt(generated) : "")
        .evidence("occurrences of '" + prefix + "': " + found + "; the 401 is in vault's stats: " + recorded);
    found.forEach((where, count) -> f.check(count == 0, "'" + prefix + "' shows " + count + " times in " + where));
    f.check(!t.setUp.writable() || status == 500, "generate answered " + status).check(recorded,
        "the 401 is not in vault's stats");
    f.figure("'" + prefix + "' found " + found.values().stream().mapToInt(Integer::intValue).sum() + " times in "
        + String.join(", ", found.keySet()));
  }

  static void lineBreaks(Target t, Finding f) throws Exception {
    t.newVictimRequests();
    int before = t.victim.requestCount();
    int want = refusal(t, 400);
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    answers.put("feed ?sample_rate=16000&note=%0D%0AX-Injected:%20yes (4 raw bytes)", t.send(t.request("POST",
        "/handlers/vault/feed?sample_rate=16000&note=%0D%0AX-Injected:%20yes%0D%0A%0D%0A")
        .body("application/octet-stream", new byte[] {1, 2, 3, 4})));
    answers.put("feed extra {\"note\": \"\\r\\nX-Injected: yes\"}", t.send(t.request("POST", "/handlers/vault/feed")
        .json("{\"item\": \"x\", \"extra\": {\"note\": \"\\r\\nX-Injected: yes\"}}")));
    answers.put("feed ?a%0D%0Ab=1", t.send(t.request("POST", "/handlers/vault/feed?sample_rate=16000&a%0D%0Ab=1")
        .body("application/octet-stream", new byte[] {1, 2, 3, 4})));
    answers.put("create with client_id_prefix \"c\\r\\nX-Injected: yes\"", t.send(t.request("POST", "/handlers")
        .json(t.toJson(Map.of("kind", "network", "name", "crlf", "config", Map.of("host", "127.0.0.1", "port",
            t.victim.port(), "client_id_prefix", "c\r\nX-Injected: yes"))))));
    answers.put("PUT vault auth \"k\\r\\nX-Injected: yes\"", t.send(t.request("PUT", "/handlers/vault/config")
        .json("{\"auth\": \"k\\r\\nX-Injected: yes\"}")));
    if (t.handler("crlf") != null) {
      answers.put("generate on crlf", t.send(t.request("POST", "/handlers/crlf/generate").json("{\"item\": \"x\"}")));
      t.send(t.request("DELETE", "/handlers/crlf"));
    }
    int accepted = (int) answers.values().stream().filter(a -> a.status() == 200 && a.body().contains("\"accepted\":true"))
        .count();
    boolean arrived = !t.setUp.writable()
        || t.awaitQuietly(Duration.ofSeconds(20), () -> t.victim.requestCount() >= before + accepted);
    List<JsonServer.Request> received = t.newVictimRequests();
    long injected = received.stream().filter(r -> r.header("x-injected") != null || !r.path().equals("/api")).count();
    f.sent(String.join("; ", answers.keySet()) + t.withToken())
        .expected(t.setUp.writable() ? "the two feeds accepted, their line breaks only inside the JSON body the victim "
            + "receives; 400 for the parameter name, the client_id_prefix and the auth with line breaks"
            : "403 each")
        .got(statuses(answers)).evidence("the victim received " + received.size() + " requests (all arrived: " + arrived
            + "), with an X-Injected header or another path: " + injected);
    List<String> whats = List.copyOf(answers.keySet());
    for (int i = 0; i < whats.size(); i++) {
      int status = answers.get(whats.get(i)).status();
      int expected = !t.setUp.writable() ? 403 : i < 2 ? 200 : want;
      f.check(status == expected, whats.get(i) + " answered " + status);
    }
    f.check(arrived, "the accepted items did not reach the victim").check(injected == 0, injected
        + " requests carried an injected header");
    f.figure(answers.size() + " requests -> " + distinct(answers) + "; victim got " + received.size()
        + " requests, 0 injected headers");
  }
}
