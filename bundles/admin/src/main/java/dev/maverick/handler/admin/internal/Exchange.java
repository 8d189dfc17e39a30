package dev.maverick.handler.admin.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One request and its answer. {@code HEAD} is answered as {@code GET} without a body: the status
 * and headers are the same, and nothing is written after them.
 */
final class Exchange {
  static final String JSON = "application/json; charset=utf-8";

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final String method;
  private final List<String> path;
  private byte[] body = new byte[0];

  Exchange(HttpServletRequest request, HttpServletResponse response) {
    this.request = request;
    this.response = response;
    this.method = request.getMethod().toUpperCase(Locale.ROOT);
    this.path = segments(request);
  }

  HttpServletRequest request() {
    return request;
  }

  HttpServletResponse response() {
    return response;
  }

  /** The method, upper case. */
  String method() {
    return method;
  }

  /** True for HEAD: the answer of GET, without its body, and without any of GET's effects. */
  boolean head() {
    return method.equals("HEAD");
  }

  /** The path below the servlet context, split and decoded; empty for "/". */
  List<String> path() {
    return path;
  }

  /** The request body, once read. */
  byte[] body() {
    return body;
  }

  void body(byte[] bytes) {
    this.body = bytes;
  }

  /** Answers with JSON. */
  void json(int status, byte[] json) throws IOException {
    bytes(status, JSON, json);
  }

  /** Answers with bytes of a content type (the body is left out for HEAD). */
  void bytes(int status, String contentType, byte[] bytes) throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(bytes.length);
    if (!head()) {
      try (OutputStream out = response.getOutputStream()) {
        out.write(bytes);
      }
    }
  }

  /** Answers with a status and no body (204). */
  void status(int status) {
    response.setStatus(status);
  }

  private static List<String> segments(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    String path = context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    List<String> segments = new ArrayList<>();
    for (String raw : path.split("/")) {
      if (!raw.isEmpty()) {
        segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }
}
