package dev.maverick.handler.stt.internal;

import dev.maverick.handler.InvalidItemException;
import dev.maverick.handler.stt.AudioChunk;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * The audio items the handler accepts, checked cheaply at feed time (headers only) and opened as
 * 16-bit mono PCM at the recognizer's rate when processed. Conversion is the JDK's own
 * ({@code javax.sound.sampled}): any sample rate, channel count and PCM, &mu;-law or A-law encoding
 * it can turn into the target format.
 */
final class AudioInputs {
  /** What the handler accepts, for messages. */
  static final String ACCEPTED = "WAV, AIFF or AU file bytes (byte[]), an AudioChunk of PCM samples, "
      + "or the path of an audio file under audio_dirs (java.nio.file.Path, java.io.File or String)";

  /** The extra that says what a {@code byte[]} item holds (the HTTP API's Content-Type). */
  static final String CONTENT_TYPE = "content_type";
  /** The extra that gives raw PCM's sample rate (the HTTP API's {@code ?sample_rate=}). */
  static final String SAMPLE_RATE = "sample_rate";
  /** Raw signed 16-bit little-endian mono PCM. */
  static final String RAW_PCM = "application/octet-stream";

  private static final Set<String> WAV_TYPES = Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave");
  private static final String CONTENT_TYPES = "audio/wav (WAV file bytes) or " + RAW_PCM + " (raw signed 16-bit "
      + "little-endian mono PCM, with sample_rate)";

  private AudioInputs() {}

  /**
   * The item as its extras describe it. A {@code byte[]} with a {@code content_type} extra (an HTTP
   * body) is either WAV file bytes ({@code audio/wav}) or raw signed 16-bit little-endian mono PCM
   * ({@code application/octet-stream}, whose {@code sample_rate} extra, an integer from 8000 to
   * 48000, is required): raw PCM becomes an {@link AudioChunk}. Any other item, and a
   * {@code byte[]} without {@code content_type} (audio file bytes, as always), is returned as is.
   *
   * @throws InvalidItemException for another content type, a body that is not what its type
   *     says, or raw PCM without a valid sample rate
   */
  static Object described(Object item, Map<String, ?> extra) {
    if (!(item instanceof byte[] bytes) || extra == null || extra.get(CONTENT_TYPE) == null) {
      return item;
    }
    Object type = extra.get(CONTENT_TYPE);
    String mediaType = type instanceof String text ? text.split(";", 2)[0].trim().toLowerCase(Locale.ROOT) : "";
    if (WAV_TYPES.contains(mediaType)) {
      if (bytes.length < 12 || !new String(bytes, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF")
          || !new String(bytes, 8, 4, StandardCharsets.ISO_8859_1).equals("WAVE")) {
        throw new InvalidItemException("content_type " + mediaType + ", but the " + bytes.length + " bytes are not a "
            + "WAV file (they start with " + hex(bytes, 8) + "); for raw samples use " + RAW_PCM + " with sample_rate");
      }
      return bytes;
    }
    if (RAW_PCM.equals(mediaType)) {
      int rate = rawSampleRate(extra.get(SAMPLE_RATE));
      if (bytes.length == 0 || bytes.length % 2 != 0) {
        throw new InvalidItemException("raw 16-bit PCM (content_type " + RAW_PCM + ") needs whole 2-byte samples; "
            + "got " + bytes.length + " bytes");
      }
      return AudioChunk.pcm16(bytes, rate, 1);
    }
    throw new InvalidItemException("content_type '" + type + "' is not accepted; accepted: " + CONTENT_TYPES);
  }

  private static int rawSampleRate(Object value) {
    long rate = -1;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      rate = ((Number) value).longValue();
    } else if (value instanceof String text && text.trim().matches("[0-9]{1,6}")) {
      rate = Long.parseLong(text.trim());
    }
    if (rate < 8000 || rate > 48000) {
      throw new InvalidItemException("raw 16-bit PCM (content_type " + RAW_PCM + ") needs sample_rate, an integer "
          + "from 8000 to 48000 (over HTTP: ?sample_rate=16000); got " + (value == null ? "none" : "'" + value + "'"));
    }
    return (int) rate;
  }

  /**
   * What a valid item holds.
   *
   * @param kind {@code bytes}, {@code chunk} or {@code file}
   * @param format the audio's own format
   * @param frames the number of frames, or -1 when the header does not say
   */
  record Probe(String kind, AudioFormat format, long frames) {
    /** Seconds of audio, or -1 when unknown. */
    double seconds() {
      return frames < 0 ? -1 : frames / (double) format.getFrameRate();
    }
  }

