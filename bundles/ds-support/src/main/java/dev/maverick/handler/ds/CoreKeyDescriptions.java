package dev.maverick.handler.ds;

/**
 * Descriptions of the core's keys that every kind's metatype shows in the same words, as
 * compile-time constants for {@code @AttributeDefinition(description = ...)}: one text, not a copy
 * per kind.
 */
public final class CoreKeyDescriptions {
  /** {@code wait_strategy}: see {@link dev.maverick.handler.WaitStrategy}. */
  public static final String WAIT_STRATEGY = "How the handler's threads wait for an item, a result or room: park "
      + "sleeps at once until woken; spin watches the queue about 10 microseconds, then yields, then sleeps. spin "
      + "helps only where every thread of the pipeline has a core of its own, and hurts where threads outnumber "
      + "cores (on 2 cores a spinning consumer takes the core the worker needs).";

  private CoreKeyDescriptions() {}
}
