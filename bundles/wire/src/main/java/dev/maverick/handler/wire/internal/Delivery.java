package dev.maverick.handler.wire.internal;

import dev.maverick.handler.TakenResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One copy of a result on its way to one target (or to the dead letter): the item to offer, its
 * extras, and the result it came from, which is settled once every copy of it is done with
 * (dropped, dead-lettered, or delivered and then done with by the target: {@link #done()} is the
 * upstream settlement of the offer, run once the target's result for it is settled, or the item
 * ended there without one). A copy made for the dead letter after a target failed on an item it
 * had accepted settles nothing: the target's failure ends that item's journey, which settles it.
 * A copy is itself the upstream settlement its target is given ({@link #run()}), so that offering
 * it allocates nothing more.
 */
final class Delivery implements Runnable {
  final Object item;
  final Map<String, ?> extra;
  private final TakenResult<?> result;
  /** Copies of the result not done yet; null when this is its only copy. */
  private final AtomicInteger copies;

  private Delivery(Object item, Map<String, ?> extra, TakenResult<?> result, AtomicInteger copies) {
    this.item = item;
    this.extra = extra;
    this.result = result;
    this.copies = copies;
  }

  /** The only copy of one result, for a wire of one target. */
  static Delivery only(Object item, Map<String, ?> extra, TakenResult<?> result) {
    return new Delivery(item, extra, result, null);
  }

  /** The copies of one result for {@code count} targets; they share one count of copies not done. */
  static Delivery[] copies(Object item, Map<String, ?> extra, TakenResult<?> result, int count) {
    AtomicInteger shared = count == 1 ? null : new AtomicInteger(count);
    Delivery[] copies = new Delivery[count];
    for (int i = 0; i < count; i++) {
      copies[i] = new Delivery(item, extra, result, shared);
    }
    return copies;
  }

  /** A copy that shares the result (and its count) of {@code other}, with other extras: for the dead letter. */
  static Delivery rerouted(Delivery other, Map<String, ?> extra) {
    return new Delivery(other.item, extra, other.result, other.copies);
  }

  /**
   * The copies of one result taken over from a wire's predecessor, one per entry it parked for the
   * result: they share a new count of copies not done.
   */
  static Delivery[] adopted(TakenResult<?> result, List<Object> items, List<Map<String, ?>> extras) {
    AtomicInteger shared = items.size() == 1 ? null : new AtomicInteger(items.size());
    Delivery[] copies = new Delivery[items.size()];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = new Delivery(items.get(i), extras.get(i), result, shared);
    }
    return copies;
  }

  /** A copy that settles nothing when done. */
  static Delivery unsettled(Object item, Map<String, ?> extra) {
    return new Delivery(item, extra, null, null);
  }

  /** The result this is a copy of; null for a copy that settles nothing. */
  TakenResult<?> result() {
    return result;
  }

  /** This copy is done with: settles its result when it was the last copy not done. */
  void done() {
    if (result != null && (copies == null || copies.decrementAndGet() == 0)) {
      result.settle();
    }
  }

  /** The upstream settlement of the offer that delivered this copy: {@link #done()}. */
  @Override
  public void run() {
    done();
  }

  @Override
  public String toString() {
    return "Delivery[" + item + (extra.isEmpty() ? "" : ", " + extra) + "]";
  }
}
