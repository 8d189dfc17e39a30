package dev.maverick.handler.internal;

import dev.maverick.handler.TakenResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The results of one handler that a reader took and has not settled yet, and what settling one
 * does: count it settled, then run the handler's hook. A taken result keeps a reference to this,
 * not to the reader, so it can be settled by anyone, later, also after the reader is gone.
 */
public final class Settlement {
  private final LongAdder unsettled = new LongAdder();
  private final BiConsumer<Object, Map<String, ?>> hook;

  /** @param hook runs once per settled result, with its value and extras (the handler's hookResultSettled) */
  public Settlement(BiConsumer<Object, Map<String, ?>> hook) {
    this.hook = hook;
  }

  /** A queued element as taken: counted unsettled before anyone can settle it. */
  public <R> TakenResult<R> taken(Object queued) {
    unsettled.increment();
    @SuppressWarnings("unchecked")
    R value = (R) Envelope.valueOf(queued);
    return new Taken<>(this, value, Envelope.extraOf(queued));
  }

  /** Results taken and not settled yet. */
  public long unsettled() {
    return unsettled.sum();
  }

  private void settle(Object value, Map<String, ?> extra) {
    unsettled.decrement();
    hook.accept(value, extra);
  }

  private static final class Taken<R> implements TakenResult<R> {
    private static final VarHandle SETTLED;

    static {
      try {
        SETTLED = MethodHandles.lookup().findVarHandle(Taken.class, "settled", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final Settlement settlement;
    private final R result;
    private final Map<String, ?> extra;
    @SuppressWarnings("unused") // through SETTLED
    private volatile boolean settled;

    Taken(Settlement settlement, R result, Map<String, ?> extra) {
      this.settlement = settlement;
      this.result = result;
      this.extra = extra;
    }

    @Override
    public R result() {
      return result;
    }

    @Override
    public Map<String, ?> extra() {
      return extra;
    }

    @Override
    public void settle() {
      if (SETTLED.compareAndSet(this, false, true)) {
        settlement.settle(result, extra);
      }
    }

    @Override
    public boolean isSettled() {
      return settled;
    }

    @Override
    public String toString() {
      return "TakenResult[" + result + (extra.isEmpty() ? "" : ", " + extra) + (settled ? ", settled]" : "]");
    }
  }
}
