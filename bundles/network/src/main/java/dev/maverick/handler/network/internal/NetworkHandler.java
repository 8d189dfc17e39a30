package dev.maverick.handler.network.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.maverick.handler.ArchitectureHandler;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.NetworkCallException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real HTTP client handler, as the seed's network subclasses (face recognition, TTS servers)
 * use the network path: each item's payload ({@code prepareRequestPayload}: the seed's
 * {@code {client_id, item, extra, timestamp}}, or the configured {@code request_template} filled
 * with the item) is sent as JSON to the configured endpoint, and the result is
 * {@code {"status": <2xx>, "body": <the response parsed as JSON>}}, or what {@code response_pointer}
 * picks out of the body.
 *
 * <p>Every failed call (refused, timeout, 4xx, 5xx, reset, malformed JSON, body over
 * {@code max_response_bytes}) is counted once in {@code network_error_count}, whatever number of
 * attempts it took, and raised as a {@link NetworkCallException} naming the endpoint and the cause;
 * on the threaded path it also counts as an item error. Connection failures and 5xx are retried
 * {@code retries} times with exponential backoff; 4xx never. The {@code auth} value is sent and
 * never shown: messages, logs and stats pass through {@link NetworkSettings#redact}.
 */
final class NetworkHandler extends ArchitectureHandler<Object, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkHandler.class);
  /** Idle HTTP client threads end after this; so they also end soon after the handler closes. */
  private static final long HTTP_THREAD_KEEP_ALIVE_SECONDS = 5;

  /**
   * The payload, its JSON (so that encoding failures are item errors, not network errors) and the
   * endpoint whose template made it, which is the endpoint it goes to.
   */
  private record Request(Object payload, byte[] json, Endpoint endpoint) {}

  private final JsonCodec json = new JsonCodec();
  private final ThreadPoolExecutor httpThreads;
  /** One thread that interrupts a call running past network_timeout (see Deadline). */
  private final ScheduledThreadPoolExecutor timers;
  private final LongAdder attempts = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private volatile Endpoint endpoint;
  private volatile int lastStatus = -1;
  private volatile String lastError;

  NetworkHandler(HandlerConfig config) {
    super(config);
    NetworkSettings settings = NetworkSettings.from(config);
    this.httpThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, HTTP_THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemonThreads("-http-"));
    this.timers = new ScheduledThreadPoolExecutor(1, daemonThreads("-deadline-"));
    timers.setRemoveOnCancelPolicy(true);
    timers.setKeepAliveTime(HTTP_THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    timers.allowCoreThreadTimeOut(true);
    this.endpoint = new Endpoint(settings, httpThreads, timers, json);
    LOG.info("[{}] calls {}", name(), settings);
  }

  private ThreadFactory daemonThreads(String kind) {
    AtomicInteger sequence = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name() + kind + sequence.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  protected Object generateResults(Object item, Map<String, ?> extra) {
    Endpoint target = endpoint;
    RequestTemplate template = target.settings().requestTemplate();
    Object payload = template == null ? prepareRequestPayload(item, extra) : fill(template, item, extra);
    return performRequest(new Request(payload, encode(payload), target));
  }

  private Object fill(RequestTemplate template, Object item, Map<String, ?> extra) {
    try {
      return template.fill(new Placeholder.Scope(item, extra, clientId(), System.currentTimeMillis() / 1000.0, json));
    } catch (IllegalArgumentException e) { // InvalidItemException too: the item does not fit the template
      throw new InvalidItemException("handler '" + name() + "': " + e.getMessage(), e);
    }
  }

  private byte[] encode(Object payload) {
    try {
      return json.encode(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("handler '" + name() + "': the request payload cannot be written as JSON: "
          + JsonCodec.describe(e), e);
    }
  }

  /** HttpClient enforces network_timeout on each attempt; the core need not run the call on another thread. */
  @Override
  protected boolean enforcesNetworkTimeout() {
    return true;
  }

  /**
   * Sends the payload, retrying connection failures and 5xx up to {@code retries} times.
   *
   * @return the result map
   * @throws NetworkCallException naming the endpoint and the last attempt's cause
   */
  @Override
  protected Object doPerformRequest(Object payload) {
    Request request = payload instanceof Request encoded ? encoded : new Request(payload, encode(payload), endpoint);
    Endpoint target = request.endpoint();
    NetworkSettings settings = target.settings();
    for (int attempt = 1; ; attempt++) {
      attempts.increment();
      Endpoint.Failure failure;
      try {
        Endpoint.Response response = target.send(request.json(), clientId());
        lastStatus = response.status();
        return response.result();
      } catch (Endpoint.Failure e) {
        failure = e;
      }
      failedAttempts.increment();
      if (failure.status() > 0) {
        lastStatus = failure.status();
      }
      if (!failure.retryable() || attempt > settings.retries()) {
        throw failed(settings, failure, attempt, null);
      }
      Duration wait = settings.retryDelay(attempt);
      retried.increment();
      LOG.debug("[{}] {}: attempt {} failed ({}); retrying in {}s", name(), settings.endpoint(), attempt,
          settings.redact(failure.getMessage()), wait.toMillis() / 1000.0);
      try {
        TimeUnit.NANOSECONDS.sleep(wait.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failed(settings, failure, attempt, "interrupted while waiting to retry");
      }
    }
  }

  private NetworkCallException failed(NetworkSettings settings, Endpoint.Failure failure, int attempts, String note) {
    String message = "handler '" + name() + "': " + settings.endpoint() + " failed: " + failure.getMessage()
        + (attempts > 1 ? " (after " + attempts + " attempts)" : "")
        + (note == null ? "" : "; " + note);
    String safe = settings.redact(message);
    lastError = safe;
    return new NetworkCallException(safe, failure.status(), failure.getCause());
  }

  @Override
  protected void configurationChanged(HandlerConfig previous, HandlerConfig current) {
    NetworkSettings settings;
    try {
      settings = NetworkSettings.from(current);
    } catch (InvalidConfigurationException e) {
      // NetworkKind checked this configuration before it was applied; only a trust store file
      // changed since then gets here. Keep calling the endpoint that works.
      LOG.error("[{}] {}; it keeps calling {}", name(), e.getMessage(), endpoint.settings());
      return;
    }
    NetworkSettings before = endpoint.settings();
    // in-flight calls finish on the client they started with; it is collected afterwards
    endpoint = new Endpoint(settings, httpThreads, timers, json);
    LOG.info("[{}] now calls {}", name(), settings);
    if (!settings.uri().equals(before.uri()) && settings.sendsTheSameAuthAs(before)) {
      // the admin API asks for auth again on such a change; a file or a Java caller may keep it on purpose
      LOG.warn("[{}] now sends the auth it sent to {} to {}: the endpoint changed and the secret did not; "
          + "if that was not meant, change auth", name(), before.uri(), settings.uri());
    }
  }

  @Override
  protected Map<String, Object> statsDetails() {
    NetworkSettings settings = endpoint.settings();
    Map<String, Object> details = new LinkedHashMap<>(settings.toDisplayMap());
    details.put("attempt_count", attempts.sum());
    details.put("failed_attempt_count", failedAttempts.sum());
    details.put("retry_count", retried.sum());
    details.put("last_status", lastStatus < 0 ? null : lastStatus);
    details.put("last_error", lastError);
    return details;
  }

  /** The endpoint in force (tests and diagnostics). */
  NetworkSettings settings() {
    return endpoint.settings();
  }

  /**
   * The HTTP client served the drain until the end; now it can go. Its executor is not shut
   * down: a request that timed out may still be completing inside the client, and a rejected
   * completion would leave the client's selector thread and the connection open for good. The
   * executor keeps no core thread, so its threads end {@value #HTTP_THREAD_KEEP_ALIVE_SECONDS} s
   * after their last task; on JDK 17, where {@code HttpClient} cannot be closed, the client's
   * selector thread and connections end once the client is collected.
   */
  @Override
  protected void afterClose() {
    endpoint.close();
    timers.shutdownNow();
  }
}
