package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemRequestTest {
  private final JsonCodec json = new JsonCodec();
  private final byte[] bytes = {1, 2, 3, 4};

  @Test
  void aMediaTypeIsLowerCaseWithoutParameters() {
    assertThat(ItemRequest.mediaType("Audio/WAV; codecs=1")).isEqualTo("audio/wav");
    assertThat(ItemRequest.mediaType(null)).isEmpty();
    assertThat(ItemRequest.isItemType("application/json")).isTrue();
    assertThat(ItemRequest.isItemType("application/jsonx")).isFalse();
  }

  @Test
  void aBinaryBodyIsTheItemWithItsContentTypeAndSampleRate() {
    ItemRequest wav = ItemRequest.of("audio/wav", bytes, null, json);
    assertThat(wav.item()).isSameAs(bytes);
    assertThat(wav.extra()).isEqualTo(Map.of("content_type", "audio/wav"));
    ItemRequest raw = ItemRequest.of("application/octet-stream", bytes, "sample_rate=16000&lang=en%20GB", json);
    assertThat(raw.extra()).isEqualTo(Map.of("content_type", "application/octet-stream", "sample_rate", 16000,
        "lang", "en GB"));
    assertThat(raw.extra().get("sample_rate")).isInstanceOf(Integer.class);
  }

  @Test
  void rawBytesNeedAGoodSampleRateAndParametersFollowTheKeyRule() {
    for (String query : new String[] {null, "", "sample_rate=7999", "sample_rate=48001", "sample_rate=x",
        "sample_rate=8000&sample_rate=8000"}) {
      assertThatThrownBy(() -> ItemRequest.of("application/octet-stream", bytes, query, json)).as(query)
          .isInstanceOf(AdminException.class).hasMessageContaining("sample_rate");
    }
    assertThatThrownBy(() -> ItemRequest.of("audio/wav", bytes, "Service.Pid=1", json))
        .hasMessageContaining("Service.Pid");
    assertThatThrownBy(() -> ItemRequest.of("audio/wav", bytes, "content_type=text/plain", json))
        .hasMessageContaining("content_type");
    assertThatThrownBy(() -> ItemRequest.of("audio/wav", bytes, "a%zz=1", json)).hasMessageContaining("malformed");
  }

  @Test
  void aJsonBodyHoldsItemAndExtra() {
    ItemRequest item = ItemRequest.of("application/json", "{\"item\": 42, \"extra\": {\"k\": \"v\"}}"
        .getBytes(StandardCharsets.UTF_8), null, json);
    assertThat(item.item()).isEqualTo(42);
    assertThat(item.extra()).isEqualTo(Map.of("k", "v"));
    assertThatThrownBy(() -> ItemRequest.of("application/json", "{\"item\": 1}".getBytes(StandardCharsets.UTF_8),
        "sample_rate=8000", json)).hasMessageContaining("binary body only");
  }
}
