package dev.maverick.handler.bench;

import java.util.Locale;

/**
 * One row of the results table, for the harnesses that measure a whole system (the runtime, the
 * network handler against a server, speech to text) rather than a JMH benchmark.
 *
 * @param number the benchmark's number in issue 5 and the README
 * @param figure what is measured, with its unit
 * @param handler the handler's figure
 * @param baseline the baseline's figure and what the baseline is, or "—"
 * @param comparison ratio or difference, or "—"
 * @param goal the goal, or "—"
 * @param met "yes", "**no**" or "—"
 */
record TableRow(String number, String figure, String handler, String baseline, String comparison, String goal,
    String met) {

  String[] cells() {
    return new String[] {number, figure, handler, baseline, comparison, goal, met};
  }

  /** "yes" or a bold "no", as the table writes it. */
  static String met(boolean met) {
    return met ? "yes" : "**no**";
  }

  /** A value in the table's number format. */
  static String format(String format, double value) {
    return String.format(Locale.ROOT, format, value);
  }
}
