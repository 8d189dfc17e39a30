package dev.maverick.handler.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the building blocks of the handler's hot path cost on this machine, to read a profile
 * against: a clock read, a counter increment, a volatile and a release store. Not part of the
 * suite (the figures have no baseline); run with {@code --jmh Primitives}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class Primitives {

  private static final VarHandle PLAIN;

  static {
    try {
      PLAIN = MethodHandles.lookup().findVarHandle(Primitives.class, "plain", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LongAdder adder = new LongAdder();
  private volatile long volatileField;
  private long plain;

  @Benchmark
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }

  @Benchmark
  public void longAdderIncrement() {
    adder.increment();
  }

  @Benchmark
  public void volatileStore() {
    volatileField = plain++;
  }

  @Benchmark
  public void releaseStore() {
    PLAIN.setRelease(this, plain + 1);
  }
}
