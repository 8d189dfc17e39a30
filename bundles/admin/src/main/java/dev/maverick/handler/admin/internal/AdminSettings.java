package dev.maverick.handler.admin.internal;

import dev.maverick.handler.InvalidConfigurationException;
import java.time.Duration;
import java.util.Optional;

/**
 * The admin's configuration, checked: what {@link AdminConfig} holds, with the rules applied.
 *
 * @param adminToken the bearer token HTTP writes must carry, if set (a secret: never log it)
 * @param maxBodyBytes the largest request body accepted
 * @param maxResultTimeout the longest result wait a client may ask for
 * @param applyTimeout how long writes wait to see a handler apply a change
 */
record AdminSettings(Optional<String> adminToken, int maxBodyBytes, Duration maxResultTimeout, Duration applyTimeout) {

  /** The defaults, as with no configuration. */
  static final AdminSettings DEFAULTS =
      new AdminSettings(Optional.empty(), 1_048_576, Duration.ofSeconds(60), Duration.ofSeconds(10));

  /**
   * Checks a configuration.
   *
   * @throws InvalidConfigurationException naming the key, the value and what is allowed
   */
  static AdminSettings from(AdminConfig config) {
    String token = config.admin__token() == null ? "" : config.admin__token().trim();
    if (config.max__body__bytes() < 1) {
      throw new InvalidConfigurationException("max_body_bytes", config.max__body__bytes(), "an integer >= 1")
          .withPid(AdminConfig.PID);
    }
    return new AdminSettings(token.isEmpty() ? Optional.empty() : Optional.of(token), config.max__body__bytes(),
        seconds("max_result_timeout", config.max__result__timeout()),
        seconds("apply_timeout", config.apply__timeout()));
  }

  private static Duration seconds(String key, double seconds) {
    if (!(seconds >= 0) || seconds > 3600) {
      throw new InvalidConfigurationException(key, seconds, "a number of seconds from 0 to 3600, decimals allowed")
          .withPid(AdminConfig.PID);
    }
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  @Override
  public String toString() {
    // never print the token itself
    return "AdminSettings[admin_token=" + (adminToken.isPresent() ? "set" : "not set") + ", max_body_bytes="
        + maxBodyBytes + ", max_result_timeout=" + maxResultTimeout + ", apply_timeout=" + applyTimeout + "]";
  }
}
