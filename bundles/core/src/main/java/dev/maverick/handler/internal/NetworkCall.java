package dev.maverick.handler.internal;

import dev.maverick.handler.NetworkCallException;
import dev.maverick.handler.internal.Diagnostics.LogTopic;
import dev.maverick.handler.internal.Ledger.Stamp;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * A handler's network call ({@code performRequest}): the network hooks around it, its
 * {@code network_timeout} (on the handler's own executor, unless the request enforces it itself),
 * a failure counted once in {@code network_error_count} and logged rate-limited, then rethrown.
 */
public final class NetworkCall {
  private final Ledger ledger;
  private final Diagnostics diagnostics;
  private final AsyncCalls async;
  private final Subclass subclass;

  /**
   * @param ledger where failures and successes are counted
   * @param diagnostics where failures are logged
   * @param async where a timed call runs
   * @param subclass the network hooks
   */
  public NetworkCall(Ledger ledger, Diagnostics diagnostics, AsyncCalls async, Subclass subclass) {
    this.ledger = ledger;
    this.diagnostics = diagnostics;
    this.async = async;
    this.subclass = subclass;
  }

  /**
   * Performs {@code request} for {@code payload}.
   *
   * @param timeout {@code network_timeout}, or null when there is none or the request enforces it itself
   * @return the response
   * @throws NetworkCallException for a checked failure or a timeout; unchecked ones are rethrown as they are
   */
  public Object perform(Object payload, Callable<Object> request, Duration timeout) {
    subclass.fire(Hook.BEFORE_NETWORK_CALL, payload, null, null);
    diagnostics.verbose("network call");
    Object response;
    try {
      response = timeout == null ? request.call() : async.callWithin(request, Waits.saturatedNanos(timeout));
    } catch (Throwable error) {
      Throwable failure = error instanceof TimeoutException ? new NetworkCallException("handler '" + diagnostics.name()
          + "': network call timed out after network_timeout=" + timeout.toMillis() / 1000.0 + "s", error) : error;
      ledger.networkError();
      subclass.fire(Hook.NETWORK_ERROR, payload, failure, null);
      diagnostics.warned(LogTopic.NETWORK_ERROR, () -> "network call failed: " + failure);
      if (failure instanceof RuntimeException || failure instanceof Error) {
        throw Diagnostics.sneakyThrow(failure);
      }
      throw new NetworkCallException("handler '" + diagnostics.name() + "': network call failed: " + failure, failure);
    }
    ledger.stamp(Stamp.NETWORK_CALL);
    subclass.fire(Hook.AFTER_NETWORK_CALL, payload, response, null);
    return response;
  }
}
