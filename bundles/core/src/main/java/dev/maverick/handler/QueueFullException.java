package dev.maverick.handler;

/**
 * Thrown under the {@link OverflowPolicy#FAIL} policy when a queue is full. The element was not
 * queued and has already been counted as dropped.
 */
public class QueueFullException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String queue;
  private final int capacity;

  /**
   * @param handler the handler's name
   * @param queue which queue: {@code input}, {@code result} or {@code callback}
   * @param capacity the queue's capacity
   */
  public QueueFullException(String handler, String queue, int capacity) {
    super("handler '" + handler + "': " + queue + " queue full (capacity " + capacity
        + ", overflow_policy=fail); element dropped");
    this.queue = queue;
    this.capacity = capacity;
  }

  /** Which queue was full: {@code input}, {@code result} or {@code callback}. */
  public String queue() {
    return queue;
  }

  /** The capacity of the full queue. */
  public int capacity() {
    return capacity;
  }
}
