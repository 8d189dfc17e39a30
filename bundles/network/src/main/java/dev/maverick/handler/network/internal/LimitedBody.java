package dev.maverick.handler.network.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body into memory, never more than a limit. A 2xx body over
 * {@code max_response_bytes} fails with {@link TooLarge} (at once when its Content-Length says
 * so, else as soon as the limit is passed, and the connection is dropped); the body of an error
 * status is only an excerpt for the message, cut at {@link #ERROR_EXCERPT_BYTES}.
 */
final class LimitedBody implements BodySubscriber<byte[]> {
  /** How much of an error response is kept for the exception message. */
  static final int ERROR_EXCERPT_BYTES = 2048;

  /** The body is larger than allowed. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  private final long limit;
  private final boolean failWhenOver;
  private final long declaredLength;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private LimitedBody(long limit, boolean failWhenOver, long declaredLength) {
    this.limit = limit;
    this.failWhenOver = failWhenOver;
    this.declaredLength = declaredLength;
  }

  /** A body handler that keeps at most {@code maxResponseBytes} of a 2xx body. */
  static BodyHandler<byte[]> handler(int maxResponseBytes) {
    return info -> {
      boolean success = info.statusCode() >= 200 && info.statusCode() < 300;
      long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
      return success
          ? new LimitedBody(maxResponseBytes, true, declared)
          : new LimitedBody(Math.min(maxResponseBytes, ERROR_EXCERPT_BYTES), false, declared);
    };
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (failWhenOver && declaredLength > limit) {
      s.cancel();
      body.completeExceptionally(new TooLarge("response body of " + declaredLength
          + " bytes (Content-Length) is larger than max_response_bytes=" + limit));
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      long room = limit - buffer.size();
      if (item.remaining() > room) {
        subscription.cancel();
        if (failWhenOver) {
          body.completeExceptionally(new TooLarge("response body is larger than max_response_bytes=" + limit
              + " (more than " + limit + " bytes received)"));
        } else {
          copy(item, (int) room);
          body.complete(buffer.toByteArray());
        }
        return;
      }
      copy(item, item.remaining());
    }
  }

  private void copy(ByteBuffer item, int count) {
    byte[] bytes = new byte[count];
    item.get(bytes);
    buffer.write(bytes, 0, count);
  }

  @Override
  public void onError(Throwable error) {
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    body.complete(buffer.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }
}
