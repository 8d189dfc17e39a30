package dev.maverick.handler.itest.security;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The adversarial suite of issue 9: the runnable jar ({@code features/runtime/target/maverick-runtime.jar})
 * started once per set-up, each in an empty directory of its own on a free port, and attacked as an
 * attacker would, over raw HTTP: (a) on loopback without a token, its defaults; (b) bound beyond
 * loopback (the address of the default route's interface, else 0.0.0.0) without a token; (c) bound
 * beyond loopback with an {@code admin_token}. Every attack of the list and of its faults, and
 * the suite's own, is one finding per set-up with its evidence and figure; the table is printed and
 * written to {@code target/attack-report.md}; a set-up with an attack open (or one that could not be
 * carried out) fails.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class AttackSuiteIT {
  /** In the order they run: the slow ones (threads, starvation, the log flood) last. */
  static final List<Attack> ATTACKS = attacks();
  static final AttackReport REPORT = new AttackReport(ATTACKS.stream().map(Attack::id).toList());

  private static List<Attack> attacks() {
    List<Attack> all = new ArrayList<>();
    all.addAll(DoorAttacks.all());
    all.addAll(KeyAttacks.all());
    all.addAll(SecretAttacks.all());
    all.addAll(SpeechAttacks.all());
    all.addAll(LimitAttacks.all());
    return List.copyOf(all);
  }

  @Test
  public void a_loopbackWithoutATokenHoldsAgainstEveryAttack() throws Exception {
    attack(SetUp.LOOPBACK);
  }

  @Test
  public void b_boundBeyondLoopbackWithoutATokenHoldsAgainstEveryAttack() throws Exception {
    attack(SetUp.EXPOSED);
  }

  @Test
  public void c_beyondLoopbackWithATokenHoldsAgainstEveryAttack() throws Exception {
    attack(SetUp.TOKEN);
  }

  @AfterClass
  public static void report() {
    Path file = reportFile();
    REPORT.write(file);
    System.out.println("\n==== attack report (" + file + ") ====\n" + REPORT.table());
  }

  private static void attack(SetUp setUp) throws Exception {
    Path dir = workDir(setUp);
    long started = System.nanoTime();
    try (Target target = Target.start(setUp, dir)) {
      REPORT.note(setUp, "bound to " + target.bindHost + ":" + target.process.httpPort + ", handlers active "
          + target.readyMillis + " ms after java, threads at start " + target.threads() + ", load average "
          + loadAverage());
      for (Attack attack : ATTACKS) {
        long start = System.nanoTime();
        Finding finding = attack.against(target);
        REPORT.add(finding);
        System.out.printf("%s %-4s %-5s %6d ms  %s%n", setUp.label(), attack.id(), finding.verdict().text,
            (System.nanoTime() - start) / 1_000_000, finding.figure());
      }
    } finally {
      REPORT.note(setUp, "whole set-up " + (System.nanoTime() - started) / 1_000_000 + " ms");
      REPORT.write(reportFile());
    }
    List<Finding> failed = REPORT.failed(setUp);
    assertTrue(setUp.label() + ": " + failed.size() + " attack(s) not held:\n" + failed.stream()
        .map(f -> f.id + " " + f.attack + ": " + f.verdict().text + ": " + f.figure()).collect(Collectors.joining("\n")),
        failed.isEmpty());
  }

  private static Path reportFile() {
    return Path.of(System.getProperty("maverick.attack.report", "target/attack-report.md"));
  }

  private static Path workDir(SetUp setUp) throws IOException {
    Path root = Path.of(System.getProperty("maverick.itest.work", "target/itest-work"));
    Files.createDirectories(root);
    return Files.createTempDirectory(root, "attack-" + setUp.letter() + "-");
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
