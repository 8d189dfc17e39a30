package dev.maverick.handler.itest.security;

import static dev.maverick.handler.itest.security.Target.ECHO_PID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maverick.handler.itest.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an attacker stores through the API, and the faults found in the same run
 * (backslashes, {@code :} in a {@code .cfg.json} key, {@code 1e999}): framework keys in any
 * case, second spellings, {@code ${...}}, keys with file syntax; and the suite's own: names that
 * try to leave {@code etc/} or forge a metric.
 */
final class KeyAttacks {
  /** A line the attacker wants in the log, after a newline in a key. */
  static final String FORGED = "2031-01-01 00:00:00.000 [main] INFO Forged - admin_token is hunter2";

  private KeyAttacks() {}

  static List<Attack> all() {
    return List.of(
        new Attack("3a", "Felix.FileInstall.Filename = file:///<a file outside etc/>: overwrite and delete it",
            KeyAttacks::fileInstallFilename),
        new Attack("3b", "Service.Pid and other framework keys in another case", KeyAttacks::frameworkKeys),
        new Attack("3c", "MAX_QUEUE_SIZE beside max_queue_size", KeyAttacks::secondSpelling),
        new Attack("4", "${auth}, ${env:HOME}, ${java.home} in values", KeyAttacks::interpolation),
        new Attack("5", "keys with a newline (forging lines in the .cfg and the log), #, !, backslash",
            KeyAttacks::rawKeys),
        new Attack("F1", "backslashes and file syntax in a value survive write-back and re-read", KeyAttacks::backslashes),
        new Attack("F2", "a key with ':' in a .cfg.json (read as a type)", KeyAttacks::colonInJsonKey),
        new Attack("F3", "1e999 in a configuration value and an item", KeyAttacks::notFinite),
        new Attack("X3", "names that leave etc/: ../, encoded slashes", KeyAttacks::traversalNames),
        new Attack("X4", "/metrics label injection through a handler name", KeyAttacks::metricsLabels));
  }

  /** The status a refused write gets: the rule's, or 403 where no write is allowed at all. */
  static int refusal(Target t, int status) {
    return t.setUp.writable() ? status : 403;
  }

  static void fileInstallFilename(Target t, Finding f) throws Exception {
    Path precious = t.outside.resolve("precious.txt");
    byte[] before = Target.bytes(precious);
    FileTime modified = Files.getLastModifiedTime(precious);
    String url = precious.toUri().toString();
    int want = refusal(t, 400);
    Map<String, Integer> statuses = new LinkedHashMap<>();
    for (String key : List.of("Felix.FileInstall.Filename", "felix.fileinstall.filename", "FELIX.FILEINSTALL.FILENAME")) {
      Map<String, Object> config = Map.of(key, url);
      statuses.put("create with " + key, t.send(t.request("POST", "/handlers").json(t.toJson(Map.of("kind", "echo",
          "name", "fi-create", "config", config)))).status());
      statuses.put("PUT echo " + key, t.send(t.request("PUT", "/handlers/echo/config").json(t.toJson(config))).status());
    }
    boolean ownFileGone = true;
    if (t.setUp.writable()) {
      // a handler of the attacker's, pointed at the file, then deleted: only its own file may go
      statuses.put("create fi-victim", t.send(t.request("POST", "/handlers").json(
          "{\"kind\": \"echo\", \"name\": \"fi-victim\"}")).status());
      Path own = t.etcFile(ECHO_PID, "fi-victim");
      t.await("fi-victim's own file written", () -> Files.exists(own));
      statuses.put("PUT fi-victim Felix.FileInstall.Filename", t.send(t.request("PUT", "/handlers/fi-victim/config")
          .json(t.toJson(Map.of("Felix.FileInstall.Filename", url)))).status());
      statuses.put("DELETE fi-victim", t.send(t.request("DELETE", "/handlers/fi-victim")).status());
      ownFileGone = t.awaitQuietly(java.time.Duration.ofSeconds(10), () -> !Files.exists(own));
    } else {
      statuses.put("DELETE headvictim", t.send(t.request("DELETE", "/handlers/headvictim")).status());
    }
    boolean untouched = Arrays.equals(before, Target.bytes(precious))
        && modified.equals(Files.getLastModifiedTime(precious));
    boolean created = t.handler("fi-create") != null || Files.exists(t.etcFile(ECHO_PID, "fi-create"));
    f.sent("POST /handlers and PUT /handlers/echo/config with {\"Felix.FileInstall.Filename\": \"" + url
        + "\"} in three cases" + (t.setUp.writable() ? "; then a handler of its own, PUT with the key, DELETE" : "")
        + t.withToken())
        .expected(want + " for each key (naming it); " + (t.setUp.writable() ? "201 and 200 for the handler's own "
            + "create and delete, only its own file removed; " : "403 for the delete; ") + "the file outside untouched")
        .got(statuses.toString())
        .evidence(precious + ": " + before.length + " bytes, same bytes and mtime afterwards: " + untouched
            + "; fi-create exists: " + created + (t.setUp.writable() ? "; fi-victim's own file removed: " + ownFileGone : ""));
    statuses.forEach((what, status) -> {
      int expected = what.startsWith("create fi-victim") ? 201 : what.startsWith("DELETE fi-victim") ? 200
          : what.startsWith("DELETE") ? 403 : want;
      f.check(status == expected, what + " answered " + status);
    });
    f.check(untouched, "the file outside etc/ was changed or deleted").check(!created, "fi-create was created")
        .check(ownFileGone, "the deleted handler's own file stayed");
    f.figure(statuses.size() + " requests -> " + statuses.values() + "; " + precious.getFileName() + " ("
        + before.length + " B) untouched after create, update and delete");
  }

