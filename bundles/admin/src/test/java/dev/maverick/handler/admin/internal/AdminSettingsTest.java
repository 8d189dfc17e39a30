package dev.maverick.handler.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.InvalidConfigurationException;
import java.lang.annotation.Annotation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {

  @Test
  void aBlankTokenIsNoTokenAndTheTokenIsNeverPrinted() {
    assertThat(AdminSettings.from(config(" ", 10, 1, 2)).adminToken()).isEmpty();
    AdminSettings settings = AdminSettings.from(config("s3cret", 10, 1.5, 2));
    assertThat(settings.adminToken()).contains("s3cret");
    assertThat(settings.maxResultTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(settings.toString()).doesNotContain("s3cret").contains("admin_token=set");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> AdminSettings.from(config("", 0, 1, 1)))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("max_body_bytes");
    assertThatThrownBy(() -> AdminSettings.from(config("", 10, -1, 1))).hasMessageContaining("max_result_timeout");
    assertThatThrownBy(() -> AdminSettings.from(config("", 10, 1, Double.NaN))).hasMessageContaining("apply_timeout");
  }

  private static AdminConfig config(String token, int body, double result, double apply) {
    return new AdminConfig() {
      @Override
      public Class<? extends Annotation> annotationType() {
        return AdminConfig.class;
      }

      @Override
      public String admin__token() {
        return token;
      }

      @Override
      public int max__body__bytes() {
        return body;
      }

      @Override
      public double max__result__timeout() {
        return result;
      }

      @Override
      public double apply__timeout() {
        return apply;
      }

      @Override
      public String[] allowed__hosts() {
        return AllowedHosts.LOOPBACK.toArray(new String[0]);
      }

      @Override
      public boolean metrics__public() {
        return false;
      }

      @Override
      public double body__timeout() {
        return 10;
      }

      @Override
      public int max__result__waits() {
        return 16;
      }

      @Override
      public int max__result__waits__per__handler() {
        return 4;
      }

      @Override
      public int max__total__worker__threads() {
        return 0;
      }
    };
  }
}
