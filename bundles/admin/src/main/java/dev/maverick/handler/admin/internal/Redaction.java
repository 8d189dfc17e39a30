package dev.maverick.handler.admin.internal;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Masks secrets in what the admin shows or logs: every occurrence of a secret value, and a secret
 * cut short by someone's excerpt (a piece of it just before or after {@code ...} or {@code …}).
 * Masking always comes before cutting: {@link #shown} masks, then truncates, so a cut can never
 * leave a secret's first characters behind.
 */
final class Redaction {
  /** The longest text shown for one value; longer text is cut (after masking) and marked. */
  static final int MAX_TEXT = 2000;
  private static final String[] CUT_MARKS = {"...", "\u2026"};

  private final List<String> secrets;

  private Redaction(Collection<String> secrets) {
    List<String> sorted = new ArrayList<>();
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty() && !secret.equals(HandlerConfig.MASK) && !sorted.contains(secret)) {
        sorted.add(secret);
      }
    }
    // the longest first, so that a secret holding another is masked whole
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(sorted);
  }

  /** Masks these values. */
  static Redaction of(Collection<String> secrets) {
    return new Redaction(secrets);
  }

  /** Masks the values of a handler's secret keys ({@link HandlerConfig#isSecretKey}) and the admin token. */
  static Redaction of(Handler<?, ?> handler, Optional<String> adminToken) {
    List<String> secrets = new ArrayList<>();
    adminToken.ifPresent(secrets::add);
    handler.config().toMap().forEach((key, value) -> {
      if (HandlerConfig.isSecretKey(key)) {
        addTexts(secrets, value);
      }
    });
    return new Redaction(secrets);
  }

  private static void addTexts(List<String> secrets, Object value) {
    if (value instanceof String text) {
      secrets.add(text);
    } else if (value instanceof Object[] array) {
      for (Object element : array) {
        addTexts(secrets, element);
      }
    } else if (value instanceof Collection<?> collection) {
      collection.forEach(element -> addTexts(secrets, element));
    } else if (value instanceof char[] chars) {
      secrets.add(new String(chars));
    }
  }

  /** The text with every secret, whole or cut at a mark, replaced by {@link HandlerConfig#MASK}. */
  String mask(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String masked = text;
    for (String secret : secrets) {
      masked = masked.replace(secret, HandlerConfig.MASK);
    }
    for (String secret : secrets) {
      masked = maskCutPieces(masked, secret);
    }
    return masked;
  }

  /** The text masked, then cut to {@code max} characters. */
  String shown(String text, int max) {
    String masked = mask(text);
    if (masked == null || masked.length() <= max) {
      return masked;
    }
    return masked.substring(0, max) + "...";
  }

  /** Every string in a value (maps, lists, arrays) masked and cut to {@value #MAX_TEXT}; the rest as it is. */
  Object maskAll(Object value) {
    if (value instanceof String text) {
      return shown(text, MAX_TEXT);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, element) -> copy.put(String.valueOf(key), maskAll(element)));
      return copy;
    }
    if (value instanceof Collection<?> collection) {
      List<Object> copy = new ArrayList<>(collection.size());
      collection.forEach(element -> copy.add(maskAll(element)));
      return copy;
    }
    if (value instanceof Object[] array) {
      List<Object> copy = new ArrayList<>(array.length);
      for (Object element : array) {
        copy.add(maskAll(element));
      }
      return copy;
    }
    return value;
  }

  /** Masks the longest start of {@code secret} that ends at a cut mark, and the longest end of it that follows one. */
  private static String maskCutPieces(String text, String secret) {
    StringBuilder out = new StringBuilder(text);
    for (String mark : CUT_MARKS) {
      for (int at = out.indexOf(mark); at >= 0; at = out.indexOf(mark, at + mark.length())) {
        int after = at + mark.length();
        int tail = longestSuffixOfSecretAt(out, after, secret);
        if (tail > 0) {
          out.replace(after, after + tail, HandlerConfig.MASK);
        }
        int head = longestPrefixOfSecretEndingAt(out, at, secret);
        if (head > 0) {
          out.replace(at - head, at, HandlerConfig.MASK);
          at += HandlerConfig.MASK.length() - head;
        }
      }
    }
    return out.toString();
  }

  private static int longestPrefixOfSecretEndingAt(CharSequence text, int end, String secret) {
    for (int length = Math.min(secret.length() - 1, end); length > 0; length--) {
      if (regionEquals(text, end - length, secret, 0, length)) {
        return length;
      }
    }
    return 0;
  }

  private static int longestSuffixOfSecretAt(CharSequence text, int start, String secret) {
    for (int length = Math.min(secret.length() - 1, text.length() - start); length > 0; length--) {
      if (regionEquals(text, start, secret, secret.length() - length, length)) {
        return length;
      }
    }
    return 0;
  }

  private static boolean regionEquals(CharSequence text, int from, String secret, int secretFrom, int length) {
    for (int i = 0; i < length; i++) {
      if (text.charAt(from + i) != secret.charAt(secretFrom + i)) {
        return false;
      }
    }
    return true;
  }
}