  static void frameworkKeys(Target t, Finding f) {
    String logBefore = t.log();
    int want = refusal(t, 400);
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    for (String key : List.of("Service.Pid", "SERVICE.FACTORYPID", "Component.Name", "objectclass", "Handler.Name")) {
      answers.put("PUT echo " + key, t.send(t.request("PUT", "/handlers/echo/config").json(t.toJson(Map.of(key, "x")))));
      answers.put("create with " + key, t.send(t.request("POST", "/handlers").json(t.toJson(Map.of("kind", "echo",
          "name", "sp", "config", Map.of(key, "x"))))));
    }
    String logged = t.logSince(logBefore);
    int traces = Target.stackTraceLines(logged);
    f.sent("PUT /handlers/echo/config and POST /handlers with Service.Pid, SERVICE.FACTORYPID, Component.Name, "
        + "objectclass, Handler.Name" + t.withToken())
        .expected(want + " naming the key for each (never 500); no stack trace in the log; nothing created")
        .got(statuses(answers)).evidence("log: +" + logged.length() + " bytes, " + traces + " stack-trace lines");
    answers.forEach((what, answer) -> f.check(answer.status() == want, what + " answered " + answer.status()));
    f.check(traces == 0, traces + " stack-trace lines in the log").check(t.handler("sp") == null, "'sp' was created");
    f.figure(answers.size() + " requests -> " + distinct(answers) + "; log +" + logged.length() + " B, " + traces
        + " stack-trace lines");
  }

  static void secondSpelling(Target t, Finding f) {
    Path file = t.etcFile(ECHO_PID, "echo");
    byte[] before = Target.bytes(file);
    String logBefore = t.log();
    String queue = t.config("echo").path("max_queue_size").asText();
    int want = refusal(t, 400);
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    answers.put("{\"MAX_QUEUE_SIZE\": 7}", t.send(t.request("PUT", "/handlers/echo/config").json("{\"MAX_QUEUE_SIZE\": 7}")));
    answers.put("{\"max_queue_size\": 5, \"MAX_QUEUE_SIZE\": 6}", t.send(t.request("PUT", "/handlers/echo/config")
        .json("{\"max_queue_size\": 5, \"MAX_QUEUE_SIZE\": 6}")));
    answers.put("{\"Verbose\": true}", t.send(t.request("PUT", "/handlers/echo/config").json("{\"Verbose\": true}")));
    String logged = t.logSince(logBefore);
    int traces = Target.stackTraceLines(logged);
    String after = t.config("echo").path("max_queue_size").asText();
    boolean fileKept = Arrays.equals(before, Target.bytes(file));
    f.sent("PUT /handlers/echo/config (echo's file holds max_queue_size and verbose) " + String.join(", ",
        answers.keySet()) + t.withToken())
        .expected(want + " naming the key (not 500); max_queue_size and the file unchanged; no stack trace in the log")
        .got(statuses(answers)).evidence("max_queue_size " + queue + " -> " + after + "; echo's file unchanged: "
            + fileKept + "; log +" + logged.length() + " bytes, " + traces + " stack-trace lines");
    answers.forEach((what, answer) -> f.check(answer.status() == want, what + " answered " + answer.status()));
    f.check(queue.equals(after), "max_queue_size changed").check(fileKept, "echo's file changed")
        .check(traces == 0, traces + " stack-trace lines in the log");
    f.figure(answers.size() + " requests -> " + distinct(answers) + "; " + traces + " stack-trace lines, file unchanged");
  }