  /** The recognizer's input format: signed 16-bit little-endian mono PCM. */
  static AudioFormat target(float sampleRate) {
    return new AudioFormat(sampleRate, 16, 1, true, false);
  }

  /**
   * Checks an item without decoding it: its type, that it is audio the JDK reads and can convert,
   * that a WAV is not truncated, and its length.
   *
   * @param audioDirs where a fed path may point
   * @throws InvalidItemException saying what is wrong and what is accepted
   */
  static Probe probe(Object item, Duration maxAudio, AudioDirs audioDirs) {
    Probe probe;
    if (item instanceof byte[] bytes) {
      probe = probeBytes(bytes);
    } else if (item instanceof AudioChunk chunk) {
      probe = new Probe("chunk", chunk.format(), chunk.frames());
    } else if (item instanceof Path || item instanceof File || item instanceof CharSequence) {
      probe = probeFile(path(item), audioDirs);
    } else {
      throw new InvalidItemException("expected " + ACCEPTED + "; got "
          + (item == null ? "null" : item.getClass().getName()));
    }
    if (convertedFormat(probe.format) == null) {
      throw new InvalidItemException("unsupported audio format " + probe.format + ": the JDK cannot convert it to "
          + "16-bit mono PCM (PCM, mu-law and A-law are supported)");
    }
    double seconds = probe.seconds();
    double max = maxAudio.toMillis() / 1000.0;
    if (seconds > max) {
      throw new InvalidItemException(String.format(Locale.ROOT,
          "audio of %.1f s is longer than max_audio_seconds=%s", seconds, max));
    }
    return probe;
  }

