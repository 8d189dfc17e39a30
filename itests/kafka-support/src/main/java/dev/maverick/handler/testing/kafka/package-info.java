/**
 * Apache Kafka for tests: a real broker ({@link dev.maverick.handler.testing.kafka.KafkaBroker})
 * and the checker of a keyed topic ({@link dev.maverick.handler.testing.kafka.OrderChecker}).
 */
@Export
@Version("1.0.0")
package dev.maverick.handler.testing.kafka;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
