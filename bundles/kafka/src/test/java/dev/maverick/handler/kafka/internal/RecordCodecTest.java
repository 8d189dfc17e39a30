package dev.maverick.handler.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private final RecordCodec codec = new RecordCodec();

  @Test
  void anItemIsWrittenAsJsonAndReadBackAsTheSameValue() throws Exception {
    Map<String, Object> item = Map.of("robot", "r1", "seq", 3, "words", List.of("a", "b"));
    byte[] value = codec.value(item);
    assertThat(new String(value, StandardCharsets.UTF_8)).contains("\"robot\":\"r1\"");
    assertThat(codec.read(value, headers(RecordCodec.contentType(item)))).isEqualTo(item);
    assertThat(codec.read(codec.value("text"), headers(RecordCodec.contentType("text")))).isEqualTo("text");
    assertThat(codec.read(codec.value(42), headers(RecordCodec.contentType(42)))).isEqualTo(42);
  }

  @Test
  void bytesAreWrittenAsTheyAreAndStayBytes() throws Exception {
    byte[] audio = {1, 2, 3, '{'};
    assertThat(codec.value(audio)).isSameAs(audio);
    assertThat(codec.read(audio, headers(RecordCodec.contentType(audio)))).isEqualTo(audio);
    byte[] jsonLooking = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(codec.read(jsonLooking, headers(RecordCodec.contentType(jsonLooking))))
        .as("marked as bytes by the sink: not parsed").isEqualTo(jsonLooking);
  }

  @Test
  void anotherProducersJsonObjectOrArrayIsParsedAndAnythingElseStaysBytes() {
    assertThat(codec.read(" {\"a\": [1, 2]}".getBytes(StandardCharsets.UTF_8), new RecordHeaders()))
        .isEqualTo(Map.of("a", List.of(1, 2)));
    assertThat(codec.read("[1]".getBytes(StandardCharsets.UTF_8), null)).isEqualTo(List.of(1));
    byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
    assertThat(codec.read(text, null)).isEqualTo(text);
    byte[] broken = "{\"a\":".getBytes(StandardCharsets.UTF_8);
    assertThat(codec.read(broken, null)).isEqualTo(broken);
    byte[] trailing = "{} {}".getBytes(StandardCharsets.UTF_8);
    assertThat(codec.read(trailing, null)).isEqualTo(trailing);
  }

  @Test
  void aTombstoneOrJsonNullIsNoResult() throws Exception {
    assertThat(codec.read(null, null)).isNull();
    assertThat(codec.read(codec.value(null), headers(RecordCodec.contentType(null)))).isNull();
  }

  @Test
  void keysAreTextBytesOrJson() throws Exception {
    assertThat(codec.key("r1")).isEqualTo("r1".getBytes(StandardCharsets.UTF_8));
    assertThat(codec.key(17L)).isEqualTo("17".getBytes(StandardCharsets.UTF_8));
    assertThat(codec.key(Map.of("a", 1))).isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anItemJacksonCannotWriteIsRefused() {
    assertThatThrownBy(() -> codec.value(new Object())).isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
  }

  private static RecordHeaders headers(org.apache.kafka.common.header.Header header) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(header);
    return headers;
  }
}
