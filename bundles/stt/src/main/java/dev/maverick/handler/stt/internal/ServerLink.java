package dev.maverick.handler.stt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two WebSockets to a RealtimeSTT server, kept open by one thread ({@code <handler>-connection})
 * that connects, checks the server answers, sends the settings, and connects again with backoff
 * whenever a socket fails or closes.
 *
 * <p>A server whose model is still loading accepts connections but ignores commands without a
 * reply; so after opening the control socket the link asks for a parameter and waits for the
 * answer at most {@code connect_timeout}: a server that stays silent is reported ("did not
 * answer"), dropped, and tried again later, never waited on forever. Only then is the data socket
 * opened and the link {@link State#CONNECTED}: audio is sent only to a server that answers.
 *
 * <p>Messages arrive only after {@code request(1)}, one at a time; a text message may arrive in
 * parts and is joined before it is handed on. The sockets' callbacks run on a small pool of the
 * handler's threads given to the HTTP client, ended at {@link #close()}.
 */
final class ServerLink implements AutoCloseable {
  /** Where the link is. */
  enum State {
    /** Connecting (the first time, or again after a failure). */
    CONNECTING,
    /** Both sockets open and the server answers: audio may be sent. */
    CONNECTED,
    /** Waiting before connecting again. */
    WAITING,
    /** Closed for good. */
    CLOSED
  }

  /** Where complete text messages from the data socket go. */
  interface Messages {
    /** One text message from the data socket (a transcript or an event), joined from its parts. */
    void received(String text);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ServerLink.class);
  private static final String PROBE_PARAMETER = "post_speech_silence_duration";
  private static final long CLOSE_WAIT_MILLIS = 1000;

  private final RealtimeSttSettings settings;
  private final String name;
  private final SttJson json;
  private final Messages messages;
  private final ThreadPoolExecutor callbacks;
  private volatile HttpClient client; // let go at close: on JDK 17 its selector thread ends once it is unreachable
  private final Thread connector;
  private final Object monitor = new Object();
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong connectFailures = new AtomicLong();
  private final AtomicLong serverErrors = new AtomicLong();
  private final List<String> commandWarnings = new CopyOnWriteArrayList<>();
  private final List<Thread> callbackThreads = new CopyOnWriteArrayList<>();
  private State state = State.CONNECTING; // guarded by monitor
  private String lostReason; // guarded by monitor
  private volatile WebSocket control;
  private volatile WebSocket data;
  private volatile String linkWarning;
  private boolean firstAttempt = true; // connector thread only
  private long requestIds; // connector thread only

  /**
   * A link, not yet started.
   *
   * @param connectorThreads makes the connector thread (one of the handler's)
   * @param socketThreads makes the threads of the sockets' callbacks (the handler's too)
   */
  ServerLink(RealtimeSttSettings settings, String name, SttJson json, Messages messages,
      ThreadFactory connectorThreads, ThreadFactory socketThreads) {
    this.settings = settings;
    this.name = name;
    this.json = json;
    this.messages = messages;
    this.callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
        task -> {
          Thread thread = socketThreads.newThread(task);
          callbackThreads.add(thread);
          return thread;
        });
    this.client = HttpClient.newBuilder().executor(callbacks).connectTimeout(settings.connectTimeout()).build();
    this.connector = connectorThreads.newThread(this::run);
  }

  /** Starts connecting. */
  void start() {
    connector.start();
  }

  /** Where the link is now. */
  State state() {
    synchronized (monitor) {
      return state;
    }
  }

  /**
   * The data socket once the link is connected: at once when it is; after waiting up to
   * {@code timeout} while it is connecting; null when it is not connected (waiting to connect
   * again, or closed) or does not connect in time.
   */
  WebSocket awaitDataSocket(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      long left;
      while (state == State.CONNECTING && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return state == State.CONNECTED ? data : null;
    }
  }

  /** Why the link is not connected, for an audio chunk refused meanwhile. */
  String notConnectedReason() {
    String warning = linkWarning;
    synchronized (monitor) {
      if (state == State.CLOSED) {
        return "the connection to the RealtimeSTT server is closed (the handler is closing)";
      }
      if (state == State.CONNECTING) {
        return "still connecting to " + settings.dataUrl() + " after connect_timeout="
            + settings.connectTimeout().toMillis() / 1000.0 + " s";
      }
    }
    return warning != null ? warning : "not connected to " + settings.dataUrl();
  }

  /** A socket failed or closed: drop the connection and connect again (no-op for an old socket). */
  void lost(WebSocket socket, String reason) {
    synchronized (monitor) {
      if (state == State.CONNECTED && (socket == data || socket == control)) {
        state = State.CONNECTING;
        lostReason = reason;
        monitor.notifyAll();
      }
    }
  }

  /** Connections made after a loss or a failed attempt (every one but a first attempt's). */
  long reconnects() {
    return reconnects.get();
  }

  /** Attempts that did not reach a connected state. */
  long connectFailures() {
    return connectFailures.get();
  }

  /** Error replies to our commands. */
  long serverErrors() {
    return serverErrors.get();
  }

  /** What is wrong now: the link's state when it is not connected, and refusals of our settings. */
  List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    String warning = linkWarning;
    if (warning != null) {
      warnings.add(warning);
    }
    warnings.addAll(commandWarnings);
    return warnings;
  }

  /** Closes both sockets and stops the connector and the callback threads. */
  @Override
  public void close() {
    synchronized (monitor) {
      state = State.CLOSED;
      monitor.notifyAll();
    }
    connector.interrupt();
    try {
      connector.join(CLOSE_WAIT_MILLIS + settings.connectTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeSockets(true);
    callbacks.shutdown();
    try {
      if (!callbacks.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        callbacks.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callbacks.shutdownNow();
    }
    // a terminated pool's last worker may still be unwinding: "no thread left" means ended
    for (Thread thread : callbackThreads) {
      try {
        thread.join(CLOSE_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    HttpClient closing = client;
    client = null;
    if (closing instanceof AutoCloseable closeable) { // Java 21+: stops the client's selector thread at once
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("[{}] closing the HTTP client: {}", name, e.toString());
      }
    }
  }

  // ---- the connector thread ---------------------------------------------------------------------

  private void run() {
    Duration wait = settings.reconnectFirst();
    boolean reported = false;
    while (true) {
      synchronized (monitor) {
        if (state == State.CLOSED) {
          return;
        }
        state = State.CONNECTING;
        monitor.notifyAll();
      }
      String failure;
      try {
        connectOnce();
        synchronized (monitor) {
          if (state == State.CLOSED) {
            return; // close() closes the sockets
          }
          state = State.CONNECTED;
          lostReason = null;
          monitor.notifyAll();
        }
        if (!firstAttempt) {
          reconnects.incrementAndGet();
        }
        firstAttempt = false;
        linkWarning = null;
        reported = false;
        wait = settings.reconnectFirst();
        LOG.info("[{}] connected to the RealtimeSTT server {} (audio to {})", name, settings.controlUrl(),
            settings.dataUrl());
        String reason = awaitLoss();
        if (reason == null) {
          return;
        }
        failure = "disconnected from " + settings.dataUrl() + ": " + reason;
      } catch (LinkException e) {
        firstAttempt = false;
        connectFailures.incrementAndGet();
        failure = e.getMessage();
      } catch (InterruptedException e) {
        return; // closing
      }
      closeSockets(false);
      synchronized (monitor) {
        if (state == State.CLOSED) {
          return;
        }
        state = State.WAITING;
        monitor.notifyAll();
      }
      linkWarning = failure + "; connecting again in " + seconds(wait) + " s";
      if (!reported) {
        LOG.warn("[{}] {}; audio is refused (engine_disconnected) until connected again", name, linkWarning);
        reported = true;
      } else {
        LOG.debug("[{}] {}", name, linkWarning);
      }
      if (!pause(wait)) {
        return;
      }
      long doubled = Math.min(wait.toNanos() * 2, settings.reconnectLongest().toNanos());
      wait = Duration.ofNanos(doubled);
    }
  }

  /** Waits while connected; the reason of the loss, or null when closed. */
  private String awaitLoss() throws InterruptedException {
    synchronized (monitor) {
      while (state == State.CONNECTED) {
        monitor.wait();
      }
      return state == State.CLOSED ? null : lostReason;
    }
  }

  /** Waits before connecting again; false when closed meanwhile. */
  private boolean pause(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (monitor) {
      long left;
      while (state != State.CLOSED && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(monitor, left);
        } catch (InterruptedException e) {
          return false;
        }
      }
      return state != State.CLOSED;
    }
  }

  private void connectOnce() throws LinkException, InterruptedException {
    replies.clear();
    control = open(settings.controlUrl(), new MessageJoiner(name, "control", replies::offer, this::lost, this::describe));
    Map<String, Object> probe = new LinkedHashMap<>();
    probe.put("command", "get_parameter");
    probe.put("parameter", PROBE_PARAMETER);
    probe.put("request_id", "maverick-" + (++requestIds));
    if (command(probe) == null) {
      throw new LinkException("the server at " + settings.controlUrl() + " accepted the connection but did not "
          + "answer a command within connect_timeout=" + seconds(settings.connectTimeout()) + " s (a RealtimeSTT "
          + "server ignores commands until its model has loaded)");
    }
    commandWarnings.clear();
    if (!settings.language().isEmpty()) {
      set("language", settings.language());
    }
    for (Map.Entry<String, Object> parameter : settings.serverParameters().entrySet()) {
      set(parameter.getKey(), parameter.getValue());
    }
    data = open(settings.dataUrl(), new MessageJoiner(name, "data", messages::received, this::lost, this::describe));
  }

  private void set(String parameter, Object value) throws LinkException, InterruptedException {
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("command", "set_parameter");
    command.put("parameter", parameter);
    command.put("value", value);
    JsonNode reply = command(command);
    if (reply == null) {
      throw new LinkException("the server at " + settings.controlUrl() + " did not answer set_parameter " + parameter
          + " within connect_timeout=" + seconds(settings.connectTimeout()) + " s");
    }
  }

  /** Sends a command and waits for its reply; null when none comes within connect_timeout. */
  private JsonNode command(Map<String, Object> command) throws LinkException, InterruptedException {
    WebSocket socket = control;
    long timeoutNanos = settings.connectTimeout().toNanos();
    try {
      socket.sendText(json.write(command), true).get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new LinkException("cannot send a command to " + settings.controlUrl() + ": " + describe(e));
    }
    long deadline = System.nanoTime() + timeoutNanos;
    Object requestId = command.get("request_id");
    while (true) {
      String text = replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (text == null) {
        return null;
      }
      JsonNode reply;
      try {
        reply = json.read(text);
      } catch (IllegalArgumentException e) {
        serverErrors.incrementAndGet();
        commandWarnings.add("the server at " + settings.controlUrl() + " answered " + command.get("command")
            + " with something that is not JSON: " + e.getMessage());
        return json.read("{}");
      }
      if (requestId != null && reply.has("request_id") && !requestId.equals(reply.get("request_id").asText())) {
        continue; // a late answer to an earlier request
      }
      if ("error".equals(reply.path("status").asText())) {
        serverErrors.incrementAndGet();
        String warning = "the server at " + settings.controlUrl() + " refused " + command.get("command") + " "
            + command.get("parameter") + (command.containsKey("value") ? "=" + command.get("value") : "") + ": "
            + reply.path("message").asText("(no message)");
        commandWarnings.add(warning);
        LOG.warn("[{}] {}", name, warning);
      }
      return reply;
    }
  }

  private WebSocket open(URI url, MessageJoiner listener) throws LinkException, InterruptedException {
    HttpClient http = client;
    if (http == null) {
      throw new LinkException("closed");
    }
    CompletableFuture<WebSocket> opening = http.newWebSocketBuilder().connectTimeout(settings.connectTimeout())
        .buildAsync(url, listener);
    try {
      return opening.get(settings.connectTimeout().toMillis() + CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      opening.cancel(true);
      throw new LinkException("cannot connect to " + url + ": " + describe(e));
    } catch (InterruptedException e) {
      opening.cancel(true);
      throw e;
    }
  }

  private void closeSockets(boolean politely) {
    for (WebSocket socket : new WebSocket[] {data, control}) {
      if (socket == null) {
        continue;
      }
      if (politely && !socket.isOutputClosed()) {
        try {
          socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException | RuntimeException e) {
          // the socket is aborted below
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
        }
      }
      socket.abort();
    }
    data = null;
    control = null;
  }

  /** The cause of a failed connection, in words. */
  private String describe(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return "no answer within connect_timeout=" + seconds(settings.connectTimeout()) + " s";
    }
    if (cause instanceof WebSocketHandshakeException handshake) {
      return "not a WebSocket server (HTTP status " + handshake.getResponse().statusCode() + ")";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f", duration.toNanos() / 1e9);
  }

  /** Not connected, and why. */
  private static final class LinkException extends Exception {
    private static final long serialVersionUID = 1L;

    LinkException(String message) {
      super(message, null, false, false);
    }
  }
}