  static void interpolation(Target t, Finding f) throws Exception {
    String home = System.getenv().getOrDefault("HOME", "/root");
    String javaHome = System.getProperty("java.home");
    int want = refusal(t, 400);
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    answers.put("vault client_id_prefix=${auth}", t.send(t.request("PUT", "/handlers/vault/config")
        .json("{\"client_id_prefix\": \"${auth}\"}")));
    answers.put("echo client_id_prefix=${env:HOME}", t.send(t.request("PUT", "/handlers/echo/config")
        .json("{\"client_id_prefix\": \"${env:HOME}\"}")));
    answers.put("create interp client_id_prefix=${java.home}", t.send(t.request("POST", "/handlers")
        .json("{\"kind\": \"echo\", \"name\": \"interp\", \"config\": {\"client_id_prefix\": \"${java.home}\"}}")));
    answers.put("echo expected_type=[${auth}]", t.send(t.request("PUT", "/handlers/echo/config")
        .json("{\"expected_type\": \"java.lang.String,$${auth}\"}")));
    String shown = t.get("/handlers").body();
    String echoFile = Target.read(t.etcFile(ECHO_PID, "echo"));
    boolean secretShown = shown.contains(Target.SECRET) || shown.contains(Target.SECRET.substring(0, 4));
    boolean homeShown = home.length() > 1
        && (t.config("echo").toString().contains(home) || t.config("vault").toString().contains(home));
    boolean javaShown = shown.contains(javaHome);
    boolean interpolationInFile = echoFile.contains("${") || echoFile.contains(Target.SECRET);
    // the issue saw write-back stop for good after an interpolated value: a plain change is written still
    boolean writtenBack = true;
    if (t.setUp.writable()) {
      RawHttp.Answer plain = t.send(t.request("PUT", "/handlers/echo/config").json("{\"delay_ms\": 1}"));
      writtenBack = plain.status() == 200 && t.awaitQuietly(java.time.Duration.ofSeconds(10),
          () -> Target.read(t.etcFile(ECHO_PID, "echo")).matches("(?s).*delay_ms\\s*=\\s*(I\"1\"|\"1\"|1)\\s.*"));
      // delay_ms stays 1: a second change at once can be lost to FileInstall re-reading the first (see the report)
    }
    f.sent("PUT vault {\"client_id_prefix\": \"${auth}\"}, PUT echo \"${env:HOME}\", POST a handler with "
        + "\"${java.home}\", PUT echo expected_type with $${auth}" + t.withToken())
        .expected(want + " each (" + (t.setUp.writable() ? "a value without '${'" : "no write without a token")
            + "); the secret, $HOME (" + home + ") and java.home nowhere in GET /handlers; echo's file without '${'"
            + (t.setUp.writable() ? "; a plain change afterwards still written back" : ""))
        .got(statuses(answers))
        .evidence("GET /handlers (" + shown.length() + " B) shows the secret: " + secretShown + ", $HOME in a "
            + "configuration: " + homeShown + ", java.home: " + javaShown + "; echo's file holds '${' or the secret: "
            + interpolationInFile + (t.setUp.writable() ? "; delay_ms=1 written back afterwards: " + writtenBack : ""));
    answers.forEach((what, answer) -> f.check(answer.status() == want, what + " answered " + answer.status()));
    f.check(!secretShown, "the secret was shown").check(!homeShown, "$HOME was read into a configuration")
        .check(!javaShown, "java.home was shown").check(!interpolationInFile, "echo's file holds '${' or the secret")
        .check(t.handler("interp") == null, "'interp' was created").check(writtenBack, "write-back stopped");
    f.figure(answers.size() + " values -> " + distinct(answers) + "; secret, $HOME, java.home shown 0 times"
        + (t.setUp.writable() ? "; write-back still works" : ""));
  }

