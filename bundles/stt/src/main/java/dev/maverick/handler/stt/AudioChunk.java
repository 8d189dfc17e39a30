package dev.maverick.handler.stt;

import java.util.Arrays;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;

/**
 * Raw audio samples and their format: one of the items the speech-to-text handler accepts, beside
 * audio file bytes (WAV, AIFF, AU) and file paths. Any sample rate, channel count and encoding that
 * the JDK can convert to the recognizer's 16-bit mono PCM is accepted, e.g. 44.1 kHz stereo.
 *
 * <p>A chunk is a complete piece of audio, transcribed on its own; to stream a live source, use
 * the handler's producer mode ({@code source}) instead. The array is not copied: do not change it
 * after feeding the chunk.
 *
 * @param data the samples, whole frames only
 * @param format their format; {@link AudioFormat#getFrameSize()} must be known
 */
public record AudioChunk(byte[] data, AudioFormat format) {

  /**
   * Checks the chunk.
   *
   * @throws IllegalArgumentException if the frame size is unknown or the data is not a whole
   *     number of frames
   */
  public AudioChunk {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(format, "format");
    int frameSize = format.getFrameSize();
    if (frameSize <= 0 || format.getFrameRate() <= 0 || format.getChannels() <= 0) {
      throw new IllegalArgumentException("AudioChunk needs a format with a known frame size, frame rate and "
          + "channel count; got " + format);
    }
    if (data.length % frameSize != 0) {
      throw new IllegalArgumentException("AudioChunk data of " + data.length + " bytes is not a whole number of "
          + frameSize + "-byte frames (" + format + ")");
    }
  }

  /**
   * Signed 16-bit little-endian PCM, the most common raw format (what a microphone line gives).
   *
   * @param data the samples, channels interleaved
   * @param sampleRate samples per second, e.g. 16000 or 44100
   * @param channels 1 (mono) or more
   */
  public static AudioChunk pcm16(byte[] data, float sampleRate, int channels) {
    return new AudioChunk(data, new AudioFormat(sampleRate, 16, channels, true, false));
  }

  /** The number of frames (samples per channel). */
  public long frames() {
    return data.length / format.getFrameSize();
  }

  /** The duration in seconds. */
  public double seconds() {
    return frames() / (double) format.getFrameRate();
  }

  /** Equal when the samples are equal and the formats match each other. */
  @Override
  public boolean equals(Object other) {
    return other instanceof AudioChunk that && Arrays.equals(data, that.data)
        && format.matches(that.format) && that.format.matches(format);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + Objects.hash(format.getEncoding(), format.getSampleRate(),
        format.getSampleSizeInBits(), format.getChannels(), format.isBigEndian());
  }

  @Override
  public String toString() {
    return "AudioChunk[" + data.length + " bytes, " + String.format(java.util.Locale.ROOT, "%.3f", seconds())
        + " s, " + format + "]";
  }
}
