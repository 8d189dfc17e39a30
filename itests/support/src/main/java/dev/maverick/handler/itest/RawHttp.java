package dev.maverick.handler.itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand on a socket, for what {@code java.net.http.HttpClient} refuses to send
 * and an attacker sends anyway: a forged {@code Host}, {@code HEAD} with a body, a body that never
 * finishes, a request cut off mid-body, bytes that are no valid request at all. Each request is one
 * connection ({@code Connection: close}). Used on the test's side (driver), never in a container.
 */
public final class RawHttp {
  private static final int READ_TIMEOUT_MILLIS = 60_000;

  private final InetAddress address;
  private final int port;

  /** A client of a server on the loopback address. */
  public RawHttp(int port) {
    this(InetAddress.getLoopbackAddress(), port);
  }

  /** A client of a server on this address (an attack on a server bound beyond loopback). */
  public RawHttp(InetAddress address, int port) {
    this.address = address;
    this.port = port;
  }

  /** The honest {@code Host} header of the server: its address and port. */
  public String host() {
    String literal = address.getHostAddress();
    return (address instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + port;
  }

  /** An answer: status line, headers (lower-case names) and body. */
  public record Answer(int status, Map<String, String> headers, String body) {
    /** A header's first value, by name in any case, or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** The request line and headers, built up before sending. */
  public static final class Request {
    private final String method;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];

    private Request(String method, String path, String host) {
      this.method = method;
      this.path = path;
      if (host != null) {
        headers.put("Host", host);
      }
    }

    /** Adds or replaces a header. */
    public Request header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** A JSON body, with its content type and length. */
    public Request json(String json) {
      return body("application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A body of this content type, with its length. */
    public Request body(String contentType, byte[] bytes) {
      headers.put("Content-Type", contentType);
      this.body = bytes;
      return this;
    }

    private byte[] head(long contentLength) {
      StringBuilder text = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
      if (contentLength >= 0) {
        text.append("Content-Length: ").append(contentLength).append("\r\n");
      }
      text.append("Connection: close\r\n\r\n");
      return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private long declaredLength() {
      return body.length > 0 || !method.equals("GET") ? body.length : -1;
    }
  }

  /** A request with the honest {@code Host} of the server. */
  public Request request(String method, String path) {
    return new Request(method, path, host());
  }

  /** A request with this {@code Host} header, or none when null. */
  public Request request(String method, String path, String host) {
    return new Request(method, path, host);
  }

  /** Sends a request whole and reads the answer. */
  public Answer send(Request request) {
    try (Socket socket = open(request)) {
      return read(socket.getInputStream(), request.method.equals("HEAD"));
    } catch (IOException e) {
      throw new UncheckedIOException(request.method + " " + request.path + " failed", e);
    }
  }

  /** Sends these bytes as they are (no request is built) and reads the answer. */
  public Answer sendBytes(byte[] wire) {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(wire);
      out.flush();
      return read(socket.getInputStream(), false);
    } catch (IOException e) {
      throw new UncheckedIOException("sending " + wire.length + " raw bytes failed", e);
    }
  }

  /**
   * Sends a request whole and returns its connection without reading the answer: a request that
   * waits (a long-poll), answered later with {@link #answerOf}.
   */
  public Socket open(Request request) {
    return startBody(request, request.declaredLength(), request.body.length);
  }

  /**
   * Opens a connection that announces a body of {@code declared} bytes and sends only the first
   * {@code sent}; the caller keeps it open (a slow body) or closes it (an aborted request).
   */
  public Socket startBody(Request request, long declared, int sent) {
    try {
      Socket socket = connect();
      OutputStream out = socket.getOutputStream();
      out.write(request.head(declared));
      out.write(request.body, 0, Math.min(sent, request.body.length));
      out.flush();
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + request.method + " " + request.path, e);
    }
  }

  /** Reads the answer of a request started with {@link #startBody} or {@link #open}. */
  public static Answer answerOf(Socket socket, boolean head) {
    try {
      return read(socket.getInputStream(), head);
    } catch (IOException e) {
      throw new UncheckedIOException("no answer", e);
    }
  }

  /** Whether the server has sent anything on this connection yet (without reading it). */
  public static boolean hasAnswered(Socket socket) {
    try {
      return socket.getInputStream().available() > 0;
    } catch (IOException e) {
      return true; // closed or reset by the server: that is an answer too
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(address, port);
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    return socket;
  }

  private static Answer read(InputStream in, boolean head) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new IOException("the server closed the connection without an answer");
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (!head && status != 204 && status != 304) {
      String length = headers.get("content-length");
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        readChunked(in, body);
      } else if (length != null) {
        body.write(in.readNBytes(Integer.parseInt(length)));
      } else {
        body.write(readToEnd(in));
      }
    } else if (head) {
      // nothing may follow the headers of a HEAD answer: read what the server sends until it closes
      body.write(readToEnd(in));
    }
    return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static byte[] readToEnd(InputStream in) throws IOException {
    try {
      return in.readAllBytes();
    } catch (SocketTimeoutException e) {
      throw new IOException("the server kept the connection open after its answer", e);
    }
  }

  private static void readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
    while (true) {
      String size = line(in);
      int length = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (length == 0) {
        while (true) {
          String trailer = line(in);
          if (trailer == null || trailer.isEmpty()) {
            return;
          }
        }
      }
      body.write(in.readNBytes(length));
      line(in);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(c);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}
