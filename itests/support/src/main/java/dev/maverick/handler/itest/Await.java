package dev.maverick.handler.itest;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Waits for conditions with a deadline, in the container. Tests wait on what they need (a service,
 * a counter), never for a fixed time.
 */
public final class Await {
  /** The default deadline of a wait. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
  private static final long STEP_MILLIS = 10;

  private Await() {}

  /** Waits until {@code condition} holds, or fails with {@code what} after {@link #DEFAULT_TIMEOUT}. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT_TIMEOUT, condition);
  }

  /** Waits until {@code condition} holds, or fails with {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      pause();
    }
  }

  /** Waits until {@code supplier} gives a non-null value and returns it. */
  public static <T> T value(String what, Supplier<T> supplier) {
    long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
    T value;
    while ((value = supplier.get()) == null) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + DEFAULT_TIMEOUT + " waiting for: " + what);
      }
      pause();
    }
    return value;
  }

  /**
   * Waits for a service matching an LDAP filter (with {@code objectClass} added) and returns it.
   *
   * @param filter e.g. {@code (handler.name=echo)}; null for any
   */
  public static <T> T service(BundleContext context, Class<T> type, String filter) {
    String full = "(&(objectClass=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
    ServiceTracker<T, T> tracker;
    try {
      tracker = new ServiceTracker<>(context, context.createFilter(full), null);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("bad filter " + full, e);
    }
    tracker.open();
    try {
      T service = tracker.waitForService(DEFAULT_TIMEOUT.toMillis());
      if (service == null) {
        throw new AssertionError("no service " + full + " within " + DEFAULT_TIMEOUT);
      }
      return service;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + full, e);
    } finally {
      tracker.close();
    }
  }

  /** Waits until no service matches the filter. */
  public static void noService(BundleContext context, Class<?> type, String filter) {
    String full = "(&(objectClass=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
    until("no service " + full, () -> {
      try {
        return context.getServiceReferences(type.getName(), full) == null;
      } catch (InvalidSyntaxException e) {
        throw new IllegalArgumentException("bad filter " + full, e);
      }
    });
  }

  private static void pause() {
    try {
      Thread.sleep(STEP_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
