package dev.maverick.handler.stt.testing;

import java.util.Locale;

/**
 * Word-level scoring of a transcription against what was said: the edit distance in words
 * (substitutions, insertions, deletions), case-insensitive. Shared by the speech unit tests and
 * the speech benchmark (through this module's test jar).
 */
public final class WordErrors {
  private WordErrors() {}

  /** The word-level edit distance between {@code reference} and {@code hypothesis}. */
  public static int count(String reference, String hypothesis) {
    String[] ref = words(reference);
    String[] hyp = words(hypothesis);
    int[] previous = new int[hyp.length + 1];
    int[] current = new int[hyp.length + 1];
    for (int j = 0; j <= hyp.length; j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= ref.length; i++) {
      current[0] = i;
      for (int j = 1; j <= hyp.length; j++) {
        int substitution = previous[j - 1] + (ref[i - 1].equals(hyp[j - 1]) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[hyp.length];
  }

  /** How many words {@code text} has. */
  public static int wordCount(String text) {
    return words(text).length;
  }

  private static String[] words(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
  }
}
