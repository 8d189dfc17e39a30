package dev.maverick.handler.network.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Makes network handlers the way the DS component does (validated by NetworkKind), and closes them. */
final class Handlers implements AutoCloseable {
  private final NetworkKind kind = new NetworkKind();
  private final List<NetworkHandler> made = new ArrayList<>();

  /** A handler named {@code net} calling 127.0.0.1:{@code port}, with more keys. */
  NetworkHandler create(int port, Map<String, ?> more) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("name", "net");
    properties.put("host", "127.0.0.1");
    properties.put("port", port);
    properties.putAll(more);
    NetworkHandler handler = new NetworkHandler(kind.validate(properties));
    made.add(handler);
    return handler;
  }

  /** A result without response_pointer: the seed-style {@code {"status", "body"}} map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> seedResult(Object result) {
    return (Map<String, Object>) result;
  }

  NetworkKind kind() {
    return kind;
  }

  @Override
  public void close() {
    for (NetworkHandler handler : made) {
      handler.close();
    }
  }
}
