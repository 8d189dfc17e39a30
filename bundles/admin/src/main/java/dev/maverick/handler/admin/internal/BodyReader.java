package dev.maverick.handler.admin.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request body without holding a server thread while it arrives (Servlet async I/O), up
 * to {@code max_body_bytes} and within {@code body_timeout}: a client that sends its body slowly,
 * or never finishes it, costs a connection, not a thread, and is answered 408 when the time is up.
 * A client that goes away mid-body is logged in one DEBUG line.
 *
 * <p>Exactly one outcome happens: the body is handed on, a 408 or 413 is answered, or the request
 * is dropped as aborted. A refusal written while the container still waits for body bytes does not
 * complete the exchange at once (the container would call that an error and log it): the next
 * bytes, the end of the body, or the client going away complete it, without reading further.
 */
final class BodyReader implements ReadListener {
  private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);

  /** What to do with a body that arrived whole, or with a refusal; runs once. */
  interface Outcome {
    void body(byte[] body);

    void refused(AdminException refusal);
  }

  private enum State {
    /** Bytes are being read. */
    READING,
    /** A refusal was answered while a read was pending; the next event completes the exchange. */
    ANSWERED,
    /** The exchange is complete, or being completed by whoever finished it. */
    DONE
  }

  private final AsyncContext async;
  private final ServletInputStream in;
  private final int limit;
  private final Duration timeout;
  private final Outcome outcome;
  private final String what;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private final byte[] buffer = new byte[8192];
  /** Guards {@link #state}; held while a refusal is written, never while the body's outcome runs. */
  private final Object lock = new Object();
  private State state = State.READING;
  private ScheduledFuture<?> deadline;

  private BodyReader(HttpServletRequest request, int limit, Duration timeout, Outcome outcome) throws IOException {
    this.async = request.startAsync();
    // no container timeout: handling after the body may take as long as the handler does; the body's own deadline is ours
    async.setTimeout(0);
    this.in = request.getInputStream();
    this.limit = limit;
    this.timeout = timeout;
    this.outcome = outcome;
    this.what = request.getMethod() + " " + request.getRequestURI();
  }

  /**
   * Starts reading the request's body; returns at once. The outcome runs on a server thread (or
   * the timer's, for a 408).
   */
  static void read(HttpServletRequest request, int limit, Duration timeout, ScheduledExecutorService timer,
      Outcome outcome) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(declared, limit);
    }
    BodyReader reader = new BodyReader(request, limit, timeout, outcome);
    synchronized (reader.lock) {
      reader.deadline = timer.schedule(reader::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    reader.in.setReadListener(reader);
  }

  @Override
  public void onDataAvailable() throws IOException {
    synchronized (lock) {
      // isReady() is asked only while reading: once it says no, the container waits for bytes on our behalf
      while (state == State.READING && in.isReady()) {
        int read = in.read(buffer);
        if (read < 0) {
          return;
        }
        if (body.size() + read > limit) {
          outcome.refused(tooLarge(-1, limit));
          finish();
          return;
        }
        body.write(buffer, 0, read);
      }
      if (state == State.ANSWERED) {
        // bytes after a refusal: nothing is pending now, so the exchange can end without an error
        finish();
      }
    }
  }

  @Override
  public void onAllDataRead() {
    synchronized (lock) {
      if (state == State.ANSWERED) {
        finish();
        return;
      }
      if (state != State.READING) {
        return;
      }
      cancelDeadline();
      state = State.DONE;
    }
    try {
      outcome.body(body.toByteArray());
    } finally {
      complete();
    }
  }

  @Override
  public void onError(Throwable error) {
    synchronized (lock) {
      if (state == State.READING) {
        LOG.debug("{}: request aborted mid-body after {} bytes ({})", what, body.size(), error.toString());
      }
      if (state != State.DONE) {
        finish();
      }
    }
  }

  /** The body is late: answer 408 now; the exchange ends at the next read event. */
  private void expire() {
    synchronized (lock) {
      if (state != State.READING) {
        return;
      }
      state = State.ANSWERED;
      outcome.refused(new AdminException(AdminException.REQUEST_TIMEOUT, "the request body did not arrive within "
          + timeout.toMillis() / 1000.0 + " s (" + body.size() + " bytes came); allowed: a whole body within "
          + "body_timeout in configuration " + AdminConfig.PID));
    }
  }

  /** Ends the exchange; called with the lock held, when no read is pending. */
  private void finish() {
    state = State.DONE;
    cancelDeadline();
    complete();
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  private void complete() {
    try {
      async.complete();
    } catch (IllegalStateException alreadyDone) {
      // the container ended the exchange itself (the client went away)
    }
  }

  static AdminException tooLarge(long declared, int limit) {
    return new AdminException(AdminException.PAYLOAD_TOO_LARGE, "request body "
        + (declared >= 0 ? "of " + declared + " bytes " : "") + "is over the limit of " + limit
        + " bytes (max_body_bytes in configuration " + AdminConfig.PID + ")");
  }
}
