package dev.maverick.handler.stt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.InvalidItemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fed paths are read only under {@code audio_dirs}, after {@code ..} and symbolic links are
 * resolved; every other path is refused with one message, whether or not it exists, and counted
 * as invalid.
 */
class AudioDirsTest extends HandlerTestSupport {

  @Test
  void aPathOutsideAudioDirsIsRefusedWithOneMessageWhetherOrNotItExists(@TempDir Path root) throws Exception {
    Path allowed = Files.createDirectories(root.resolve("allowed"));
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.copy(Speech.wav("kitchen-light"), allowed.resolve("ok.wav"));
    Path secret = Files.copy(Speech.wav("weather"), outside.resolve("secret.wav"));
    Files.writeString(outside.resolve("three.txt"), "abc");
    Files.createSymbolicLink(allowed.resolve("link-out.wav"), secret);
    Files.createSymbolicLink(allowed.resolve("dangling.wav"), outside.resolve("nothing.wav"));
    Files.createDirectories(allowed.resolve("sub.wav"));
    SpeechToTextHandler stt = handler("dirs", Map.of("grammar", Speech.GRAMMAR, "audio_dirs", List.of(allowed.toString())),
        library);

    List<Path> refused = List.of(secret, outside.resolve("three.txt"), outside.resolve("missing.wav"),
        allowed.resolve("../outside/secret.wav"), allowed.resolve("link-out.wav"), allowed.resolve("dangling.wav"),
        allowed.resolve("missing.wav"), allowed.resolve("sub.wav"), Path.of("/etc/shadow"), Path.of("/etc/hostname"),
        Path.of("relative.wav"));
    List<String> messages = new ArrayList<>();
    for (Path path : refused) {
      assertThat(stt.feed(path)).as(path.toString()).isFalse();
      InvalidItemException error = (InvalidItemException) org.assertj.core.api.Assertions.catchThrowable(
          () -> stt.generate(path.toString()));
      assertThat(error).as(path.toString()).isNotNull();
      messages.add(error.getMessage().replace(path.toString(), "<path>"));
    }
    assertThat(messages).as("one message for every refusal, the path aside").containsOnly(
        "handler 'dirs': '<path>' is not a readable audio file under audio_dirs (" + allowed.toRealPath() + ")");

    assertThat(stt.generate(allowed.resolve("ok.wav")).get("data")).isEqualTo("turn on the kitchen light");
    assertThat(stt.generate(allowed.resolve("./../allowed/ok.wav")).get("data"))
        .as("a path that leads back inside").isEqualTo("turn on the kitchen light");
    HandlerStats stats = balanced(stt);
    assertThat(stats.dropped(DropReason.INVALID)).isEqualTo(2L * refused.size());
    assertThat(stats.processedCount()).isEqualTo(2);
    assertThat(stats.errorCount()).isZero();
  }

  @Test
  void withoutAudioDirsNoPathIsReadButBytesAre() {
    Map<String, Object> properties = new HashMap<>(Map.of("grammar", Speech.GRAMMAR));
    properties.put("audio_dirs", List.of());
    SpeechToTextHandler stt = handler("no-dirs", properties, library);
    assertThatThrownBy(() -> stt.generate(Speech.wav("hello-world")))
        .isInstanceOf(InvalidItemException.class)
        .hasMessageContaining("audio file paths are not read: audio_dirs is empty");
    assertThatThrownBy(() -> stt.generate("/no/such/file.wav"))
        .hasMessageContaining("audio file paths are not read: audio_dirs is empty");
    assertThat(stt.generate(Speech.bytes(Speech.wav("hello-world"))).get("data")).isEqualTo("hello world");
    assertThat(stt.stats().dropped(DropReason.INVALID)).isEqualTo(2);
  }

  @Test
  void theReplayedSourceFileIsUnderTheSameRule(@TempDir Path root) throws Exception {
    Path outside = Files.copy(Speech.wav("two-commands"), root.resolve("two.wav"));
    SttKind kind = new SttKind();
    assertThatThrownBy(() -> kind.validate(Map.of("source", "file:" + outside)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("invalid value for 'source'")
        .hasMessageContaining("audio file paths are not read: audio_dirs is empty");
    assertThatThrownBy(() -> kind.validate(Map.of("source", "file:" + outside,
        "audio_dirs", new String[] {Speech.fixtures().toString()})))
        .hasMessageContaining("is not a readable audio file under audio_dirs");
    HandlerConfig inside = kind.validate(Map.of("source", "file:" + outside, "audio_dirs", "[\"" + root + "\"]"));
    assertThat(SttSettings.from(inside, new SttJson()).sourceFile()).isEqualTo(outside.toRealPath());
  }

  @Test
  void audioDirsMustBeAbsoluteExistingDirectories(@TempDir Path root) throws Exception {
    Path file = Files.writeString(root.resolve("file"), "x");
    SttKind kind = new SttKind();
    Map<Object, String> bad = Map.of(
        "relative/dir", "'relative/dir' is not an absolute path",
        new String[] {root.toString(), root.resolve("none").toString()}, "is not an existing directory",
        file.toString(), "'" + file + "' is not an existing directory",
        "[\"" + root + "\", 3]", "every element a non-blank string");
    bad.forEach((value, message) -> assertThatThrownBy(() -> kind.validate(Map.of("audio_dirs", value)))
        .as(message).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("invalid value for 'audio_dirs'")
        .hasMessageContaining("allowed: a list of absolute paths of existing directories")
        .hasMessageContaining(message));
  }
}
