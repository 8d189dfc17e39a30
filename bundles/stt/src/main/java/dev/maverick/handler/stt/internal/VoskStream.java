package dev.maverick.handler.stt.internal;

/**
 * A producer's live audio recognized by Vosk, step by step: each utterance Vosk hears end is
 * published as a final result, and (with {@code partial_results}) the words so far of the one
 * under way as partial results, each time they change. As in the seed, only non-empty text is
 * published.
 */
final class VoskStream implements Producer.AudioStream {
  /** Where texts and figures go: the handler. */
  interface Output {
    void publish(String text, boolean partial, String source, double audioSeconds);

    /** Adds recognized audio and the time it took to the handler's figures. */
    void recognized(double audioSeconds, long nanos);
  }

  private final VoskModels.Lease model;
  private final Recognition recognition;
  private final boolean partials;
  private final String source;
  private final Output output;
  private final double bytesPerSecond;
  private long total;
  private long sinceUtterance;
  private long busy;
  private String lastPartial = "";

  /**
   * @param model a use of the model, closed with the stream
   */
  VoskStream(VoskModels.Lease model, SttSettings settings, SttJson json, String source, Output output) {
    this.model = model;
    Recognition made;
    try {
      made = new Recognition(model.model(), settings.sampleRate(), settings.grammar(), json);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    this.recognition = made;
    this.partials = settings.partialResults();
    this.source = source;
    this.output = output;
    this.bytesPerSecond = settings.sampleRate() * 2.0;
  }

  @Override
  public void accept(byte[] samples, int length) {
    long before = System.nanoTime();
    total += length;
    sinceUtterance += length;
    String text = recognition.accept(samples, length);
    if (text != null) {
      lastPartial = "";
      publish(text, false);
      sinceUtterance = 0;
    } else if (partials) {
      String partial = recognition.partial();
      if (!partial.isEmpty() && !partial.equals(lastPartial)) {
        lastPartial = partial;
        publish(partial, true);
      }
    }
    busy += System.nanoTime() - before;
  }

  @Override
  public void end() {
    publish(recognition.finish(), false);
  }

  @Override
  public void close() {
    try {
      output.recognized(total / bytesPerSecond, busy);
      recognition.close();
    } finally {
      model.close();
    }
  }

  private void publish(String text, boolean partial) {
    if (!text.isEmpty()) {
      output.publish(text, partial, source, sinceUtterance / bytesPerSecond);
    }
  }
}
