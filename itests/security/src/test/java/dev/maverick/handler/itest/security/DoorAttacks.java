package dev.maverick.handler.itest.security;

import static dev.maverick.handler.itest.security.Target.ECHO_PID;

import dev.maverick.handler.itest.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attacks on the admin's door: HEAD running the write branch, other
 * methods, DNS rebinding, pages of other sites, the token on reads; and the suite's own: a guessed
 * token, huge headers, the page framed or fed a script.
 */
final class DoorAttacks {
  static final String REBIND = "rebind.attacker.example";

  private DoorAttacks() {}

  static List<Attack> all() {
    return List.of(
        new Attack("1a", "HEAD /handlers/{name} deletes the handler and its file", DoorAttacks::headDeletes),
        new Attack("1b", "HEAD /handlers/{name}/result takes a result", DoorAttacks::headTakesResult),
        new Attack("1c", "HEAD with a JSON body creates a handler or feeds", DoorAttacks::headCreates),
        new Attack("1d", "PATCH, OPTIONS, TRACE, PROPFIND change a configuration", DoorAttacks::otherMethods),
        new Attack("2a", "DNS rebinding: Host rebind.attacker.example:<port> reads, feeds, PUT /config", DoorAttacks::rebinding),
        new Attack("2b", "a page elsewhere: foreign Origin reads and feeds", DoorAttacks::foreignOrigin),
        new Attack("2c", "a page elsewhere: Sec-Fetch-Site cross-site, <img> on /result", DoorAttacks::crossSite),
        new Attack("8", "with admin_token set, reads without it (GET /result as an <img> sends it)", DoorAttacks::tokenOnReads),
        new Attack("X1", "guessing the token: near misses, Basic, query parameter", DoorAttacks::tokenGuessing),
        new Attack("X2", "huge headers (64 KiB, 2,000 headers)", DoorAttacks::hugeHeaders),
        new Attack("X7", "the page framed by another site; a stored <script> in a value the page shows",
            DoorAttacks::framedAndScripted));
  }

  static void headDeletes(Target t, Finding f) {
    Path file = t.etcFile(ECHO_PID, "headvictim");
    byte[] before = Target.bytes(file);
    f.sent("HEAD /handlers/headvictim" + t.withToken())
        .expected("200 without a body; handler 'headvictim' and its file in etc/ stay");
    RawHttp.Answer head = t.send(t.request("HEAD", "/handlers/headvictim"));
    boolean listed = t.handler("headvictim") != null;
    boolean kept = Arrays.equals(before, Target.bytes(file)) && before.length > 0;
    f.got("HEAD -> " + head.status() + ", " + head.body().length() + " body bytes")
        .evidence("handler listed afterwards: " + listed + "; " + file.getFileName() + " " + before.length
            + " bytes before, " + Target.bytes(file).length + " after, same bytes: " + kept);
    f.check(head.status() == 200, "HEAD answered " + head.status())
        .check(head.body().isEmpty(), "the HEAD answer had a body")
        .check(listed, "the handler is gone")
        .check(kept, "its file in etc/ was changed or deleted");
    f.figure("HEAD -> " + head.status() + ", 0 body bytes; handler listed, its file (" + before.length
        + " B) unchanged");
  }

  static void headTakesResult(Target t, Finding f) {
    boolean bait = t.setUp.writable();
    if (bait) {
      t.feedAndAwaitResult("echo", "bait-head");
    }
    long waiting = t.stat("echo", "result_queue_size");
    f.sent("HEAD /handlers/echo/result?timeout=5" + t.withToken())
        .expected(bait ? "200 (a result is waiting) and the result stays" : "204 (nothing could be fed here, so no "
            + "result waits) and nothing taken");
    RawHttp.Answer head = t.send(t.request("HEAD", "/handlers/echo/result?timeout=5"));
    long after = t.stat("echo", "result_queue_size");
    f.got("HEAD -> " + head.status()).evidence("results waiting: " + waiting + " before, " + after + " after");
    f.check(head.status() == (bait ? 200 : 204), "HEAD answered " + head.status())
        .check(after == waiting, "a result was taken (" + waiting + " -> " + after + ")");
    if (bait) {
      t.takeResult("echo");
    }
    f.figure("HEAD -> " + head.status() + "; results waiting " + waiting + " -> " + after);
  }

