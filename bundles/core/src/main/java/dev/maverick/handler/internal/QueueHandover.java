package dev.maverick.handler.internal;

import dev.maverick.handler.DropReason;
import dev.maverick.handler.internal.HandoverStore.Parcel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A handler's queues handed to its successor on redeploy: what a closing handler leaves queued
 * (items, untaken results) is parked in the core bundle's {@link HandoverStore} instead of being
 * drained, and the next instance of the same configuration takes it, ahead of anything else.
 * Every element is counted: handed off, then either handed in by the successor or, if nobody
 * comes in time, moved from "handed off" to dropped ({@code shutdown}, {@code result_shutdown}).
 */
public final class QueueHandover {
  private QueueHandover() {}

  /**
   * Parks what is queued in {@code input} and {@code results} under {@code key} for up to
   * {@code lifetimeNanos}, counting it handed off as it leaves the queues.
   */
  public static void park(String key, Diagnostics diagnostics, Ledger ledger, Lane<Object> input,
      Lane<Object> results, long lifetimeNanos) {
    List<Object> items = new ArrayList<>(input.queue().drain(ledger.handedOff));
    List<Object> taken = new ArrayList<>(results.queue().drain(ledger.resultsHandedOff));
    if (items.isEmpty() && taken.isEmpty()) {
      return;
    }
    HandoverStore.instance().park(key, new Parcel("handler '" + diagnostics.name() + "'", items, taken,
        System.nanoTime() + lifetimeNanos, () -> {
          // nobody took them: they move from "handed off" to "dropped", counted there first
          ledger.drops(DropReason.SHUTDOWN).add(items.size());
          ledger.noteDropped(DropReason.SHUTDOWN, items.size());
          ledger.handedOff.add(-items.size());
          ledger.drops(DropReason.RESULT_SHUTDOWN).add(taken.size());
          ledger.noteDropped(DropReason.RESULT_SHUTDOWN, taken.size());
          ledger.resultsHandedOff.add(-taken.size());
        }));
  }

  /**
   * Takes what a predecessor parked under {@code key}: its items to the head of {@code input},
   * in their order and whatever the capacity, each checked again by {@code invalidReason} (a class
   * from an older bundle revision may no longer fit; a misfit is counted dropped, {@code invalid});
   * its results to the head of {@code results}.
   *
   * @param invalidReason why an item with its extras is invalid here, or null when it is valid
   * @return how many items were taken over, and whether any valid one was queued
   */
  public static Adopted adopt(String key, Diagnostics diagnostics, Ledger ledger, Lane<Object> input,
      Lane<Object> results, BiFunction<Object, Map<String, ?>, String> invalidReason) {
    Parcel parcel = HandoverStore.instance().claim(key);
    if (parcel == null) {
      return new Adopted(0, false);
    }
    List<Object> valid = new ArrayList<>(parcel.items().size());
    for (Object parked : parcel.items()) {
      String invalid = invalidReason.apply(Envelope.valueOf(parked), Envelope.extraOf(parked));
      if (invalid == null) {
        valid.add(parked);
      } else {
        ledger.drop(DropReason.INVALID, "taken over from " + parcel.owner() + ": " + invalid);
      }
    }
    input.queue().addAllFirst(valid);
    ledger.handedIn.add(parcel.items().size());
    results.queue().addAllFirst(parcel.results());
    ledger.resultsHandedIn.add(parcel.results().size());
    diagnostics.logger().info("[{}] took over {} item(s) and {} result(s) from {}", diagnostics.name(),
        parcel.items().size(), parcel.results().size(), parcel.owner());
    return new Adopted(parcel.items().size(), !valid.isEmpty());
  }

  /**
   * What {@link #adopt} took.
   *
   * @param items items taken over, valid or not
   * @param queuedAny whether any was queued (then the workers may have to start)
   */
  public record Adopted(int items, boolean queuedAny) {}
}
