package dev.maverick.handler.admin.internal;

import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.WorkerBudget;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The admin's configuration, checked: what {@link AdminConfig} holds, with the rules applied.
 *
 * @param adminToken the bearer token every API request must carry, if set (a secret: never log it)
 * @param allowedHosts the {@code Host} names served beside the bound address
 * @param metricsPublic whether {@code /metrics} is served without the token
 * @param maxBodyBytes the largest request body accepted
 * @param bodyTimeout how long a request body may take to arrive
 * @param maxResultTimeout the longest result wait a client may ask for
 * @param maxResultWaits how many requests may wait for a result at once, in total
 * @param maxResultWaitsPerHandler how many requests may wait for one handler's result at once
 * @param applyTimeout how long writes wait to see a handler apply a change
 * @param maxTotalWorkerThreads the runtime-wide worker thread limit to set, if this configuration sets one
 */
record AdminSettings(Optional<String> adminToken, AllowedHosts allowedHosts, boolean metricsPublic, int maxBodyBytes,
    Duration bodyTimeout, Duration maxResultTimeout, int maxResultWaits, int maxResultWaitsPerHandler,
    Duration applyTimeout, OptionalInt maxTotalWorkerThreads) {

  /** The defaults, as with no configuration. */
  static final AdminSettings DEFAULTS = new AdminSettings(Optional.empty(), AllowedHosts.of(AllowedHosts.LOOPBACK),
      false, 1_048_576, Duration.ofSeconds(10), Duration.ofSeconds(60), 16, 4, Duration.ofSeconds(10),
      OptionalInt.empty());

  /**
   * Checks a configuration.
   *
   * @throws InvalidConfigurationException naming the key, the value and what is allowed
   */
  static AdminSettings from(AdminConfig config) {
    String token = config.admin__token() == null ? "" : config.admin__token().trim();
    String[] hosts = config.allowed__hosts() == null ? new String[0] : config.allowed__hosts();
    return new AdminSettings(token.isEmpty() ? Optional.empty() : Optional.of(token),
        AllowedHosts.of(Arrays.asList(hosts)), config.metrics__public(),
        atLeastOne("max_body_bytes", config.max__body__bytes()),
        seconds("body_timeout", config.body__timeout()),
        seconds("max_result_timeout", config.max__result__timeout()),
        atLeastOne("max_result_waits", config.max__result__waits()),
        atLeastOne("max_result_waits_per_handler", config.max__result__waits__per__handler()),
        seconds("apply_timeout", config.apply__timeout()),
        workerLimit(config.max__total__worker__threads()));
  }

  /** 0 leaves the core's limit alone; a negative limit is an error. */
  private static OptionalInt workerLimit(int limit) {
    if (limit < 0) {
      throw new InvalidConfigurationException(WorkerBudget.LIMIT_KEY, limit,
          "an integer >= 1, or 0 to keep the limit the core started with").withPid(AdminConfig.PID);
    }
    return limit == 0 ? OptionalInt.empty() : OptionalInt.of(limit);
  }

  private static int atLeastOne(String key, int value) {
    if (value < 1) {
      throw new InvalidConfigurationException(key, value, "an integer >= 1").withPid(AdminConfig.PID);
    }
    return value;
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
    return "AdminSettings[admin_token=" + (adminToken.isPresent() ? "set" : "not set") + ", allowed_hosts="
        + allowedHosts + ", metrics_public=" + metricsPublic + ", max_body_bytes=" + maxBodyBytes + ", body_timeout="
        + bodyTimeout + ", max_result_timeout=" + maxResultTimeout + ", max_result_waits=" + maxResultWaits
        + ", max_result_waits_per_handler=" + maxResultWaitsPerHandler + ", apply_timeout=" + applyTimeout
        + ", max_total_worker_threads=" + (maxTotalWorkerThreads.isPresent() ? maxTotalWorkerThreads.getAsInt()
        : "as the core started") + "]";
  }
}