  /**
   * Opens an item (checked by {@link #probe}) as PCM in {@code target}'s format.
   *
   * @throws IOException if it cannot be read (a file removed since it was fed, say)
   * @throws InvalidItemException if a path no longer leads under {@code audioDirs}
   */
  static AudioInputStream open(Object item, AudioFormat target, AudioDirs audioDirs) throws IOException {
    AudioInputStream source;
    try {
      if (item instanceof byte[] bytes) {
        source = AudioSystem.getAudioInputStream(new ByteArrayInputStream(bytes));
      } else if (item instanceof AudioChunk chunk) {
        source = new AudioInputStream(new ByteArrayInputStream(chunk.data()), chunk.format(), chunk.frames());
      } else {
        // checked again: the path may have been pointed elsewhere (a link swapped) since it was fed
        Path file = audioDirs.readable(path(item));
        InputStream in = new BufferedInputStream(Channels.newInputStream(
            Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))), 65536);
        try {
          source = AudioSystem.getAudioInputStream(in);
        } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
          in.close();
          throw e;
        }
      }
    } catch (UnsupportedAudioFileException e) {
      throw new IOException("not an audio file the JDK can read: " + e.getMessage(), e);
    }
    return convert(source, target);
  }

  /**
   * A stream that fails once more than {@code maxBytes} were read from it: a header that does not
   * tell the length (a streaming WAV) cannot be checked at feed time.
   */
  static InputStream limited(InputStream in, long maxBytes) {
    return new java.io.FilterInputStream(in) {
      private long read;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0 && (read += n) > maxBytes) {
          throw new IOException("the audio is longer than max_audio_seconds");
        }
        return n;
      }
    };
  }

  /** Converts a stream to {@code target}, through 16-bit PCM at the source's rate when needed. */
  static AudioInputStream convert(AudioInputStream source, AudioFormat target) throws IOException {
    AudioFormat format = source.getFormat();
    if (format.matches(target)) {
      return source;
    }
    try {
      if (AudioSystem.isConversionSupported(target, format)) {
        return AudioSystem.getAudioInputStream(target, source);
      }
      AudioFormat pcm = intermediate(format);
      if (AudioSystem.isConversionSupported(pcm, format)
          && AudioSystem.isConversionSupported(target, pcm)) {
        return AudioSystem.getAudioInputStream(target, AudioSystem.getAudioInputStream(pcm, source));
      }
    } catch (IllegalArgumentException e) {
      source.close();
      throw new IOException("cannot convert " + format + " to " + target + ": " + e.getMessage(), e);
    }
    source.close();
    throw new IOException("cannot convert " + format + " to " + target);
  }

  /** The path an item names. */
  static Path path(Object item) {
    if (item instanceof Path path) {
      return path;
    }
    if (item instanceof File file) {
      return file.toPath();
    }
    String text = item.toString();
    if (text.isBlank()) {
      throw new InvalidItemException("expected " + ACCEPTED + "; got a blank path");
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new InvalidItemException("not a valid file path: '" + text + "' (" + e.getReason() + ")", e);
    }
  }

  private static AudioFormat convertedFormat(AudioFormat format) {
    AudioFormat target = target(16000f);
    if (AudioSystem.isConversionSupported(target, format)) {
      return target;
    }
    AudioFormat pcm = intermediate(format);
    return AudioSystem.isConversionSupported(pcm, format) && AudioSystem.isConversionSupported(target, pcm)
        ? target : null;
  }

  private static AudioFormat intermediate(AudioFormat format) {
    return new AudioFormat(format.getSampleRate(), 16, format.getChannels(), true, false);
  }

  private static Probe probeBytes(byte[] bytes) {
    if (bytes.length < 12) {
      throw new InvalidItemException("not audio: " + bytes.length + " bytes are too few for an audio file header; "
          + "expected " + ACCEPTED);
    }
    checkRiff(ByteBuffer.wrap(bytes), bytes.length, "fed bytes");
    AudioFileFormat header;
    try {
      header = AudioSystem.getAudioFileFormat(new ByteArrayInputStream(bytes));
    } catch (UnsupportedAudioFileException | IOException e) {
      throw new InvalidItemException("not audio: the JDK reads WAV, AIFF and AU files, and these " + bytes.length
          + " bytes start with " + hex(bytes, 8), e);
    }
    return new Probe("bytes", header.getFormat(), frames(header));
  }

  private static Probe probeFile(Path given, AudioDirs audioDirs) {
    Path file = audioDirs.readable(given);
    long size;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      size = channel.size();
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 1 << 16));
      while (head.hasRemaining() && channel.read(head) > 0) {
        // read the first 64 KiB: the header chunks of any WAV that a program writes
      }
      head.flip();
      if (size < 12) {
        throw new InvalidItemException("not audio: " + given + " has " + size + " bytes, too few for an audio header");
      }
      checkRiff(head, size, given.toString());
    } catch (IOException e) {
      throw new InvalidItemException("cannot read " + given + ": " + e, e);
    }
    AudioFileFormat header;
    try {
      header = AudioSystem.getAudioFileFormat(file.toFile());
    } catch (UnsupportedAudioFileException | IOException e) {
      throw new InvalidItemException("not audio: " + given + " is not a WAV, AIFF or AU file the JDK can read", e);
    }
    return new Probe("file", header.getFormat(), frames(header));
  }

  /**
   * Walks a RIFF/WAVE header to its data chunk and checks that the data the chunk declares is all
   * there: the JDK's reader would silently return a shorter stream for a cut-off file.
   */
  private static void checkRiff(ByteBuffer head, long totalSize, String what) {
    ByteBuffer buffer = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (buffer.remaining() < 12 || !tag(buffer, 0).equals("RIFF")) {
      return; // not a WAV; AudioSystem decides
    }
    if (!tag(buffer, 8).equals("WAVE")) {
      throw new InvalidItemException("not audio (" + what + "): a RIFF file of type '" + tag(buffer, 8)
          + "', not WAVE");
    }
    long pos = 12;
    boolean sawFormat = false;
    while (pos + 8 <= totalSize) {
      if (pos + 8 > buffer.limit()) {
        return; // header chunks beyond the first 64 KiB: leave the rest to AudioSystem
      }
      String id = tag(buffer, (int) pos);
      long length = Integer.toUnsignedLong(buffer.getInt((int) pos + 4));
      if (id.equals("fmt ")) {
        sawFormat = true;
      }
      if (id.equals("data")) {
        long present = totalSize - pos - 8;
        // 0xFFFFFFFF: a streaming writer that did not know the length; the JDK reads to the end
        if (length != 0xFFFFFFFFL && length > present) {
          throw new InvalidItemException("truncated WAV (" + what + "): its data chunk declares " + length
              + " bytes of samples but only " + present + " are present");
        }
        if (!sawFormat) {
          throw new InvalidItemException("not audio (" + what + "): no 'fmt ' chunk before the samples");
        }
        return;
      }
      pos += 8 + length + (length & 1);
    }
    throw new InvalidItemException("truncated WAV (" + what + "): it ends after " + totalSize
        + " bytes, before its data chunk");
  }

  private static String tag(ByteBuffer buffer, int at) {
    byte[] id = new byte[4];
    for (int i = 0; i < 4; i++) {
      id[i] = buffer.get(at + i);
    }
    return new String(id, StandardCharsets.ISO_8859_1);
  }

  private static long frames(AudioFileFormat header) {
    long frames = header.getFrameLength();
    return frames == AudioSystem.NOT_SPECIFIED ? -1 : frames;
  }

  private static String hex(byte[] bytes, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(count, bytes.length); i++) {
      out.append(String.format("%02x ", bytes[i] & 0xff));
    }
    return out.toString().trim();
  }
}