  static void rawKeys(Target t, Finding f) {
    Path file = t.etcFile(ECHO_PID, "echo");
    byte[] before = Target.bytes(file);
    String configBefore = aimedAt(t.config("echo"));
    int want = refusal(t, 400);
    List<String> keys = List.of("note\nmax_queue_size = 7\nverbose = true", "x\n" + FORGED, "#comment", "!comment",
        "a\\b", "a=b", "a b");
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    for (String key : keys) {
      answers.put("PUT " + AttackReport.escape(key), t.send(t.request("PUT", "/handlers/echo/config")
          .json(t.toJson(Map.of(key, "7")))));
    }
    answers.put("create with key note\\nverbose = true", t.send(t.request("POST", "/handlers").json(t.toJson(
        Map.of("kind", "echo", "name", "raw", "config", Map.of("note\nverbose = true", "1"))))));
    boolean fileKept = Arrays.equals(before, Target.bytes(file));
    boolean forged = t.log().lines().anyMatch(line -> line.startsWith("2031-01-01") || line.startsWith("max_queue_size = 7"));
    String configAfter = aimedAt(t.config("echo"));
    f.sent("PUT /handlers/echo/config with the keys " + AttackReport.escape(String.join(" | ", keys))
        + "; a create with a newline key" + t.withToken())
        .expected(want + " naming the key for each; echo's file byte for byte the same; no forged line in the log; "
            + "configuration unchanged")
        .got(statuses(answers)).evidence("echo's file unchanged: " + fileKept + "; a forged line in the log: " + forged
            + "; max_queue_size, verbose and odd keys " + configBefore + " -> " + configAfter);
    answers.forEach((what, answer) -> f.check(answer.status() == want, what + " answered " + answer.status()));
    f.check(fileKept, "echo's file changed").check(!forged, "a forged line is in the log")
        .check(configBefore.equals(configAfter), "echo's configuration changed: " + configAfter)
        .check(t.handler("raw") == null, "'raw' was created");
    f.figure(answers.size() + " keys -> " + distinct(answers) + "; file unchanged, 0 forged log lines");
  }

  static void backslashes(Target t, Finding f) throws Exception {
    String value = "C:\\models\\ \\\\share\\x #1 !2 = 3 \"q\" ";
    Path file = t.etcFile(ECHO_PID, "echo");
    RawHttp.Answer put = t.send(t.request("PUT", "/handlers/echo/config").json(t.toJson(Map.of("client_id_prefix", value))));
    f.sent("PUT /handlers/echo/config {\"client_id_prefix\": " + t.toJson(value) + "}" + t.withToken()
        + (t.setUp.writable() ? "; then the file edited as its user would (verbose flipped) for FileInstall to re-read it" : ""));
    if (!t.setUp.writable()) {
      byte[] before = Target.bytes(file);
      f.expected("403: nothing is written without a token beyond loopback").got("-> " + put.status());
      f.check(put.status() == 403, "the PUT answered " + put.status())
          .check(Arrays.equals(before, Target.bytes(file)), "echo's file changed");
      f.figure("PUT -> " + put.status() + "; nothing written");
      return;
    }
    // the file may hold client_id_prefix already (an earlier attack's reset): wait for this value's own text
    t.await("client_id_prefix written to " + file.getFileName(), () -> Target.read(file).contains("models"));
    String line = Target.read(file).lines().filter(l -> l.startsWith("client_id_prefix")).findFirst().orElse("");
    boolean verbose = t.config("echo").path("verbose").asBoolean();
    String edited = Target.read(file).replaceAll("(?m)^verbose\\s*=.*$", "verbose = " + !verbose);
    Target.write(file, edited, Target.mode(file));
    boolean reread = t.awaitQuietly(java.time.Duration.ofSeconds(15),
        () -> t.config("echo").path("verbose").asBoolean() == !verbose);
    String after = t.config("echo").path("client_id_prefix").asText();
    t.send(t.request("PUT", "/handlers/echo/config").json("{\"client_id_prefix\": \"client\", \"verbose\": false}"));
    f.expected("200; the value comes back identical after write-back and FileInstall's re-read")
        .got("PUT -> " + put.status() + "; after the re-read: " + t.toJson(after))
        .evidence("the file's line: " + line + "; the edit re-read (verbose flipped): " + reread);
    f.check(put.status() == 200, "the PUT answered " + put.status()).check(reread, "FileInstall did not re-read the edit")
        .check(value.equals(after), "the value came back as " + t.toJson(after));
    f.figure(value.length() + " characters with \\, \\\\, #, !, =, quotes and a trailing blank: identical after "
        + "write-back and re-read");
  }

