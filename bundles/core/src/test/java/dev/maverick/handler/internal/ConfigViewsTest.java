package dev.maverick.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.HandlerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigViewsTest {

  @Test
  void theDisplayMasksSecretsHidesCodeAndShowsEffectiveValues() {
    HandlerConfig config = HandlerConfig.builder().auth("s3cret").maxQueueSize(9)
        .generateResultsCallback((item, extra) -> item)
        .set("api_token", "t0ken").set("grammar", new String[] {"yes", "no"}).build();
    Map<String, Object> shown = ConfigViews.display(config);
    assertThat(shown).containsEntry("auth", HandlerConfig.MASK).containsEntry("api_token", HandlerConfig.MASK)
        .containsEntry("generate_results_callback", "<code>").containsEntry("result_queue_size", 9)
        .containsEntry("result_overflow_policy", "drop_newest").containsEntry("grammar", List.of("yes", "no"));
    assertThat(shown.toString()).doesNotContain("s3cret", "t0ken");
  }

  @Test
  void twoConfigurationsAreTheSameWhenTheirFormsAreArraysByContent() {
    HandlerConfig a = HandlerConfig.builder().set("grammar", new String[] {"yes"}).build();
    HandlerConfig b = HandlerConfig.builder().set("grammar", new String[] {"yes"}).build();
    HandlerConfig c = HandlerConfig.builder().set("grammar", new String[] {"no"}).build();
    assertThat(ConfigViews.sameForms(a.toMap(), b.toMap())).isTrue();
    assertThat(ConfigViews.sameForms(a.toMap(), c.toMap())).isFalse();
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }
}
