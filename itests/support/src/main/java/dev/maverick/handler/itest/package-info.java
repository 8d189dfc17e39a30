/** Helpers shared by the Pax Exam integration tests: container options and condition waits. */
@Export
@Version("1.0.0")
package dev.maverick.handler.itest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