  static void headCreates(Target t, Finding f) {
    long fed = t.stat("echo", "fed_count");
    f.sent("HEAD /handlers {\"kind\":\"echo\",\"name\":\"headmade\"}; HEAD /handlers/echo/feed {\"item\":\"x\"}"
        + t.withToken()).expected("200 (the list, no body) and nothing created; 405 for feed (it has no GET) and "
            + "nothing fed");
    RawHttp.Answer create = t.send(t.request("HEAD", "/handlers").json("{\"kind\": \"echo\", \"name\": \"headmade\"}"));
    RawHttp.Answer feed = t.send(t.request("HEAD", "/handlers/echo/feed").json("{\"item\": \"x\"}"));
    boolean created = t.handler("headmade") != null || Files.exists(t.etcFile(ECHO_PID, "headmade"));
    long fedAfter = t.stat("echo", "fed_count");
    f.got("HEAD /handlers -> " + create.status() + "; HEAD /handlers/echo/feed -> " + feed.status()
        + " Allow: " + feed.header("Allow"))
        .evidence("'headmade' listed or in etc/: " + created + "; echo fed " + fed + " -> " + fedAfter);
    f.check(create.status() == 200, "HEAD /handlers answered " + create.status())
        .check(feed.status() == 405, "HEAD on feed answered " + feed.status())
        .check(!created, "the handler was created")
        .check(fedAfter == fed, "an item was fed");
    f.figure("HEAD /handlers -> " + create.status() + ", HEAD feed -> " + feed.status() + "; created 0, fed "
        + (fedAfter - fed));
  }

  static void otherMethods(Target t, Finding f) {
    String before = t.config("echo").path("max_queue_size").asText();
    Map<String, Integer> statuses = new TreeMap<>();
    for (String method : List.of("PATCH", "OPTIONS", "TRACE", "PROPFIND", "CONNECTX")) {
      statuses.put(method, t.send(t.request(method, "/handlers/echo/config").json("{\"max_queue_size\": 3}")).status());
    }
    String after = t.config("echo").path("max_queue_size").asText();
    f.sent("PATCH, OPTIONS, TRACE, PROPFIND, CONNECTX /handlers/echo/config {\"max_queue_size\": 3}" + t.withToken())
        .expected("405 each; max_queue_size unchanged").got(statuses.toString())
        .evidence("echo max_queue_size " + before + " -> " + after);
    statuses.forEach((method, status) -> f.check(status == 405, method + " answered " + status));
    f.check(before.equals(after), "max_queue_size changed to " + after);
    f.figure(statuses.size() + " methods -> " + statuses.values().stream().distinct().toList() + "; max_queue_size "
        + before + " -> " + after);
  }

  static void rebinding(Target t, Finding f) {
    String host = REBIND + ":" + t.process.httpPort;
    long fed = t.stat("echo", "fed_count");
    String before = t.config("echo").path("max_queue_size").asText();
    List<RawHttp.Request> requests = List.of(
        t.http.request("GET", "/handlers", host),
        t.http.request("GET", "/handlers/vault/config", host),
        t.http.request("GET", "/", host),
        t.http.request("POST", "/handlers/echo/feed", host).json("{\"item\": \"rebound\"}"),
        t.http.request("PUT", "/handlers/echo/config", host).json("{\"max_queue_size\": 3}"),
        t.http.request("POST", "/handlers", host).json("{\"kind\": \"echo\", \"name\": \"rebound\"}"),
        t.http.request("GET", "/handlers", REBIND),
        t.http.request("GET", "/handlers", t.bindHost + ".attacker.example:" + t.process.httpPort));
    List<Integer> statuses = new ArrayList<>();
    boolean leaked = false;
    for (RawHttp.Request request : requests) {
      RawHttp.Answer answer = t.send(request);
      statuses.add(answer.status());
      leaked |= answer.body().contains("\"vault\"") || answer.body().contains("<html");
    }
    RawHttp.Answer noHost = t.send(t.http.request("GET", "/handlers", null));
    long fedAfter = t.stat("echo", "fed_count");
    String after = t.config("echo").path("max_queue_size").asText();
    boolean created = t.handler("rebound") != null;
    f.sent("Host: " + host + " (and " + REBIND + ", " + t.bindHost + ".attacker.example:<port>) on GET /handlers, "
        + "GET /handlers/vault/config, GET /, POST feed, PUT /config, POST /handlers; and no Host at all")
        .expected("421 for each (400 from Jetty for a request without Host); nothing read, fed, changed or created")
        .got(statuses + "; without Host: " + noHost.status())
        .evidence("echo fed " + fed + " -> " + fedAfter + ", max_queue_size " + before + " -> " + after
            + ", 'rebound' created: " + created + ", a page or handler list served: " + leaked);
    statuses.forEach(status -> f.check(status == 421, "a rebinding request answered " + status));
    f.check(noHost.status() == 400 || noHost.status() == 421, "a request without Host answered " + noHost.status())
        .check(!leaked, "the page or the handler list was served")
        .check(fedAfter == fed, "an item was fed").check(before.equals(after), "max_queue_size changed")
        .check(!created, "a handler was created");
    f.figure(requests.size() + " rebinding requests -> " + statuses.stream().distinct().toList() + ", no Host -> "
        + noHost.status() + "; fed " + (fedAfter - fed) + ", max_queue_size " + before + " -> " + after
        + ", created 0");
  }

