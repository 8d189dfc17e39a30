package dev.maverick.handler.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time the benchmark's JVM used per operation ({@code cpu.time.norm}, ns/op): every thread
 * of the fork, the handler's worker and the benchmark's producer and consumer included, divided
 * by the operations of the iteration. On a machine shared with other work, a thread that waits
 * for a core loses wall time but uses no CPU, so this figure moves much less than a throughput
 * when neighbours come and go; parking and waking threads is part of it. It also counts the JIT
 * and the GC, the same on both sides of a comparison.
 *
 * <p>Also the parking measure, {@code wakeups.norm} (wake-ups/op): voluntary context switches of
 * all the fork's threads per operation, read before and after each iteration; a thread that parks
 * and is woken again counts one. On Linux from {@code getrusage(RUSAGE_SELF)} ({@code ru_nvcsw},
 * through JNA), which keeps the counts of threads that ended: JMH runs a trial's {@code @TearDown}
 * inside the last iteration, before {@link #afterIteration}, and a pipeline's threads end there.
 * Otherwise, the sum of {@code voluntary_ctxt_switches} over {@code /proc/self/task/*}{@code
 * /status}, per thread the count after minus the count before (a thread started meanwhile counts
 * from zero; one that ended meanwhile is missing, so the last iteration is counted short). Where
 * neither can be read, this result is left out.
 */
public final class CpuTimeProfiler implements InternalProfiler {

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final String VOLUNTARY = "voluntary_ctxt_switches:";

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuAtStart;
  private Map<String, Long> switchesAtStart;
  private long rusageAtStart;

  @Override
  public String getDescription() {
    return "process CPU time and voluntary context switches per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    rusageAtStart = Rusage.voluntarySwitches();
    switchesAtStart = rusageAtStart < 0 ? voluntarySwitches() : null;
    cpuAtStart = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
      IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpuAtStart;
    long rusageAtEnd = rusageAtStart < 0 ? -1 : Rusage.voluntarySwitches();
    Map<String, Long> switchesAtEnd = switchesAtStart == null ? null : voluntarySwitches();
    long ops = result.getMetadata().getAllOps();
    if (ops <= 0) {
      return List.of();
    }
    List<Result> results = new ArrayList<>();
    results.add(new ScalarResult("cpu.time.norm", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    if (rusageAtStart >= 0 && rusageAtEnd >= 0) {
      results.add(new ScalarResult("wakeups.norm", (double) (rusageAtEnd - rusageAtStart) / ops, "wakeups/op",
          AggregationPolicy.AVG));
    } else if (switchesAtStart != null && switchesAtEnd != null) {
      long switches = 0;
      for (Map.Entry<String, Long> thread : switchesAtEnd.entrySet()) {
        switches += thread.getValue() - switchesAtStart.getOrDefault(thread.getKey(), 0L);
      }
      results.add(new ScalarResult("wakeups.norm", (double) switches / ops, "wakeups/op", AggregationPolicy.AVG));
    }
    return results;
  }

  /** {@code getrusage(RUSAGE_SELF)}'s voluntary context switches, of every thread alive or ended; Linux only. */
  static final class Rusage {
    /** The C library's function; null where it cannot be loaded. */
    private static final LibC LIBC = load();

    /** The C library, for {@code getrusage}. */
    public interface LibC extends Library {
      int getrusage(int who, Memory usage);
    }

    private Rusage() {}

    private static LibC load() {
      try {
        return Platform.isLinux() ? Native.load(Platform.C_LIBRARY_NAME, LibC.class) : null;
      } catch (RuntimeException | LinkageError unavailable) {
        return null;
      }
    }

    /** {@code ru_nvcsw} of the process so far, or -1 when it cannot be read. */
    static long voluntarySwitches() {
      if (LIBC == null) {
        return -1;
      }
      // struct rusage on Linux: two struct timeval (two longs each), then 14 longs; ru_nvcsw is the 13th
      int word = Native.LONG_SIZE;
      Memory usage = new Memory(18L * word);
      if (LIBC.getrusage(0 /* RUSAGE_SELF */, usage) != 0) {
        return -1;
      }
      return word == 8 ? usage.getLong(16L * word) : usage.getInt(16L * word);
    }
  }

  /** Voluntary context switches so far, by thread id; null when {@code /proc} cannot be read. */
  static Map<String, Long> voluntarySwitches() {
    Map<String, Long> byThread = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        List<String> lines;
        try {
          lines = Files.readAllLines(task.resolve("status"));
        } catch (IOException endedMeanwhile) {
          continue;
        }
        for (String line : lines) {
          if (line.startsWith(VOLUNTARY)) {
            byThread.put(task.getFileName().toString(), Long.parseLong(line.substring(VOLUNTARY.length()).trim()));
            break;
          }
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
    return byThread.isEmpty() ? null : byThread;
  }
}
