package dev.maverick.handler.testing.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a keyed stream delivered at least once: within each key, items carry sequence numbers
 * {@code 0, 1, 2, ...} in the order they were produced. A sequence number seen again is a
 * duplicate (a replay after a crash: allowed, counted); one that arrives before a smaller one
 * arrived for the first time breaks the order of its key (a violation, described); one never seen
 * is missing (a loss).
 *
 * <p>Replays keep order: a runtime killed after delivering 4 and 5 of a key but before committing
 * them makes its successor deliver 4, 5, 6, ...: the stream {@code 3 4 5 4 5 6} has two
 * duplicates and no violation.
 */
public final class OrderChecker {
  private final Map<String, KeyState> keys = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private long records;
  private long duplicates;

  private static final class KeyState {
    /** The smallest sequence number not seen yet: every one below it has been seen. */
    long next;
    /** Seen, but above {@link #next}: arrived before a smaller one did. */
    final TreeSet<Long> ahead = new TreeSet<>();
    long duplicates;
  }

  /** Takes the next record of the stream. */
  public synchronized void accept(String key, long sequence) {
    records++;
    KeyState state = keys.computeIfAbsent(key, k -> new KeyState());
    if (sequence < state.next || state.ahead.contains(sequence)) {
      duplicates++;
      state.duplicates++;
      return;
    }
    if (sequence == state.next) {
      state.next++;
      while (state.ahead.remove(state.next)) {
        state.next++;
      }
      return;
    }
    state.ahead.add(sequence);
    if (violations.size() < 100) {
      violations.add("key " + key + ": " + sequence + " arrived before " + state.next);
    }
  }

  /** Records taken so far. */
  public synchronized long records() {
    return records;
  }

  /** Records whose key and sequence number had been taken before. */
  public synchronized long duplicates() {
    return duplicates;
  }

  /** Distinct (key, sequence) pairs taken. */
  public synchronized long distinct() {
    return records - duplicates;
  }

  /** The first 100 breaks of order, in words; empty when every key kept its order. */
  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** Duplicates per key, for the keys that have any. */
  public synchronized Map<String, Long> duplicatesPerKey() {
    Map<String, Long> perKey = new TreeMap<>();
    keys.forEach((key, state) -> {
      if (state.duplicates > 0) {
        perKey.put(key, state.duplicates);
      }
    });
    return perKey;
  }

  /**
   * What was never seen, per key: for a key expected to carry sequence numbers {@code 0} to
   * {@code n - 1}, the numbers missing among them (at most 20 shown per key).
   *
   * @param expected the number of items produced per key
   */
  public synchronized Map<String, List<Long>> missing(Map<String, Long> expected) {
    Map<String, List<Long>> missing = new TreeMap<>();
    expected.forEach((key, count) -> {
      KeyState state = keys.get(key);
      List<Long> absent = new ArrayList<>();
      for (long sequence = state == null ? 0 : state.next; sequence < count && absent.size() < 20; sequence++) {
        if (state == null || !state.ahead.contains(sequence)) {
          absent.add(sequence);
        }
      }
      if (!absent.isEmpty()) {
        missing.put(key, absent);
      }
    });
    return missing;
  }

  @Override
  public synchronized String toString() {
    return records + " records, " + distinct() + " distinct, " + duplicates + " duplicates, "
        + violations.size() + " order violations over " + keys.size() + " keys";
  }
}
