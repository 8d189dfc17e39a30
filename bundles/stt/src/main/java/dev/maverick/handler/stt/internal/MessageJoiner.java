package dev.maverick.handler.stt.internal;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener of one of a {@link ServerLink}'s sockets: it asks for one message at a time
 * ({@code request(1)} after each part: the JDK's WebSocket delivers nothing unrequested), joins a
 * text message's parts (a server may send one in fragments) and hands the whole on, ignores
 * binary messages (the server sends none), and reports the socket's end to the link.
 */
final class MessageJoiner implements WebSocket.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(MessageJoiner.class);

  private final String name;
  private final String role;
  private final Consumer<String> whole;
  private final BiConsumer<WebSocket, String> lost;
  private final Function<Throwable, String> describe;
  private final StringBuilder parts = new StringBuilder(); // the socket calls one method at a time

  /**
   * @param name the handler's, for logs
   * @param role {@code control} or {@code data}
   * @param whole where each complete text message goes
   * @param lost told when the socket closes or fails, with the reason in words
   * @param describe puts a failure in words
   */
  MessageJoiner(String name, String role, Consumer<String> whole, BiConsumer<WebSocket, String> lost,
      Function<Throwable, String> describe) {
    this.name = name;
    this.role = role;
    this.whole = whole;
    this.lost = lost;
    this.describe = describe;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence text, boolean last) {
    parts.append(text);
    if (last) {
      String message = parts.toString();
      parts.setLength(0);
      try {
        whole.accept(message);
      } catch (RuntimeException e) {
        LOG.warn("[{}] a message from the {} socket could not be handled: {}", name, role, e.toString());
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    lost.accept(webSocket, "the server closed the " + role + " socket (code " + statusCode
        + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ")");
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    lost.accept(webSocket, "the " + role + " socket failed: " + describe.apply(error));
  }
}
