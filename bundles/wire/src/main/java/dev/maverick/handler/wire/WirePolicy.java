package dev.maverick.handler.wire;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a wire does when a target's buffer is full: the {@code policy} key. */
public enum WirePolicy {
  /** Wait for room: the wire stops reading, and backpressure reaches the source; nothing is dropped. The default. */
  BLOCK,
  /** Drop the new result for that target, counted {@link WireDropReason#BUFFER_FULL}. */
  DROP_NEWEST,
  /** Drop the oldest buffered result of that target to make room, counted {@link WireDropReason#EVICTED}. */
  DROP_OLDEST;

  /** The value as written in configuration: {@code block}, {@code drop_newest}, {@code drop_oldest}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy written {@code key} (without case), if there is one. */
  public static Optional<WirePolicy> of(String key) {
    return Arrays.stream(values()).filter(policy -> policy.key().equalsIgnoreCase(key)).findFirst();
  }

  @Override
  public String toString() {
    return key();
  }
}