  static void colonInJsonKey(Target t, Finding f) {
    Path file = t.etc.resolve(ECHO_PID + "-poll.cfg.json");
    byte[] before = Target.bytes(file);
    int want = refusal(t, 400);
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    answers.put("{\"delay_ms:Integer\": 5}", t.send(t.request("PUT", "/handlers/poll/config").json("{\"delay_ms:Integer\": 5}")));
    answers.put("{\"a:b\": \"c\"}", t.send(t.request("PUT", "/handlers/poll/config").json("{\"a:b\": \"c\"}")));
    boolean kept = Arrays.equals(before, Target.bytes(file));
    boolean colonKey = false;
    for (var names = t.config("poll").fieldNames(); names.hasNext();) {
      colonKey |= names.next().contains(":");
    }
    f.sent("PUT /handlers/poll/config (poll's file is a .cfg.json) " + String.join(", ", answers.keySet()) + t.withToken())
        .expected(want + " naming the key; the .cfg.json unchanged; no key with ':' in the configuration")
        .got(statuses(answers)).evidence("poll's .cfg.json unchanged: " + kept + "; a key with ':' stored: " + colonKey);
    answers.forEach((what, answer) -> f.check(answer.status() == want, what + " answered " + answer.status()));
    f.check(kept, "poll's .cfg.json changed").check(!colonKey, "a key with ':' was stored");
    f.figure(answers.size() + " keys -> " + distinct(answers) + "; .cfg.json unchanged");
  }

  static void notFinite(Target t, Finding f) {
    Path file = t.etcFile(ECHO_PID, "echo");
    byte[] before = Target.bytes(file);
    long fed = t.stat("echo", "fed_count");
    String delay = t.config("echo").path("delay_ms").asText();
    int want = refusal(t, 400);
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    answers.put("PUT {\"delay_ms\": 1e999}", t.send(t.request("PUT", "/handlers/echo/config").json("{\"delay_ms\": 1e999}")));
    answers.put("PUT {\"shutdown_timeout\": -1e999}", t.send(t.request("PUT", "/handlers/echo/config")
        .json("{\"shutdown_timeout\": -1e999}")));
    answers.put("feed {\"item\": 1e999}", t.send(t.request("POST", "/handlers/echo/feed").json("{\"item\": 1e999}")));
    answers.put("feed {\"item\": [1, -1e999]}", t.send(t.request("POST", "/handlers/echo/feed").json("{\"item\": [1, -1e999]}")));
    long fedAfter = t.stat("echo", "fed_count");
    boolean kept = Arrays.equals(before, Target.bytes(file));
    String delayAfter = t.config("echo").path("delay_ms").asText();
    f.sent(String.join(", ", answers.keySet()) + " to echo" + t.withToken())
        .expected(want + " each (a finite number is required); nothing fed, configuration and file unchanged")
        .got(statuses(answers)).evidence("fed " + fed + " -> " + fedAfter + "; delay_ms " + delay + " -> " + delayAfter
            + "; echo's file unchanged: " + kept);
    answers.forEach((what, answer) -> f.check(answer.status() == want, what + " answered " + answer.status()));
    f.check(fedAfter == fed, "an item was fed").check(kept, "echo's file changed").check(delay.equals(delayAfter),
        "delay_ms changed");
    f.figure(answers.size() + " requests -> " + distinct(answers) + "; fed 0, file unchanged");
  }

  static void traversalNames(Target t, Finding f) throws Exception {
    List<Path> before = tree(t.dir);
    int want = refusal(t, 400);
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    for (String name : List.of("../../outside/evil", "..", "a/b", "..\\..\\evil", "%2e%2e%2fevil")) {
      answers.put("create " + name, t.send(t.request("POST", "/handlers").json(t.toJson(Map.of("kind", "echo", "name", name)))));
    }
    Map<String, RawHttp.Answer> paths = new LinkedHashMap<>();
    for (String path : List.of("/handlers/..%2F..%2Foutside%2Fprecious.txt", "/handlers/%2e%2e/config",
        "/handlers/echo/..%2f..%2fmetrics", "/handlers/..;/..;/etc/passwd")) {
      paths.put("GET " + path, t.send(t.request("GET", path)));
      paths.put("DELETE " + path, t.send(t.request("DELETE", path)));
    }
    for (String path : List.of("/ui/..%2f..%2f..%2fetc%2fpasswd", "/ui/%2e%2e/%2e%2e/etc/passwd", "/ui/../../etc/passwd")) {
      paths.put("GET " + path, t.send(t.request("GET", path)));
    }
    List<Path> added = new ArrayList<>(tree(t.dir));
    added.removeAll(before);
    f.sent("POST /handlers with the names ../../outside/evil, .., a/b, ..\\..\\evil, %2e%2e%2fevil; GET and DELETE of "
        + String.join(", ", paths.keySet().stream().filter(k -> k.startsWith("GET")).map(k -> k.substring(4)).toList())
        + t.withToken())
        .expected(want + " for the creates (the name rule); 400 or 404 for the paths; no file added outside etc/ "
            + "and log/, none removed")
        .got(statuses(answers) + " " + statuses(paths)).evidence("files added outside etc/, log/, felix-cache/: " + added);
    answers.forEach((what, answer) -> f.check(answer.status() == want, what + " answered " + answer.status()));
    paths.forEach((what, answer) -> f.check(answer.status() == 400 || answer.status() == 404
        || (!t.setUp.writable() && what.startsWith("DELETE") && answer.status() == 403), what + " answered "
        + answer.status()));
    boolean leaked = paths.values().stream().anyMatch(a -> a.body().contains("root:"));
    f.check(!leaked, "a file outside was served").check(added.isEmpty(), "files appeared: " + added).check(before.stream().allMatch(Files::exists), "a file went");
    f.figure((answers.size() + paths.size()) + " requests -> " + distinct(answers) + " / " + distinct(paths)
        + "; 0 files added or removed outside etc/");
  }

