/**
 * The speech-to-text handler's one public type, {@link dev.maverick.handler.stt.AudioChunk}: raw
 * PCM audio with its format, so that other bundles can feed audio that has no file header. The
 * handler itself is found as a {@code dev.maverick.handler.Handler} service with
 * {@code handler.kind=stt}; everything else in this bundle is private.
 */
@Export
@Version("1.0.0")
package dev.maverick.handler.stt;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