  static void foreignOrigin(Target t, Finding f) {
    long fed = t.stat("echo", "fed_count");
    Map<String, Integer> statuses = new TreeMap<>();
    for (String origin : List.of("http://evil.example", "null", "http://" + REBIND + ":" + t.process.httpPort)) {
      statuses.put("POST feed, Origin " + origin, t.send(t.anonymous("POST", "/handlers/echo/feed")
          .header("Origin", origin).json("{\"item\": \"cross\"}")).status());
      statuses.put("GET /handlers, Origin " + origin, t.send(t.anonymous("GET", "/handlers")
          .header("Origin", origin)).status());
    }
    long fedAfter = t.stat("echo", "fed_count");
    f.sent("POST /handlers/echo/feed and GET /handlers with Origin http://evil.example, null, http://" + REBIND
        + ":<port> (no token)").expected("403 each (the Origin is checked before the token); nothing fed")
        .got(statuses.toString()).evidence("echo fed " + fed + " -> " + fedAfter);
    statuses.forEach((what, status) -> f.check(status == 403, what + " answered " + status));
    f.check(fedAfter == fed, "an item was fed");
    f.figure(statuses.size() + " requests -> " + statuses.values().stream().distinct().toList() + "; fed "
        + (fedAfter - fed));
  }

  static void crossSite(Target t, Finding f) {
    boolean bait = t.setUp.writable();
    if (bait) {
      t.feedAndAwaitResult("echo", "bait-cross");
    }
    long waiting = t.stat("echo", "result_queue_size");
    long fed = t.stat("echo", "fed_count");
    RawHttp.Answer image = t.send(t.anonymous("GET", "/handlers/echo/result").header("Sec-Fetch-Site", "cross-site")
        .header("Sec-Fetch-Mode", "no-cors").header("Sec-Fetch-Dest", "image"));
    RawHttp.Answer write = t.send(t.anonymous("POST", "/handlers/echo/feed").header("Sec-Fetch-Site", "cross-site")
        .json("{\"item\": \"cross\"}"));
    RawHttp.Answer sameSite = t.send(t.anonymous("DELETE", "/handlers/headvictim").header("Sec-Fetch-Site", "same-site"));
    long after = t.stat("echo", "result_queue_size");
    long fedAfter = t.stat("echo", "fed_count");
    boolean victimThere = t.handler("headvictim") != null;
    f.sent("GET /handlers/echo/result as a cross-site <img> (Sec-Fetch-Site: cross-site, Sec-Fetch-Dest: image); "
        + "POST feed with Sec-Fetch-Site: cross-site; DELETE /handlers/headvictim with Sec-Fetch-Site: same-site; no token")
        .expected("403 each; no result taken" + (bait ? "" : " (none could be fed here)") + ", nothing fed or deleted")
        .got("<img> -> " + image.status() + ", feed -> " + write.status() + ", same-site DELETE -> " + sameSite.status())
        .evidence("results waiting " + waiting + " -> " + after + ", fed " + fed + " -> " + fedAfter
            + ", headvictim listed: " + victimThere);
    f.check(image.status() == 403, "the <img> answered " + image.status())
        .check(write.status() == 403, "the cross-site feed answered " + write.status())
        .check(sameSite.status() == 403, "the same-site DELETE answered " + sameSite.status())
        .check(after == waiting, "a result was taken").check(fedAfter == fed, "an item was fed")
        .check(victimThere, "headvictim was deleted");
    if (bait) {
      t.takeResult("echo");
    }
    f.figure("<img> " + image.status() + ", feed " + write.status() + ", same-site DELETE " + sameSite.status()
        + "; results waiting " + waiting + " -> " + after);
  }

