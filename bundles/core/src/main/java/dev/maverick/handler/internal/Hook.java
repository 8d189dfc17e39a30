package dev.maverick.handler.internal;

/**
 * The hooks and lifecycle methods a handler subclass may override, as the core's parts run them
 * through {@link Subclass#fire}: each contained (what it throws is logged and ignored, but what no
 * handler can contain), each named in the log by its method.
 */
public enum Hook {
  BEFORE_FEED("hookBeforeFeed"),
  AFTER_FEED("hookAfterFeed"),
  BEFORE_GENERATE("hookBeforeGenerate"),
  AFTER_GENERATE("hookAfterGenerate"),
  ON_ERROR("hookOnError"),
  /** Not a hook: the failure callback an {@code offer} caller gave, run as contained as a hook. */
  ON_FAILURE("the onFailure callback of offer"),
  AFTER_RESULT("hookAfterResult"),
  RESULT_SETTLED("hookResultSettled"),
  ON_CALLBACK_ERROR("hookOnCallbackError"),
  BEFORE_NETWORK_CALL("hookBeforeNetworkCall"),
  AFTER_NETWORK_CALL("hookAfterNetworkCall"),
  NETWORK_ERROR("hookNetworkError"),
  SHUT_DOWN("shutDown"),
  AFTER_CLOSE("afterClose"),
  CONFIGURATION_CHANGED("configurationChanged"),
  STATS_DETAILS("statsDetails");

  private final String method;

  Hook(String method) {
    this.method = method;
  }

  /** The overridable method, as the log names it. */
  public String method() {
    return method;
  }
}
