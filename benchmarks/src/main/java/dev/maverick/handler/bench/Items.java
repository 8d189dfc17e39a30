package dev.maverick.handler.bench;

/**
 * Items made before any measurement starts, so that no benchmark measures the boxing of its own
 * items. {@link #get(long)} cycles through a pool far larger than any queue in a benchmark.
 */
public final class Items {

  /** The pool size, a power of two. */
  public static final int POOL = 1 << 16;

  private static final int MASK = POOL - 1;
  private static final Integer[] ITEMS = new Integer[POOL];

  static {
    for (int i = 0; i < POOL; i++) {
      ITEMS[i] = Integer.valueOf(i);
    }
  }

  private Items() {}

  /** The item of sequence number {@code sequence}; its value is {@link #slot(long)}. */
  public static Integer get(long sequence) {
    return ITEMS[slot(sequence)];
  }

  /** The pool slot of sequence number {@code sequence}. */
  public static int slot(long sequence) {
    return (int) (sequence & MASK);
  }
}
