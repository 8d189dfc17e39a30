package dev.maverick.handler.stt.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The binary message a RealtimeSTT server takes on its data socket, one per chunk of audio: the
 * byte length of the metadata as an unsigned 32-bit little-endian integer, the metadata as UTF-8
 * JSON ({@code {"sampleRate": 16000}}), then the samples as signed 16-bit little-endian mono PCM.
 * Audio is always sent at 16 kHz, the rate the server's recognizer runs at: any other rate would
 * be resampled by the server chunk by chunk, with artefacts at every edge.
 */
final class AudioFrames {
  /** The rate the server recognizes at, and the only one this client sends. */
  static final int SAMPLE_RATE = 16000;
  /** 1024 samples (64 ms), the chunk the server's own Python client sends. */
  static final int CHUNK_BYTES = 2048;

  private final byte[] metadata;

  /** Frames whose metadata is written with {@code json} once. */
  AudioFrames(SttJson json) {
    this.metadata = json.write(Map.of("sampleRate", SAMPLE_RATE)).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * One message holding {@code length} bytes of samples.
   *
   * <p>The buffer is returned in big-endian order although its length prefix was written little
   * endian: on JDK 17, {@code WebSocket.sendBinary} masks the payload reading it with the buffer's
   * own byte order, and a little-endian buffer arrives byte-swapped in groups of four.
   */
  ByteBuffer frame(byte[] samples, int offset, int length) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + metadata.length + length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(metadata.length).put(metadata).put(samples, offset, length).flip();
    return buffer.order(ByteOrder.BIG_ENDIAN);
  }

  /** The bytes of metadata and prefix each message adds to its samples. */
  int overhead() {
    return 4 + metadata.length;
  }
}
