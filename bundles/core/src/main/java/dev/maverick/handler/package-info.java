/**
 * The architecture-handler API: {@link dev.maverick.handler.Handler}, the service every handler
 * provides, and {@link dev.maverick.handler.ArchitectureHandler}, the base class that gives a
 * handler its bounded queues, worker and callback threads, counters and hooks.
 *
 * <p>Configuration keys, counters and hook names follow the Python seed library
 * {@code scs-architecture-handlers}; see the project README for the name map.
 */
@Export
@Version("1.2.0")
package dev.maverick.handler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