  static void tokenOnReads(Target t, Finding f) {
    if (!t.setUp.hasToken()) {
      if (t.setUp.exposed()) {
        // no token beyond loopback: reads are open, but taking a result is a write and refused
        RawHttp.Answer take = t.send(t.anonymous("GET", "/handlers/echo/result"));
        f.sent("GET /handlers/echo/result without a token").expected("403: taking a result is a write, refused beyond "
            + "loopback without a token").got("-> " + take.status());
        f.check(take.status() == 403, "GET /result answered " + take.status());
        f.figure("no admin_token: GET /result -> " + take.status() + "; reads are open (set a token before exposing)");
      } else {
        f.notApplicable("no admin_token in this set-up: reads are open to local programs by design; pages elsewhere "
            + "are refused by 2a-2c");
      }
      return;
    }
    t.feedAndAwaitResult("echo", "bait-token");
    List<String> reads = List.of("/handlers", "/handlers/vault", "/handlers/vault/config", "/handlers/echo/history",
        "/kinds", "/kinds/network", "/metrics", "/handlers/echo/result", "/handlers/nope");
    Map<String, Integer> statuses = new TreeMap<>();
    boolean shown = false;
    for (String path : reads) {
      RawHttp.Answer answer = t.send(t.anonymous("GET", path));
      statuses.put("GET " + path, answer.status());
      shown |= answer.body().contains("vault") || answer.body().contains("maverick_handler");
    }
    statuses.put("HEAD /handlers/echo/result", t.send(t.anonymous("HEAD", "/handlers/echo/result")).status());
    RawHttp.Answer image = t.send(t.anonymous("GET", "/handlers/echo/result").header("Sec-Fetch-Site", "cross-site")
        .header("Sec-Fetch-Dest", "image"));
    RawHttp.Answer page = t.send(t.anonymous("GET", "/"));
    long waiting = t.stat("echo", "result_queue_size");
    f.sent("without the token: GET " + String.join(", ", reads) + "; HEAD /result; GET /result as a cross-site <img>; GET /")
        .expected("401 for every API read (403 for the <img>: cross-site is refused first); the result stays; "
            + "the page's own file is public (200)")
        .got(statuses + "; <img> -> " + image.status() + "; GET / -> " + page.status())
        .evidence("results waiting afterwards: " + waiting + "; an answer showed a handler or a metric: " + shown);
    statuses.forEach((what, status) -> f.check(status == 401, what + " answered " + status));
    f.check(image.status() == 403, "the <img> answered " + image.status())
        .check(page.status() == 200, "the page answered " + page.status())
        .check(waiting == 1, "the result was taken").check(!shown, "a read showed what the token guards");
    t.takeResult("echo");
    f.figure(statuses.size() + " reads without the token -> " + statuses.values().stream().distinct().toList()
        + ", <img> -> " + image.status() + "; result kept (1 waiting); page / -> " + page.status());
  }

  static void tokenGuessing(Target t, Finding f) {
    if (!t.setUp.hasToken()) {
      f.notApplicable("no admin_token to guess");
      return;
    }
    String token = Target.TOKEN;
    Map<String, RawHttp.Request> guesses = new java.util.LinkedHashMap<>();
    guesses.put("Bearer <token without its last character>", t.anonymous("GET", "/handlers")
        .header("Authorization", "Bearer " + token.substring(0, token.length() - 1)));
    guesses.put("Bearer <token>x", t.anonymous("GET", "/handlers").header("Authorization", "Bearer " + token + "x"));
    guesses.put("Bearer <token in upper case>", t.anonymous("GET", "/handlers")
        .header("Authorization", "Bearer " + token.toUpperCase(java.util.Locale.ROOT)));
    guesses.put("Basic admin:<token>", t.anonymous("GET", "/handlers").header("Authorization", "Basic "
        + java.util.Base64.getEncoder().encodeToString(("admin:" + token).getBytes(StandardCharsets.UTF_8))));
    guesses.put("Basic <token>", t.anonymous("GET", "/handlers").header("Authorization", "Basic " + token));
    guesses.put("?access_token=<token>", t.anonymous("GET", "/handlers?access_token=" + token));
    guesses.put("Cookie: admin_token=<token>", t.anonymous("GET", "/handlers").header("Cookie", "admin_token=" + token));
    Map<String, Integer> statuses = new java.util.LinkedHashMap<>();
    boolean echoed = false;
    for (Map.Entry<String, RawHttp.Request> guess : guesses.entrySet()) {
      RawHttp.Answer answer = t.send(guess.getValue());
      statuses.put(guess.getKey(), answer.status());
      echoed |= answer.body().contains(token.substring(0, 6));
    }
    f.sent("GET /handlers with " + String.join("; ", guesses.keySet()))
        .expected("401 each, and no answer repeats the token").got(statuses.toString())
        .evidence("an answer repeated a piece of the token: " + echoed);
    statuses.forEach((what, status) -> f.check(status == 401, what + " answered " + status));
    f.check(!echoed, "an answer repeated the token");
    f.figure(statuses.size() + " guesses -> " + statuses.values().stream().distinct().toList());
  }

