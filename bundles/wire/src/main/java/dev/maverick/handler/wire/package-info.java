/**
 * Wires: one handler's results feed other handlers, by configuration. A wire is a factory
 * configuration of {@value dev.maverick.handler.wire.Wire#FACTORY_PID}; each running wire is a
 * {@link dev.maverick.handler.wire.Wire} service, and {@link dev.maverick.handler.wire.WireValidator}
 * checks a configuration before anyone creates it.
 *
 * <p>A wire is the one reader of its source's results ({@code Handler.claimResults}); it feeds
 * every target each result, in the order the source produced them, with backpressure by default,
 * and keeps a {@link dev.maverick.handler.wire.WireLedger} in which every result it took is in
 * exactly one place.
 */
@Export
@Version("1.0.0")
package dev.maverick.handler.wire;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
