package dev.maverick.handler.itest.security;

import java.util.ArrayList;
import java.util.List;

/**
 * One attack on one set-up: what was sent, what was expected, what came back, the evidence, and
 * the verdict that follows from it. The verdict is {@code held} when every check of the evidence
 * passed, {@code open} when one failed, {@code error} when the attack could not be carried out, and
 * {@code n/a} when the set-up has nothing the attack aims at (said why).
 */
final class Finding {
  enum Verdict {
    HELD("held"), OPEN("open"), ERROR("error"), NOT_APPLICABLE("n/a");

    final String text;

    Verdict(String text) {
      this.text = text;
    }
  }

  final String id;
  final String attack;
  final SetUp setUp;
  private String sent = "";
  private String expected = "";
  private final List<String> got = new ArrayList<>();
  private final List<String> evidence = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private String figure = "";
  private String notApplicable;
  private String error;

  Finding(String id, String attack, SetUp setUp) {
    this.id = id;
    this.attack = attack;
    this.setUp = setUp;
  }

  Finding sent(String text) {
    sent = text;
    return this;
  }

  Finding expected(String text) {
    expected = text;
    return this;
  }

  /** What came back (answers, statuses). */
  Finding got(String text) {
    got.add(text);
    return this;
  }

  /** A fact found on the machine: a file, a mode, a count, a timing. */
  Finding evidence(String text) {
    evidence.add(text);
    return this;
  }

  /** The one-line figure of the table. */
  Finding figure(String text) {
    figure = text;
    return this;
  }

  /** A check of the evidence: a false one makes the attack open, and says what was seen. */
  Finding check(boolean held, String what) {
    if (!held) {
      failures.add(what);
    }
    return this;
  }

  /** The set-up has nothing this attack aims at. */
  Finding notApplicable(String why) {
    notApplicable = why;
    return this;
  }

  /** The attack could not be carried out (the suite's problem, or the runtime's: either way, not held). */
  Finding error(Throwable cause) {
    error = cause.toString();
    return this;
  }

  Verdict verdict() {
    if (error != null) {
      return Verdict.ERROR;
    }
    if (!failures.isEmpty()) {
      return Verdict.OPEN;
    }
    return notApplicable != null ? Verdict.NOT_APPLICABLE : Verdict.HELD;
  }

  boolean failed() {
    return verdict() == Verdict.OPEN || verdict() == Verdict.ERROR;
  }

  String figure() {
    if (error != null) {
      return "could not be carried out: " + error;
    }
    if (!failures.isEmpty()) {
      return String.join("; ", failures) + (figure.isEmpty() ? "" : " (" + figure + ")");
    }
    return notApplicable != null ? notApplicable : figure;
  }

  String sent() {
    return sent;
  }

  String expected() {
    return expected;
  }

  List<String> gotList() {
    return got;
  }

  List<String> evidenceList() {
    return evidence;
  }
}