  static void hugeHeaders(Target t, Finding f) {
    RawHttp.Answer big = t.send(t.anonymous("GET", "/handlers").header("X-Big", "a".repeat(64 * 1024)));
    RawHttp.Request many = t.anonymous("GET", "/handlers");
    for (int i = 0; i < 2000; i++) {
      many.header("X-Many-" + i, "v");
    }
    RawHttp.Answer lots = t.send(many);
    long start = System.nanoTime();
    RawHttp.Answer list = t.get("/handlers");
    long millis = (System.nanoTime() - start) / 1_000_000;
    f.sent("GET /handlers with one 64 KiB header; with 2,000 headers").expected("431 (Jetty's header limit) for both; "
        + "the API answers afterwards").got("64 KiB header -> " + big.status() + ", 2,000 headers -> " + lots.status()
        + ", then GET /handlers -> " + list.status() + " in " + millis + " ms");
    f.check(big.status() == 431, "the 64 KiB header answered " + big.status())
        .check(lots.status() == 431, "2,000 headers answered " + lots.status())
        .check(list.status() == 200, "the API answered " + list.status() + " afterwards");
    f.figure("64 KiB header -> " + big.status() + ", 2,000 headers -> " + lots.status() + "; GET /handlers then "
        + list.status() + " in " + millis + " ms");
  }

  static void framedAndScripted(Target t, Finding f) {
    String script = "<script>fetch('/handlers/headvictim',{method:'DELETE'})</script><img src=x onerror=alert(1)>";
    RawHttp.Answer stored = t.send(t.request("PUT", "/handlers/echo/config").json(t.toJson(Map.of("client_id_prefix",
        script))));
    RawHttp.Answer page = t.send(t.anonymous("GET", "/"));
    RawHttp.Answer list = t.get("/handlers");
    RawHttp.Answer error = t.get("/handlers/" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    String policy = String.valueOf(page.header("Content-Security-Policy"));
    boolean framesRefused = policy.contains("frame-ancestors 'self'")
        || "DENY".equalsIgnoreCase(page.header("X-Frame-Options"));
    boolean noInline = policy.contains("script-src 'self'") && !policy.contains("unsafe-inline")
        && !policy.contains("unsafe-eval");
    boolean jsonTyped = list.header("Content-Type").startsWith("application/json")
        && "nosniff".equals(list.header("X-Content-Type-Options"))
        && error.header("Content-Type").startsWith("application/json")
        && "nosniff".equals(error.header("X-Content-Type-Options"));
    if (t.setUp.writable()) {
      t.send(t.request("PUT", "/handlers/echo/config").json("{\"client_id_prefix\": \"client\"}"));
    }
    f.sent("GET / (the page, as a frame of another site would load it); PUT echo {\"client_id_prefix\": \"" + script
        + "\"}" + t.withToken() + "; GET /handlers and GET /handlers/<script>...</script> (an error naming it)")
        .expected("the page forbids other sites' frames and inline scripts (Content-Security-Policy); every API answer "
            + "is application/json with nosniff, so a stored or reflected <script> is never run as HTML")
        .got("PUT -> " + stored.status() + "; page Content-Security-Policy: " + policy + "; /handlers Content-Type: "
            + list.header("Content-Type") + ", X-Content-Type-Options: " + list.header("X-Content-Type-Options")
            + "; the error -> " + error.status() + " " + error.header("Content-Type"));
    f.check(page.status() == 200, "the page answered " + page.status()).check(framesRefused, "other sites may frame the page")
        .check(noInline, "the page allows inline scripts").check(jsonTyped, "an API answer may be sniffed as HTML");
    f.figure("page CSP frame-ancestors 'self', script-src 'self' (no inline); API answers application/json + nosniff"
        + (t.setUp.writable() ? "; the stored <script> (PUT " + stored.status() + ") only ever inside JSON" : ""));
  }
}
