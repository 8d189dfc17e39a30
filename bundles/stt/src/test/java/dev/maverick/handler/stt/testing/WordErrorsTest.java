package dev.maverick.handler.stt.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordErrorsTest {
  @Test
  void countsSubstitutionsInsertionsAndDeletionsInWords() {
    assertThat(WordErrors.count("hello world", "Hello  World")).isZero();
    assertThat(WordErrors.count("the quick brown fox", "the quick brown box")).isEqualTo(1);
    assertThat(WordErrors.count("one two three", "one three")).isEqualTo(1);
    assertThat(WordErrors.count("one two", "one two three four")).isEqualTo(2);
    assertThat(WordErrors.count("seven eight nine", "")).isEqualTo(3);
    assertThat(WordErrors.count("turn on the light", "on the light please")).isEqualTo(2);
    assertThat(WordErrors.wordCount("  what is the weather  ")).isEqualTo(4);
    assertThat(WordErrors.wordCount(" ")).isZero();
  }
}
