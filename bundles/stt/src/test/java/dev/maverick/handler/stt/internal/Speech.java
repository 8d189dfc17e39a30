package dev.maverick.handler.stt.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;

/** The speech fixtures (espeak-ng, see src/test/resources/audio/make-fixtures.sh) and word error rate. */
final class Speech {
  /** The grammar holding every fixture phrase, plus "[unk]" for anything else. */
  static final List<String> GRAMMAR;
  /** slug to expected text, in file order. */
  static final Map<String, String> PHRASES;

  static {
    Map<String, String> phrases = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file("phrases.txt"), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          String[] parts = line.split("\\|", 2);
          phrases.put(parts[0], parts[1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PHRASES = Map.copyOf(phrases);
    List<String> grammar = new ArrayList<>(phrases.values());
    grammar.add("[unk]");
    GRAMMAR = List.copyOf(grammar);
  }

  private Speech() {}

  /** The unpacked test model (the build unpacks the AAR to target/test-model). */
  static Path model() {
    String path = System.getProperty("maverick.stt.test-model");
    if (path == null || !Files.isDirectory(Path.of(path, "am"))) {
      throw new IllegalStateException("no test model at " + path + ": run the tests with mvn (it unpacks the model)");
    }
    return Path.of(path);
  }

  /** A fixture file. */
  static Path file(String name) {
    try {
      var url = Speech.class.getResource("/audio/" + name);
      if (url == null) {
        throw new IllegalStateException("no fixture audio/" + name);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The directory of the fixtures. */
  static Path fixtures() {
    return file("phrases.txt").getParent();
  }

  /** A phrase's WAV (16 kHz mono, padded). */
  static Path wav(String slug) {
    return file(slug + ".wav");
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The samples of a WAV, without header, and their format. */
  static AudioInputStream decode(Path file) {
    try {
      return AudioSystem.getAudioInputStream(file.toFile());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same audio with each sample duplicated into two channels. */
  static byte[] stereo(byte[] mono16) {
    byte[] out = new byte[mono16.length * 2];
    for (int i = 0, o = 0; i + 1 < mono16.length; i += 2, o += 4) {
      out[o] = mono16[i];
      out[o + 1] = mono16[i + 1];
      out[o + 2] = mono16[i];
      out[o + 3] = mono16[i + 1];
    }
    return out;
  }

  /** Writes PCM as WAV bytes. */
  static byte[] wavBytes(byte[] pcm, AudioFormat format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), format, pcm.length / format.getFrameSize()),
          AudioFileFormat.Type.WAVE, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
