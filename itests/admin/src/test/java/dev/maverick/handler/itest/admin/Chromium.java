package dev.maverick.handler.itest.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maverick.handler.itest.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol with the
 * JDK's own WebSocket client: no driver download, nothing from the network, a fresh profile each
 * time.
 */
final class Chromium implements AutoCloseable {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path profile;
  private final int port;
  private final Connection browser;

  private Chromium(Process process, Path profile, int port, Connection browser) {
    this.process = process;
    this.profile = profile;
    this.port = port;
    this.browser = browser;
  }

  /** The browser to use: {@code -Dmaverick.chromium}, {@code $CHROMIUM}, or Debian's. */
  static Optional<Path> find() {
    List<String> candidates = new ArrayList<>();
    Optional.ofNullable(System.getProperty("maverick.chromium")).ifPresent(candidates::add);
    Optional.ofNullable(System.getenv("CHROMIUM")).ifPresent(candidates::add);
    candidates.addAll(List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"));
    return candidates.stream().filter(c -> !c.isBlank()).map(Path::of).filter(Files::isExecutable).findFirst();
  }

  /**
   * The browser to run, for a test: without one the test is skipped on a developer's machine and
   * fails on CI ({@code CI=true}), where {@code apt-get install -y chromium} must have run.
   */
  static Path executableOrSkip() {
    Optional<Path> executable = find();
    if (executable.isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        org.junit.Assert.fail("Chromium is required on CI: apt-get install -y chromium");
      }
      org.junit.Assume.assumeTrue("no Chromium here (apt-get install -y chromium); the browser test is skipped", false);
    }
    return executable.get();
  }

  /** Starts the browser with a fresh profile under {@code work}, its DevTools on a free loopback port. */
  static Chromium launch(Path executable, Path work) throws IOException {
    Files.createDirectories(work);
    Path profile = Files.createTempDirectory(work, "chromium-profile-");
    Path log = work.resolve("chromium.log");
    List<String> command = List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
        "--mute-audio", "--hide-scrollbars", "--window-size=1400,1000", "--user-data-dir=" + profile,
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      // Chromium writes the port it chose, and the browser endpoint's path, into its profile
      Path activePort = profile.resolve("DevToolsActivePort");
      Await.until("Chromium's DevTools port (see " + log + ")", Duration.ofSeconds(90),
          () -> !process.isAlive() || readLines(activePort).size() >= 2);
      if (!process.isAlive()) {
        throw new AssertionError("Chromium exited with " + process.exitValue() + "; see " + log);
      }
      List<String> lines = readLines(activePort);
      int port = Integer.parseInt(lines.get(0).trim());
      Connection browser = Connection.open(URI.create("ws://127.0.0.1:" + port + lines.get(1).trim()));
      return new Chromium(process, profile, port, browser);
    } catch (RuntimeException | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Opens a new tab. */
  Page newPage() {
    String target = browser.call("Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
    return new Page(Connection.open(URI.create("ws://127.0.0.1:" + port + "/devtools/page/" + target)));
  }

  @Override
  public void close() {
    try {
      browser.call("Browser.close", Map.of());
    } catch (RuntimeException | AssertionError alreadyGone) {
      // it is being stopped anyway
    }
    browser.close();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    deleteTree(profile);
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // leave it to mvn clean
    }
  }

  /** One tab: navigate, evaluate, click and type as a person would, take screenshots. */
  static final class Page implements AutoCloseable {
    private final Connection connection;

    private Page(Connection connection) {
      this.connection = connection;
      connection.call("Page.enable", Map.of());
      connection.call("Runtime.enable", Map.of());
    }

    /** Sends these headers with every request of the tab (e.g. a login). */
    void headers(Map<String, String> headers) {
      connection.call("Network.enable", Map.of());
      connection.call("Network.setExtraHTTPHeaders", Map.of("headers", headers));
    }

    void navigate(String url) {
      connection.call("Page.navigate", Map.of("url", url));
      Await.until("the page loaded: " + url, () -> "complete".equals(evaluate("document.readyState").asText()));
    }

    /** Evaluates JavaScript (promises awaited) and returns its value as JSON. */
    JsonNode evaluate(String expression) {
      JsonNode result = connection.call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
          "awaitPromise", true));
      if (result.has("exceptionDetails")) {
        throw new AssertionError("JavaScript failed: " + expression + ": " + result.get("exceptionDetails"));
      }
      JsonNode value = result.get("result").get("value");
      return value == null ? Http.JSON.nullNode() : value;
    }

