package dev.maverick.handler;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a handler does when it offers an element to a full queue.
 *
 * <p>Every policy keeps the accounting law: an element that does not fit is counted as dropped
 * with a named {@link DropReason}, whether the policy discards it quietly, evicts an older one,
 * waits and gives up, or throws.
 */
public enum OverflowPolicy {
  /** Reject the element being offered and keep the queued ones: the seed's only behaviour. */
  DROP_NEWEST("drop_newest"),
  /** Evict the oldest queued element (counted as dropped) to make room for the new one. */
  DROP_OLDEST("drop_oldest"),
  /** Wait up to {@code offer_timeout} for room, then reject the new element. */
  BLOCK("block"),
  /** Reject the new element and throw {@link QueueFullException} to the caller. */
  FAIL("fail");

  private final String configValue;

  OverflowPolicy(String configValue) {
    this.configValue = configValue;
  }

  /** The name used in configuration files, the shell and HTTP, e.g. {@code drop_newest}. */
  public String configValue() {
    return configValue;
  }

  /**
   * Parses a configuration value, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static OverflowPolicy parse(String value) {
    String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (OverflowPolicy policy : values()) {
      if (policy.configValue.equals(wanted)) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "unknown overflow policy '" + value + "'; allowed: " + allowedValues());
  }

  /** The allowed configuration values, comma separated, for error messages and metatype. */
  public static String allowedValues() {
    return Arrays.stream(values()).map(OverflowPolicy::configValue).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return configValue;
  }
}