  static void metricsLabels(Target t, Finding f) {
    int want = refusal(t, 400);
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    for (String name : List.of("x\"} 1\nmaverick_forged_total{handler=\"y", "x\",kind=\"forged", "x}\nmaverick_forged 1")) {
      answers.put("create " + AttackReport.escape(name), t.send(t.request("POST", "/handlers")
          .json(t.toJson(Map.of("kind", "echo", "name", name)))));
    }
    String metrics = t.get("/metrics").body();
    List<String> malformed = metrics.lines().filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .filter(line -> !line.matches("[a-z_:][a-z0-9_:]*(\\{([a-z_]+=\"[A-Za-z0-9._:/ -]*\",?)*\\})? \\S+")).toList();
    boolean forged = metrics.contains("maverick_forged") || metrics.contains("kind=\"forged");
    f.sent("POST /handlers with names that close a label and start a metric: " + String.join(", ",
        answers.keySet()) + t.withToken())
        .expected(want + " (the name rule); /metrics holds no forged metric, every line well formed")
        .got(statuses(answers)).evidence("/metrics: " + metrics.lines().count() + " lines, forged metric: " + forged
            + ", lines that do not parse: " + malformed.size() + (malformed.isEmpty() ? "" : " e.g. " + malformed.get(0)));
    answers.forEach((what, answer) -> f.check(answer.status() == want, what + " answered " + answer.status()));
    f.check(!forged, "a forged metric is in /metrics").check(malformed.isEmpty(), malformed.size()
        + " malformed /metrics lines");
    f.figure(answers.size() + " names -> " + distinct(answers) + "; /metrics " + metrics.lines().count()
        + " lines, 0 forged, 0 malformed");
  }

  /** What the raw keys aim at in a configuration: max_queue_size, verbose, and keys that break the file syntax. */
  private static String aimedAt(JsonNode config) {
    List<String> odd = new ArrayList<>();
    config.fieldNames().forEachRemaining(name -> {
      if (!name.matches("[A-Za-z0-9._-]+")) {
        odd.add(name);
      }
    });
    return "max_queue_size=" + config.path("max_queue_size").asText() + ", verbose=" + config.path("verbose").asText()
        + ", odd keys " + odd;
  }

  /** The files under the runtime's directory, outside the ones it writes (etc/, log/, the cache). */
  private static List<Path> tree(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      return files.filter(p -> !p.startsWith(dir.resolve("etc")) && !p.startsWith(dir.resolve("log"))
          && !p.startsWith(dir.resolve("felix-cache"))).toList();
    }
  }

  static String statuses(Map<String, RawHttp.Answer> answers) {
    StringBuilder text = new StringBuilder();
    answers.forEach((what, answer) -> text.append(text.length() == 0 ? "" : "; ").append(what).append(" -> ")
        .append(answer.status()).append(' ').append(excerpt(answer.body())));
    return text.toString();
  }

  static List<Integer> distinct(Map<String, RawHttp.Answer> answers) {
    return answers.values().stream().map(RawHttp.Answer::status).distinct().toList();
  }

  static String excerpt(String body) {
    return body.length() <= 160 ? body : body.substring(0, 160) + "...";
  }
}
