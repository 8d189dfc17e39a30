package dev.maverick.handler.stt.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.enums.Opcode;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A RealtimeSTT server for tests, speaking the protocol of {@code RealtimeSTT_server/stt_server.py}
 * exactly, on two free loopback ports, with a {@link FakeRecognizer} instead of Whisper.
 *
 * <p><b>Control socket</b> (JSON text): {@code set_parameter}, {@code get_parameter} (its
 * {@code request_id} echoed) and {@code call_method} against the server's allowed lists, with its
 * replies and error texts word for word; anything else gets {@code Unknown command ...} or
 * {@code Invalid JSON command}. Until {@link #ready()} (when made {@link #notReady()}), commands
 * get no reply at all, as the real server's while its model loads.
 *
 * <p><b>Data socket</b>: every binary message is parsed exactly (uint32 little-endian length, that
 * many bytes of UTF-8 JSON with an integer {@code sampleRate}, then whole 16-bit samples); a
 * frame that breaks any rule, or a sample rate other than 16000, is recorded in
 * {@link #problems()} and the connection is closed with 1011, as the real server's handler would
 * die. Every message the recognizer makes goes to every data client, as the real server
 * broadcasts.
 *
 * <p><b>Faults</b>: not ready, slow replies, text sent in fragments, the data connection closed
 * after a number of frames (mid-stream), and a second data client ({@link #connectSecondClient()}).
 */
public final class FakeRealtimeSttServer implements AutoCloseable {
  /** The real server's allowed parameters (set_parameter, get_parameter). */
  public static final List<String> ALLOWED_PARAMETERS = List.of("language", "silero_sensitivity",
      "wake_word_activation_delay", "post_speech_silence_duration", "deactivity_silence_confirmation_duration",
      "listen_start", "recording_stop_time", "last_transcription_bytes", "last_transcription_bytes_b64",
      "speech_end_silence_start", "is_recording", "use_wake_words");
  /** The real server's allowed methods (call_method). */
  public static final List<String> ALLOWED_METHODS = List.of("set_microphone", "abort", "stop", "clear_audio_queue",
      "wakeup", "shutdown", "text");

  private final ObjectMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private final Map<String, Object> parameters = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<JsonNode> commands = new CopyOnWriteArrayList<>();
  private final List<Long> finalsSentAt = new CopyOnWriteArrayList<>();
  private final Set<WebSocket> dataClients = ConcurrentHashMap.newKeySet();
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong samplesBytes = new AtomicLong();
  private final AtomicInteger ignoredCommands = new AtomicInteger();
  private final AtomicInteger dataConnections = new AtomicInteger();
  private final AtomicInteger controlConnections = new AtomicInteger();
  private final AtomicInteger closeAfterFrames = new AtomicInteger(-1);
  private final List<SecondClient> secondClients = new CopyOnWriteArrayList<>();
  private final FakeRecognizer recognizer = new FakeRecognizer(this::broadcast);
  private final Endpoint control = new Endpoint("control");
  private final Endpoint data = new Endpoint("data");
  private final ScheduledExecutorService late = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "fake-realtimestt-late-replies");
    thread.setDaemon(true);
    return thread;
  });
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private volatile boolean ready = true;
  private volatile long replyDelayMillis;
  private volatile int fragments = 1;

  /** Starts both sockets on free loopback ports, ready (see {@link #notReady()}). */
  public FakeRealtimeSttServer() {
    control.begin();
    data.begin();
  }

  /** {@code ws://127.0.0.1:<port>} of the control socket. */
  public URI controlUrl() {
    return URI.create("ws://127.0.0.1:" + control.getPort());
  }

  /** {@code ws://127.0.0.1:<port>} of the data socket. */
  public URI dataUrl() {
    return URI.create("ws://127.0.0.1:" + data.getPort());
  }

  // ---- faults and script ---------------------------------------------------------------------

  /** From now on commands get no reply, as while the real server loads its model. */
  public FakeRealtimeSttServer notReady() {
    ready = false;
    return this;
  }

  /** Commands are answered again. */
  public FakeRealtimeSttServer ready() {
    ready = true;
    return this;
  }

  /** Every control reply waits this long. */
  public FakeRealtimeSttServer slowReplies(Duration delay) {
    replyDelayMillis = delay.toMillis();
    return this;
  }

  /** Every data message is sent as text in this many fragments (1 = whole). */
  public FakeRealtimeSttServer fragmentText(int parts) {
    fragments = Math.max(1, parts);
    return this;
  }

  /** After this many more audio frames, every data connection is dropped (no close handshake). */
  public FakeRealtimeSttServer closeDataAfterFrames(int count) {
    closeAfterFrames.set(count);
    return this;
  }

  /** Refuses this parameter as not allowed, as an older server refuses {@code language}. */
  public FakeRealtimeSttServer refuseParameter(String name) {
    refused.add(name);
    return this;
  }

  /** The sentences of the next utterances, in order. */
  public FakeRealtimeSttServer script(String... sentences) {
    recognizer.script(sentences);
    return this;
  }

  /**
   * Connects another data client, as a second program using the same server would: it receives
   * every message, and the audio it sends goes to the same recognizer.
   */
  public SecondClient connectSecondClient() throws InterruptedException {
    SecondClient client = new SecondClient(dataUrl());
    if (!client.connectBlocking(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the second client could not connect to " + dataUrl());
    }
    secondClients.add(client);
    return client;
  }

  // ---- what happened ---------------------------------------------------------------------------

  /** Every rule a client broke, in words; empty when every frame and command was right. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The commands received and answered, in order. */
  public List<JsonNode> commands() {
    return List.copyOf(commands);
  }

  /** Commands received while not ready (no reply). */
  public int ignoredCommands() {
    return ignoredCommands.get();
  }

  /** The value a client set, or null. */
  public Object parameter(String name) {
    return parameters.get(name);
  }

  /** Audio frames received. */
  public long frames() {
    return frames.get();
  }

  /** Bytes of samples received. */
  public long sampleBytes() {
    return samplesBytes.get();
  }

  /** Utterances heard. */
  public int utterances() {
    return recognizer.utterances();
  }

  /** Data connections open now. */
  public int dataClients() {
    return dataClients.size();
  }

  /** Data connections ever opened. */
  public int dataConnections() {
    return dataConnections.get();
  }

  /** Control connections ever opened. */
  public int controlConnections() {
    return controlConnections.get();
  }

  /** {@link System#nanoTime()} when each fullSentence was sent, in order. */
  public List<Long> finalsSentAt() {
    return List.copyOf(finalsSentAt);
  }

  /** Stops both sockets and the second clients; waits for their threads. */
  @Override
  public void close() {
    try {
      for (SecondClient client : secondClients) {
        client.closeBlocking();
      }
      control.stop(2000);
      data.stop(2000);
      late.shutdownNow();
      late.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- the protocol --------------------------------------------------------------------------

  private void command(WebSocket socket, String text) {
    if (!ready) {
      ignoredCommands.incrementAndGet(); // the real server prints "Recorder not ready" and answers nothing
      return;
    }
    Map<String, Object> reply = new LinkedHashMap<>();
    try {
      JsonNode command = json.readTree(text);
      commands.add(command);
      String name = command.path("command").asText(null);
      if ("set_parameter".equals(name)) {
        String parameter = command.path("parameter").asText(null);
        if (ALLOWED_PARAMETERS.contains(parameter) && !refused.contains(parameter)) {
          Object value = json.treeToValue(command.get("value"), Object.class);
          parameters.put(parameter, value == null ? "None" : value);
          reply.put("status", "success");
          reply.put("message", "Parameter " + parameter + " set to " + python(value));
        } else {
          error(reply, "Parameter " + parameter + " is not allowed (set_parameter)");
        }
      } else if ("get_parameter".equals(name)) {
        String parameter = command.path("parameter").asText(null);
        if (ALLOWED_PARAMETERS.contains(parameter) && !refused.contains(parameter)) {
          reply.put("status", "success");
          reply.put("parameter", parameter);
          reply.put("value", parameters.getOrDefault(parameter, defaultValue(parameter)));
          if (command.has("request_id") && !command.get("request_id").isNull()) {
            reply.put("request_id", json.treeToValue(command.get("request_id"), Object.class));
          }
        } else {
          error(reply, "Parameter " + parameter + " is not allowed (get_parameter)");
        }
      } else if ("call_method".equals(name)) {
        String method = command.path("method").asText(null);
        if (ALLOWED_METHODS.contains(method)) {
          if ("clear_audio_queue".equals(method)) {
            recognizer.clear();
          }
          reply.put("status", "success");
          reply.put("message", "Method " + method + " called");
        } else {
          error(reply, "Method " + method + " is not allowed");
        }
      } else {
        error(reply, "Unknown command " + (name == null ? "None" : name));
      }
    } catch (JsonProcessingException e) {
      error(reply, "Invalid JSON command");
    }
    String answer = write(reply);
    long delay = replyDelayMillis;
    if (delay <= 0) {
      socket.send(answer);
    } else {
      late.schedule(() -> {
        if (socket.isOpen()) {
          socket.send(answer);
        }
      }, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void audio(WebSocket socket, ByteBuffer message) {
    if (!dataClients.contains(socket)) {
      return; // a frame decoded after the connection was dropped: the server reads no more from it
    }
    ByteBuffer frame = message.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    String problem = null;
    byte[] samples = null;
    if (frame.remaining() < 4) {
      problem = "a frame of " + frame.remaining() + " bytes has no length prefix";
    } else {
      long length = Integer.toUnsignedLong(frame.getInt());
      if (length > frame.remaining()) {
        problem = "the metadata length " + length + " exceeds the " + frame.remaining() + " bytes after the prefix "
            + "(a prefix written in the wrong byte order?)";
      } else {
        byte[] metadata = new byte[(int) length];
        frame.get(metadata);
        samples = new byte[frame.remaining()];
        frame.get(samples);
        problem = checkMetadata(metadata, samples.length);
      }
    }
    if (problem != null) {
      problems.add(problem);
      socket.close(CloseFrame.UNEXPECTED_CONDITION, "bad audio frame");
      return;
    }
    frames.incrementAndGet();
    samplesBytes.addAndGet(samples.length);
    recognizer.feed(samples);
    if (closeAfterFrames.get() > 0 && closeAfterFrames.decrementAndGet() == 0) {
      for (WebSocket client : dataClients) {
        dataClients.remove(client);
        client.closeConnection(CloseFrame.ABNORMAL_CLOSE, "fault: the server dropped the connection");
      }
      recognizer.clear(); // the server clears its audio queue when a data client leaves
    }
  }

  private String checkMetadata(byte[] metadata, int sampleBytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(metadata)).toString();
    } catch (CharacterCodingException e) {
      return "the metadata is not UTF-8";
    }
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JsonProcessingException e) {
      return "the metadata is not one JSON value: " + e.getOriginalMessage();
    }
    if (node == null || !node.isObject() || !node.path("sampleRate").canConvertToInt()
        || !node.path("sampleRate").isIntegralNumber()) {
      return "the metadata has no integer sampleRate: " + text;
    }
    if (node.get("sampleRate").intValue() != 16000) {
      return "sampleRate " + node.get("sampleRate").intValue() + ", not 16000 (the server would resample each "
          + "chunk on its own)";
    }
    if (sampleBytes % 2 != 0) {
      return "the samples are " + sampleBytes + " bytes, not whole 16-bit samples";
    }
    return null;
  }

  private void broadcast(Map<String, Object> message) {
    String text = write(message);
    if ("fullSentence".equals(message.get("type"))) {
      finalsSentAt.add(System.nanoTime());
    }
    for (WebSocket client : dataClients) {
      if (!client.isOpen()) {
        continue;
      }
      int parts = Math.min(fragments, Math.max(1, text.length()));
      if (parts == 1) {
        client.send(text);
        continue;
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      int step = (bytes.length + parts - 1) / parts;
      for (int at = 0; at < bytes.length; at += step) {
        int end = Math.min(bytes.length, at + step);
        client.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(bytes, at, end - at), // continuations made by the draft
            end == bytes.length);
      }
    }
  }

  private String write(Map<String, Object> message) {
    try {
      return json.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void error(Map<String, Object> reply, String message) {
    reply.put("status", "error");
    reply.put("message", message);
  }

  /** What Python's str() writes, as in the server's "Parameter P set to V". */
  private static String python(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Boolean bool) {
      return bool ? "True" : "False";
    }
    return String.valueOf(value);
  }

  private static Object defaultValue(String parameter) {
    switch (parameter) {
      case "post_speech_silence_duration":
        return 0.7;
      case "silero_sensitivity":
        return 0.05;
      case "language":
        return "en";
      case "is_recording":
      case "use_wake_words":
        return false;
      default:
        return 0.0;
    }
  }

  /** One of the two sockets. */
  private final class Endpoint extends WebSocketServer {
    private final String role;
    private final CountDownLatch started = new CountDownLatch(1);

    Endpoint(String role) {
      super(new InetSocketAddress("127.0.0.1", 0));
      this.role = role;
      setReuseAddr(true);
      setTcpNoDelay(true); // as the real server (Python's asyncio sets TCP_NODELAY): no Nagle delay on replies
    }

    void begin() {
      start();
      try {
        if (!started.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the fake " + role + " socket did not start");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void onStart() {
      started.countDown();
    }

    @Override
    public void onOpen(WebSocket socket, ClientHandshake handshake) {
      if (role.equals("data")) {
        dataClients.add(socket);
        dataConnections.incrementAndGet();
      } else {
        controlConnections.incrementAndGet();
      }
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason, boolean remote) {
      if (role.equals("data") && dataClients.remove(socket)) {
        recognizer.clear(); // the real server clears its audio queue when a data client leaves
      }
    }

    @Override
    public void onMessage(WebSocket socket, String message) {
      if (role.equals("control")) {
        command(socket, message);
      } else {
        problems.add("a text message on the data socket (the server only logs a warning): " + message);
      }
    }

    @Override
    public void onMessage(WebSocket socket, ByteBuffer message) {
      if (role.equals("data")) {
        audio(socket, message);
      } else {
        problems.add("a binary message on the control socket");
      }
    }

    @Override
    public void onError(WebSocket socket, Exception error) {
      if (socket == null) {
        problems.add("the fake " + role + " socket failed: " + error);
      }
    }
  }

  /** A second data client of the same server. */
  public final class SecondClient extends WebSocketClient {
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());

    SecondClient(URI url) {
      super(url);
    }

    /** Sends 16 kHz 16-bit samples as the server's protocol frames them. */
    public void sendAudio(byte[] samples) {
      byte[] metadata = "{\"sampleRate\": 16000}".getBytes(StandardCharsets.UTF_8);
      for (int at = 0; at < samples.length; at += 2048) {
        int length = Math.min(2048, samples.length - at);
        ByteBuffer frame = ByteBuffer.allocate(4 + metadata.length + length).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(metadata.length).put(metadata).put(samples, at, length).flip();
        send(frame);
      }
    }

    /** The messages it received. */
    public List<String> received() {
      synchronized (received) {
        return List.copyOf(received);
      }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
      // nothing to do
    }

    @Override
    public void onMessage(String message) {
      received.add(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      // nothing to do
    }

    @Override
    public void onError(Exception error) {
      problems.add("the second client failed: " + error);
    }
  }
}
