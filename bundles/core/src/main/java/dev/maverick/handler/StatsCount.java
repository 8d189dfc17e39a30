package dev.maverick.handler;

/** The counters of a {@link HandlerStats} snapshot, each with its {@link HandlerStats#toMap()} key. */
public enum StatsCount {
  /** Calls of {@code feed} and accepted {@code offer}s. */
  FED("fed_count"),
  /** Items {@code feed} or {@code offer} put on the input queue. */
  ACCEPTED("accepted_count"),
  /** Calls of {@code generate}. */
  GENERATED("generate_count"),
  /** Results a producer-style handler published on its own. */
  PRODUCED("produced_count"),
  /** The seed's {@code processed_count}: items processed successfully, on either path. */
  PROCESSED("processed_count"),
  /** Items being processed right now. */
  IN_FLIGHT("in_flight"),
  /** Items taken over from a predecessor. */
  HANDED_IN("handed_in_count"),
  /** Items handed over to a successor at close (and not since counted as dropped). */
  HANDED_OFF("handed_off_count"),
  /** Results taken over from a predecessor. */
  RESULTS_HANDED_IN("results_handed_in_count"),
  /** Untaken results handed over to a successor at close. */
  RESULTS_HANDED_OFF("results_handed_off_count"),
  /** Items whose processing threw. */
  ITEM_ERRORS("item_error_count"),
  /** Callback tasks that threw. */
  CALLBACK_ERRORS("callback_error_count"),
  /** Errors not tied to an item or callback, e.g. a producer's source failing. */
  OTHER_ERRORS("other_error_count"),
  /** The seed's {@code network_error_count}: failed network calls, each counted once. */
  NETWORK_ERRORS("network_error_count"),
  /** Non-null results offered to the result queue. */
  RESULTS_PUBLISHED("results_published_count"),
  /** Results taken by {@code getResult} or by the reader of the results. */
  RESULTS_TAKEN("results_taken_count"),
  /** Results the reader of the results took and has not settled yet; part of {@link #RESULTS_TAKEN}. */
  RESULTS_UNSETTLED("results_unsettled"),
  /** Callback tasks given to {@code emitAsyncCallback}. */
  CALLBACKS_EMITTED("callbacks_emitted_count"),
  /** Callback tasks that ran without throwing. */
  CALLBACKS_COMPLETED("callbacks_completed_count"),
  /** Callback tasks running right now. */
  CALLBACKS_RUNNING("callbacks_running");

  private final String key;

  StatsCount(String key) {
    this.key = key;
  }

  /** The key in {@link HandlerStats#toMap()}. */
  public String key() {
    return key;
  }
}
