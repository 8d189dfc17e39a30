package dev.maverick.handler.itest.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings of every set-up, in the order of the attack list: a table (attack | set-up | verdict
 * | figure) for the build's output, and the same table with each finding's details (sent, expected,
 * got, evidence) as Markdown in {@code target/attack-report.md}.
 */
final class AttackReport {
  private final List<String> order;
  private final List<Finding> findings = new ArrayList<>();
  private final Map<SetUp, String> notes = new LinkedHashMap<>();

  /** @param order the attacks' ids in the order they are listed */
  AttackReport(List<String> order) {
    this.order = List.copyOf(order);
  }

  synchronized void add(Finding finding) {
    findings.add(finding);
  }

  /** A line about a set-up as a whole (its address, start time, load). */
  synchronized void note(SetUp setUp, String text) {
    notes.merge(setUp, text, (a, b) -> a + "; " + b);
  }

  synchronized List<Finding> sorted() {
    return findings.stream().sorted(Comparator.<Finding>comparingInt(f -> order.indexOf(f.id))
        .thenComparing(f -> f.setUp)).toList();
  }

  synchronized List<Finding> failed(SetUp setUp) {
    return findings.stream().filter(f -> f.setUp == setUp && f.failed()).toList();
  }

  /** The table as plain text, one finding a line. */
  String table() {
    StringBuilder text = new StringBuilder("attack | set-up | verdict | figure\n");
    for (Finding f : sorted()) {
      text.append(f.id).append(' ').append(f.attack).append(" | ").append(f.setUp.label()).append(" | ")
          .append(f.verdict().text).append(" | ").append(f.figure()).append('\n');
    }
    return text.toString();
  }

  /** Writes the Markdown report. */
  synchronized void write(Path file) {
    StringBuilder md = new StringBuilder("# Attack report\n\n");
    md.append("The runnable jar attacked by `itests/security` (`AttackSuiteIT`), ").append(Instant.now())
        .append(". A verdict is `held` when every check of the evidence passed, `open` when one failed, `error` "
            + "when the attack could not be carried out, `n/a` when the set-up has nothing it aims at.\n\n");
    notes.forEach((setUp, text) -> md.append("- ").append(setUp.label()).append(": ").append(escape(text)).append('\n'));
    md.append("\n| attack | set-up | verdict | figure |\n|---|---|---|---|\n");
    for (Finding f : sorted()) {
      md.append("| ").append(f.id).append(' ').append(escape(f.attack)).append(" | ").append(f.setUp.label())
          .append(" | ").append(f.verdict() == Finding.Verdict.OPEN ? "**open**" : f.verdict().text).append(" | ")
          .append(escape(f.figure())).append(" |\n");
    }
    md.append("\n## Details\n");
    for (Finding f : sorted()) {
      md.append("\n### ").append(f.id).append(' ').append(escape(f.attack)).append(" — ").append(f.setUp.label())
          .append(": ").append(f.verdict().text).append("\n\n");
      md.append("- sent: ").append(escape(f.sent())).append('\n');
      md.append("- expected: ").append(escape(f.expected())).append('\n');
      f.gotList().forEach(line -> md.append("- got: ").append(escape(line)).append('\n'));
      f.evidenceList().forEach(line -> md.append("- evidence: ").append(escape(line)).append('\n'));
      md.append("- figure: ").append(escape(f.figure())).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, md, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Table cells hold no line breaks or bars; control characters are shown escaped. */
  static String escape(String text) {
    StringBuilder shown = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (c == '|') {
        shown.append("\\|");
      } else if (c == '\n') {
        shown.append("\\n");
      } else if (c == '\r') {
        shown.append("\\r");
      } else if (Character.isISOControl(c)) {
        shown.append(String.format("\\u%04x", c));
      } else {
        shown.appendCodePoint(c);
      }
    });
    return shown.toString();
  }
}
