package dev.maverick.handler;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a handler's threads wait for each other: a worker for an item, {@code getResult} for a
 * result, a producer under {@code block} for room ({@code wait_strategy}).
 *
 * <p>{@link #PARK} suits most machines: a waiting thread sleeps at once and is woken by the one
 * that gives it work, which costs a system call on each side but no CPU meanwhile. {@link #SPIN}
 * trades CPU for latency: a waiting thread first watches the queue for a few microseconds, then
 * yields, and only then sleeps; a peer that hands it work while it watches wakes nobody. It helps
 * where every thread of a pipeline has a core of its own (a producer, the workers and a consumer
 * on a machine with cores to spare), and hurts where threads outnumber cores (on two cores, a
 * spinning consumer takes the core the worker needs): measure before choosing it.
 */
public enum WaitStrategy {
  /** Sleep at once until woken (the default). */
  PARK("park"),
  /** Watch the queue a few microseconds, then yield, then sleep. */
  SPIN("spin");

  private final String configValue;

  WaitStrategy(String configValue) {
    this.configValue = configValue;
  }

  /** The name used in configuration files, the shell and HTTP. */
  public String configValue() {
    return configValue;
  }

  /**
   * Parses a configuration value, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static WaitStrategy parse(String value) {
    String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (WaitStrategy strategy : values()) {
      if (strategy.configValue.equals(wanted)) {
        return strategy;
      }
    }
    throw new IllegalArgumentException("unknown wait strategy '" + value + "'; allowed: " + allowedValues());
  }

  /** The allowed configuration values, comma separated. */
  public static String allowedValues() {
    return Arrays.stream(values()).map(WaitStrategy::configValue).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return configValue;
  }
}
