package dev.maverick.handler.internal;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a handler's queues hold for an item or a result: the value itself in the common case (no
 * extras, no failure callback: no allocation, 4 bytes per queued element), else an envelope with
 * its extras and, for an item given to {@code offer}, the callback to tell if it fails. Users
 * cannot make an Envelope (this package is not exported), so a value is never mistaken for one;
 * null needs one (queues hold no null).
 */
public final class Envelope {
  /** The JDK's immutable map classes ({@code Map.of} with one entry, and with more): extras that need no copy. */
  private static final Class<?> IMMUTABLE_MAP_1 = Map.of("k", 1).getClass();
  private static final Class<?> IMMUTABLE_MAP_N = Map.of("k", 1, "l", 2).getClass();

  private final Object value;
  private final Map<String, ?> extra;
  private final Consumer<? super Throwable> onFailure;

  private Envelope(Object value, Map<String, ?> extra, Consumer<? super Throwable> onFailure) {
    this.value = value;
    this.extra = extra;
    this.onFailure = onFailure;
  }

  /** What to queue for {@code value} with its frozen extras and an optional failure callback. */
  public static Object wrap(Object value, Map<String, ?> frozenExtra, Consumer<? super Throwable> onFailure) {
    return value != null && frozenExtra.isEmpty() && onFailure == null
        ? value : new Envelope(value, frozenExtra, onFailure);
  }

  /** The value of a queued element. */
  public static Object valueOf(Object queued) {
    return queued instanceof Envelope envelope ? envelope.value : queued;
  }

  /** The frozen extras of a queued element, empty when it has none. */
  public static Map<String, ?> extraOf(Object queued) {
    return queued instanceof Envelope envelope ? envelope.extra : Map.of();
  }

  /** The failure callback of a queued element, or null. */
  public static Consumer<? super Throwable> onFailureOf(Object queued) {
    return queued instanceof Envelope envelope ? envelope.onFailure : null;
  }

  /**
   * An unmodifiable snapshot of the caller's extras, so that a caller changing its map later does
   * not change a queued item's. A map that cannot change is kept as it is: one from {@code Map.of}
   * or {@code Map.copyOf} (which hold no null), or one this method made (a result's extras passed
   * on to another handler); copying cost about 40 ns and 176 bytes per call.
   */
  public static Map<String, ?> freeze(Map<String, ?> extra) {
    if (extra == null || extra.isEmpty()) {
      return Map.of();
    }
    Class<?> type = extra.getClass();
    if (type == IMMUTABLE_MAP_1 || type == IMMUTABLE_MAP_N || type == Frozen.class) {
      return extra;
    }
    return new Frozen(new LinkedHashMap<>(extra));
  }

  /** A copy nobody else holds, seen through an unmodifiable view: it cannot change. */
  private static final class Frozen extends AbstractMap<String, Object> {
    private final Map<String, Object> copy;

    Frozen(LinkedHashMap<String, ?> copy) {
      this.copy = Collections.unmodifiableMap(copy);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return copy.entrySet();
    }

    @Override
    public Object get(Object key) {
      return copy.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return copy.containsKey(key);
    }

    @Override
    public int size() {
      return copy.size();
    }
  }
}
