package dev.maverick.handler;

/**
 * Thrown when a handler's results are read by one exclusive reader ({@link Handler#claimResults})
 * and someone else asks for them: {@link Handler#getResult}, {@link Handler#getResultAsync}, or a
 * second claim. Nothing was taken. The message names the handler and the reader, e.g.
 * {@code the results of 'stt' are read by wire 'voice'}.
 */
public class ResultsClaimedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String handler;
  private final String reader;

  /**
   * @param handler the name of the handler whose results are claimed
   * @param reader the reader holding the claim, as given to {@link Handler#claimResults}
   */
  public ResultsClaimedException(String handler, String reader) {
    super("the results of '" + handler + "' are read by " + reader);
    this.handler = handler;
    this.reader = reader;
  }

  /** The handler whose results are claimed. */
  public String handler() {
    return handler;
  }

  /** Who holds the claim, as given to {@link Handler#claimResults}. */
  public String reader() {
    return reader;
  }
}
