package dev.maverick.handler.kafka.internal;

import java.util.function.Supplier;

/**
 * Runs Kafka client code with this bundle's class loader as the thread's context class loader.
 *
 * <p>kafka-clients (4.1 to 4.4) resolves the class names in its configuration definitions, the
 * defaults included, through the context class loader when there is one. In an OSGi framework that
 * loader is whatever the calling thread happens to carry (DS's, the framework's, another bundle's),
 * which cannot see the classes embedded here: creating a client, or merely loading
 * {@code ProducerConfig}, then fails with {@code ExceptionInInitializerError}. So every creation of
 * a client and every use of Kafka's configuration definitions goes through {@link #withBundleLoader}.
 */
final class Clients {
  private Clients() {}

  /** Runs {@code action} with this bundle's class loader as the context class loader, then restores it. */
  static <T> T withBundleLoader(Supplier<T> action) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(Clients.class.getClassLoader());
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
