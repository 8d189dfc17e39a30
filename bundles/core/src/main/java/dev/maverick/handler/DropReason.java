package dev.maverick.handler;

/**
 * Why a handler dropped an item, a result or a callback task. Each reason belongs to exactly one
 * {@link Ledger}, so the accounting law can be checked per ledger.
 */
public enum DropReason {
  /** The item failed {@code validateItem} (wrong type, bad shape or content). */
  INVALID("invalid", Ledger.ITEMS),
  /** The input queue was full: rejected by {@code drop_newest}, {@code fail}, or a timed-out {@code block}. */
  QUEUE_FULL("queue_full", Ledger.ITEMS),
  /** A queued item evicted by {@code drop_oldest} to make room for a newer one. */
  EVICTED("evicted", Ledger.ITEMS),
  /** The item arrived after {@code close()} began. */
  CLOSED("closed", Ledger.ITEMS),
  /**
   * The item was still queued when {@code close()} gave up waiting ({@code shutdown_timeout}), or
   * was handed over at close and no successor claimed it in time.
   */
  SHUTDOWN("shutdown", Ledger.ITEMS),
  /** The item was removed from the input queue by {@code clearFeed()}. */
  CLEARED("cleared", Ledger.ITEMS),
  /**
   * The handler's engine was not connected when the item's turn came (speech to text's RealtimeSTT
   * server unreachable, or lost while the item was sent): the item was not processed. Counted by
   * the handler with {@link ItemDroppedException}.
   *
   * @since 1.3
   */
  ENGINE_DISCONNECTED("engine_disconnected", Ledger.ITEMS),
  /** A result did not fit in the full result queue. */
  RESULT_QUEUE_FULL("result_queue_full", Ledger.RESULTS),
  /** A queued result evicted by {@code drop_oldest} on the result queue. */
  RESULT_EVICTED("result_evicted", Ledger.RESULTS),
  /** An untaken result handed over at close that no successor claimed within {@code shutdown_timeout}. */
  RESULT_SHUTDOWN("result_shutdown", Ledger.RESULTS),
  /** A callback task did not fit in the full callback queue. */
  CALLBACK_QUEUE_FULL("callback_queue_full", Ledger.CALLBACKS),
  /** A queued callback task evicted by {@code drop_oldest} on the callback queue. */
  CALLBACK_EVICTED("callback_evicted", Ledger.CALLBACKS),
  /** A callback was emitted but there is no callback configured, or threads are disabled. */
  CALLBACK_UNAVAILABLE("callback_unavailable", Ledger.CALLBACKS),
  /** A callback was emitted after {@code close()} began. */
  CALLBACK_CLOSED("callback_closed", Ledger.CALLBACKS),
  /** A callback task was still queued when {@code close()} gave up waiting. */
  CALLBACK_SHUTDOWN("callback_shutdown", Ledger.CALLBACKS);

  /** The three flows a handler accounts for separately. */
  public enum Ledger {
    /** Items given to {@code feed} or {@code generate}, or produced by a producer-style handler. */
    ITEMS,
    /** Results put on the result queue for {@code getResult}. */
    RESULTS,
    /** Callback tasks scheduled with {@code emitAsyncCallback}. */
    CALLBACKS
  }

  private final String key;
  private final Ledger ledger;

  DropReason(String key, Ledger ledger) {
    this.key = key;
    this.ledger = ledger;
  }

  /** The snake_case name used in stats maps, logs and metrics. */
  public String key() {
    return key;
  }

  /** The flow this reason belongs to. */
  public Ledger ledger() {
    return ledger;
  }

  @Override
  public String toString() {
    return key;
  }
}
