package dev.maverick.handler;

import dev.maverick.handler.internal.HandoverStore;
import dev.maverick.handler.internal.HandoverStore.Parcel;
import dev.maverick.handler.internal.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Hands objects from a component that is going away to its successor, as handlers hand their
 * queued items over ({@link ArchitectureHandler#closeAndHandOver}): for components that are not
 * handlers, such as a wire with items in its buffers when its bundle is updated.
 *
 * <p>The objects are kept by the core bundle, which stays installed while other bundles are
 * updated, under a key: the component's configuration PID is the natural one. Handlers park under
 * their own PIDs in the same store, so a key must not be a handler's PID. A successor
 * {@linkplain #claim claims} them; what nobody claims within its lifetime is given to the
 * {@code expired} callback, which counts it as dropped in the parker's own books (and settles any
 * {@link TakenResult} among it). Parking under a key that already holds unclaimed objects expires
 * those at once.
 *
 * <p>The objects stay what they are: a {@link TakenResult} parked here can be settled by the
 * successor that claims it. Keep the objects to classes the successor can see (the core's API,
 * the JDK's): an object of a class from the parker's bundle keeps that bundle revision reachable
 * until it is claimed, and the successor, loaded from a new revision, cannot cast it.
 */
public final class Handover {

  private Handover() {}

  /**
   * Parks objects for a successor. An empty list parks nothing.
   *
   * @param key what the successor will claim them by, e.g. the configuration PID
   * @param owner who parks them, for log lines, e.g. {@code wire 'voice'}
   * @param objects the objects, in order
   * @param lifetime how long they wait for a successor before they expire
   * @param expired called once with the objects if nobody claims them in time (on the store's
   *     own thread, or on the caller's when a newer park replaces them); it counts them dropped
   * @throws IllegalArgumentException if the lifetime is negative
   */
  public static void park(String key, String owner, List<?> objects, Duration lifetime,
      Consumer<? super List<Object>> expired) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(expired, "expired");
    if (lifetime.isNegative()) {
      throw new IllegalArgumentException("lifetime must be zero or positive; got " + lifetime);
    }
    if (objects.isEmpty()) {
      return;
    }
    List<Object> parked = Collections.unmodifiableList(new ArrayList<>(objects));
    long deadline = System.nanoTime() + Waits.saturatedNanos(lifetime); // compared by difference: no overflow
    HandoverStore.instance().park(key, new Parcel(owner, parked, List.of(), deadline, () -> expired.accept(parked)));
  }

  /**
   * Takes what was parked under {@code key}: the objects in their order, or an empty list when
   * nothing waits (never parked, claimed already, or expired). A parcel is claimed once.
   */
  public static List<Object> claim(String key) {
    Parcel parcel = HandoverStore.instance().claim(Objects.requireNonNull(key, "key"));
    if (parcel == null) {
      return List.of();
    }
    if (parcel.results().isEmpty()) {
      return parcel.items();
    }
    List<Object> all = new ArrayList<>(parcel.items());
    all.addAll(parcel.results());
    return Collections.unmodifiableList(all);
  }
}
