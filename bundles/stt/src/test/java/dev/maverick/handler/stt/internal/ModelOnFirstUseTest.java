package dev.maverick.handler.stt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maverick.handler.HandlerStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The default model is copied out of its bundle on first use, not at start: while that runs the
 * handler says so, and items fed meanwhile wait in the queue, neither lost nor failed.
 */
class ModelOnFirstUseTest extends HandlerTestSupport {

  /** A default model whose copy takes until the test lets it finish. */
  private static final class SlowCopy implements ModelLibrary.DefaultModel {
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean copying;

    @Override
    public Path locate() {
      copying = true;
      try {
        if (!release.await(60, TimeUnit.SECONDS)) {
          throw new ModelUnavailableException("the test never released the copy");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelUnavailableException("interrupted");
      } finally {
        copying = false;
      }
      return Speech.model();
    }

    @Override
    public String describe() {
      return "slow copy";
    }

    @Override
    public boolean copying() {
      return copying;
    }
  }

  @Test
  void itemsFedWhileTheModelIsCopiedWaitInTheQueueAndTheStatsSaySo() {
    SlowCopy copy = new SlowCopy();
    try (ModelLibrary models = new ModelLibrary(copy)) {
      SpeechToTextHandler stt = handler("first-use", Map.of("grammar", Speech.GRAMMAR), models);
      assertThat(stt.stats().details()).containsEntry("model_state", "not loaded");
      List<String> slugs = List.of("kitchen-light", "one-to-five", "weather");
      for (String slug : slugs) {
        assertThat(stt.feed(Speech.bytes(Speech.wav(slug)))).isTrue();
      }
      Waits.until("the copy under way", () -> "copying".equals(stt.stats().details().get("model_state")));
      HandlerStats waiting = stt.stats();
      assertThat(waiting.inFlight()).as("the first item waits for the model").isEqualTo(1);
      assertThat(waiting.inputQueueSize()).as("the others wait in the queue").isEqualTo(2);
      assertThat(waiting.errorCount()).isZero();
      assertThat(waiting.droppedCount()).isZero();
      assertThat(waiting.isBalanced()).as(waiting.toString()).isTrue();

      copy.release.countDown();
      List<Object> texts = new ArrayList<>();
      for (int i = 0; i < slugs.size(); i++) {
        texts.add(stt.getResult(WAIT).orElseThrow().get("data"));
      }
      assertThat(texts).containsExactly("turn on the kitchen light", "one two three four five",
          "what is the weather like today");
      HandlerStats done = balanced(stt);
      assertThat(done.processedCount()).isEqualTo(3);
      assertThat(done.errorCount()).isZero();
      assertThat(done.details()).containsEntry("model_state", "loaded");
      stt.close();
    }
  }
}
