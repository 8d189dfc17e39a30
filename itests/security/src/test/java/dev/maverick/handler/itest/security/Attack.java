package dev.maverick.handler.itest.security;

/**
 * One attack of the list: an id (issue 9's point, {@code F} for its "faults found in the same run",
 * {@code X} for the suite's own), what it tries, and how it is carried out against a target, filling
 * in a finding with what was sent, what came back, the evidence and its checks.
 */
record Attack(String id, String title, Step step) {
  /** Carries the attack out. */
  interface Step {
    void run(Target target, Finding finding) throws Exception;
  }

  /** Runs the attack on a target; whatever goes wrong is the finding's error, never the suite's end. */
  Finding against(Target target) {
    Finding finding = new Finding(id, title, target.setUp);
    try {
      step.run(target, finding);
    } catch (Exception | AssertionError e) {
      finding.error(e);
    }
    return finding;
  }
}