    boolean exists(String selector) {
      return evaluate("document.querySelector(" + quote(selector) + ") !== null").asBoolean();
    }

    /** The text of the element, or null when there is none. */
    String text(String selector) {
      JsonNode text = evaluate("(function(){var e=document.querySelector(" + quote(selector)
          + ");return e?e.textContent:null;})()");
      return text.isNull() ? null : text.asText();
    }

    /** Scrolls the element into view and clicks its centre with the mouse. */
    void click(String selector) {
      JsonNode box = evaluate("(function(){var e=document.querySelector(" + quote(selector)
          + ");if(!e)return null;e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
          + "return {x:r.left+r.width/2,y:r.top+r.height/2};})()");
      if (box.isNull()) {
        throw new AssertionError("nothing to click: " + selector);
      }
      double x = box.get("x").asDouble();
      double y = box.get("y").asDouble();
      connection.call("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
      connection.call("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left",
          "clickCount", 1));
      connection.call("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left",
          "clickCount", 1));
    }

    /** Focuses the field, clears it and types the text as keyboard input would. */
    void type(String selector, String text) {
      JsonNode found = evaluate("(function(){var e=document.querySelector(" + quote(selector)
          + ");if(!e)return false;e.scrollIntoView({block:'center'});e.focus();e.value='';return true;})()");
      if (!found.asBoolean()) {
        throw new AssertionError("no field " + selector);
      }
      connection.call("Input.insertText", Map.of("text", text));
    }

    /** Chooses an option of a select, as a person would (the change event fires). */
    void select(String selector, String value) {
      JsonNode found = evaluate("(function(){var e=document.querySelector(" + quote(selector) + ");if(!e)return false;"
          + "e.value=" + quote(value) + ";e.dispatchEvent(new Event('change',{bubbles:true}));return e.value===" + quote(value)
          + ";})()");
      if (!found.asBoolean()) {
        throw new AssertionError("cannot choose " + value + " in " + selector);
      }
    }

    /** Saves a PNG of the whole page. */
    void screenshot(Path file) throws IOException {
      int height = evaluate("Math.ceil(document.documentElement.scrollHeight)").asInt();
      connection.call("Emulation.setDeviceMetricsOverride", Map.of("width", 1400, "height", Math.max(600, height),
          "deviceScaleFactor", 1, "mobile", false));
      String data = connection.call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText();
      connection.call("Emulation.clearDeviceMetricsOverride", Map.of());
      Files.createDirectories(file.getParent());
      Files.write(file, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() {
      connection.close();
    }

    private static String quote(String text) {
      try {
        return Http.JSON.writeValueAsString(text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A DevTools WebSocket: numbered calls matched to their answers. */
  static final class Connection implements WebSocket.Listener {
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Connection open(URI uri) {
      Connection connection = new Connection();
      try {
        connection.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
            .buildAsync(uri, connection).get(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new AssertionError("cannot connect to " + uri, e);
      }
      return connection;
    }

    JsonNode call(String method, Map<String, ?> params) {
      int id = ids.incrementAndGet();
      CompletableFuture<JsonNode> answer = new CompletableFuture<>();
      pending.put(id, answer);
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("id", id);
      message.put("method", method);
      message.put("params", params);
      try {
        socket.sendText(Http.JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
        JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
          throw new AssertionError(method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new AssertionError(method + " got no answer", e);
      } finally {
        pending.remove(id);
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          JsonNode message = Http.JSON.readTree(text);
          if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.get(message.get("id").asInt());
            if (answer != null) {
              answer.complete(message);
            }
          }
        } catch (IOException e) {
          // an unreadable event: nothing waits for it
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(answer -> answer.completeExceptionally(error));
    }

    void close() {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        socket.abort();
      }
    }
  }
}
