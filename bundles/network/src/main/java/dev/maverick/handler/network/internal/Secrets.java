package dev.maverick.handler.network.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.maverick.handler.HandlerConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The secrets one configuration holds, in every form a server or an exception may echo them, and
 * the one way to show text that may contain them: {@link #mask} first, cut afterwards.
 *
 * <p>A text cut before masking shows the first characters of a secret that straddles the cut (an
 * error body cut to its excerpt, a token the JSON parser cut in its message). So every text taken
 * from a response or an exception passes {@link #excerpt} (mask, then cut) or, when someone else
 * already cut it, {@link #maskCut} (which also masks a beginning of a secret left at its end).
 *
 * <p>The forms masked, for each secret value: the value itself; as written inside a JSON string
 * (quotes and backslashes escaped; also {@code /} as {@code \/}, and non-ASCII as {@code \}{@code u}
 * escapes, as Python's {@code json.dumps} writes it); URL-encoded (space as {@code +} and as
 * {@code %20}); HTML-escaped; Base64 (standard and URL-safe, with and without padding). With
 * {@code auth_scheme=Basic}, also the decoded {@code user:password} and the password alone. Matching
 * ignores case (a server may upper-case what it echoes; hex escapes come in either case).
 */
final class Secrets {
  /** Derived forms shorter than this (a Basic password "pw") would mask ordinary words; the values themselves always count. */
  private static final int MIN_DERIVED_LENGTH = 4;

  private static final Secrets NONE = new Secrets(List.of());

  /** Longest first, so that a form containing another is masked whole. */
  private final List<String> forms;
  /** The first characters of the forms, both cases, for a quick scan; non-ASCII first characters set {@link #anyNonAscii}. */
  private final boolean[] firstAscii = new boolean[128];
  private final boolean anyNonAscii;

  private Secrets(List<String> forms) {
    this.forms = forms;
    boolean nonAscii = false;
    for (String form : forms) {
      char first = form.charAt(0);
      if (first < 128) {
        firstAscii[Character.toLowerCase(first)] = true;
        firstAscii[Character.toUpperCase(first)] = true;
      } else {
        nonAscii = true;
      }
    }
    this.anyNonAscii = nonAscii;
  }

  /** No secrets: every text is shown as it is. */
  static Secrets none() {
    return NONE;
  }

  /**
   * The secrets of {@code values} (empty and null ones are skipped) in every form listed above.
   *
   * @param basicAuth a value sent as HTTP Basic credentials ({@code auth_scheme=Basic}), or null
   */
  static Secrets of(Collection<String> values, String basicAuth) {
    Set<String> forms = new LinkedHashSet<>();
    for (String value : values) {
      if (value != null && !value.isEmpty()) {
        addForms(forms, value, 1);
      }
    }
    if (basicAuth != null) {
      String decoded = decodeBase64(basicAuth);
      if (decoded != null) {
        addForms(forms, decoded, MIN_DERIVED_LENGTH);
        int colon = decoded.indexOf(':');
        if (colon >= 0) {
          addForms(forms, decoded.substring(colon + 1), MIN_DERIVED_LENGTH);
        }
      }
    }
    if (forms.isEmpty()) {
      return NONE;
    }
    List<String> sorted = new ArrayList<>(forms);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new Secrets(List.copyOf(sorted));
  }

  private static void addForms(Set<String> forms, String value, int minLength) {
    if (value.length() < minLength) {
      return;
    }
    forms.add(value);
    String json = jsonEscaped(value, false);
    forms.add(json);
    forms.add(json.replace("/", "\\/"));
    String jsonAscii = jsonEscaped(value, true);
    forms.add(jsonAscii);
    forms.add(jsonAscii.replace("/", "\\/"));
    String url = URLEncoder.encode(value, StandardCharsets.UTF_8);
    forms.add(url);
    forms.add(url.replace("+", "%20"));
    forms.add(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#39;"));
    forms.add(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#x27;"));
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    forms.add(Base64.getEncoder().encodeToString(bytes));
    forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
    forms.add(Base64.getUrlEncoder().encodeToString(bytes));
    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** The text of a JSON string holding {@code value}, without the quotes; {@code asciiOnly}: non-ASCII as escapes too. */
  private static String jsonEscaped(String value, boolean asciiOnly) {
    String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(value));
    if (!asciiOnly) {
      return escaped;
    }
    StringBuilder out = new StringBuilder(escaped.length() + 16);
    escaped.chars().forEach(c -> out.append(c > 0x7e ? String.format(Locale.ROOT, "\\u%04x", c) : String.valueOf((char) c)));
    return out.toString();
  }

  private static String decodeBase64(String text) {
    try {
      byte[] bytes = Base64.getDecoder().decode(text.strip());
      String decoded = new String(bytes, StandardCharsets.UTF_8);
      return decoded.indexOf('\uFFFD') >= 0 ? null : decoded;
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  /** True when there is nothing to mask. */
  boolean isEmpty() {
    return forms.isEmpty();
  }

  /** The text with every form of every secret replaced by {@link HandlerConfig#MASK}. */
  String mask(String text) {
    return replace(text, HandlerConfig.MASK, false);
  }

  /**
   * The text with every form of every secret replaced by {@code replacement}, which need not be
   * the mask (the JSON parser is shown a word in their place, see {@code JsonCodec}).
   */
  String replace(String text, String replacement) {
    return replace(text, replacement, false);
  }

  /**
   * Masks a text that was already cut at its end by someone else: also a beginning of a secret
   * that the cut left as the text's last characters.
   */
  String maskCut(String text) {
    return replace(text, HandlerConfig.MASK, true);
  }

  /**
   * The text as one line to show: secrets masked (a beginning of one at the end too when
   * {@code alreadyCut}), control characters as spaces, surrounding space stripped, and only then
   * cut to {@code maxChars}, with {@code ...} when cut.
   */
  String excerpt(String text, boolean alreadyCut, int maxChars) {
    String masked = replace(text, HandlerConfig.MASK, alreadyCut);
    StringBuilder clean = new StringBuilder(masked.length());
    masked.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    String line = clean.toString().strip();
    if (line.length() <= maxChars) {
      return line;
    }
    int end = Character.isHighSurrogate(line.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
    return line.substring(0, end) + "...";
  }

  private String replace(String text, String replacement, boolean maskTail) {
    if (text == null || forms.isEmpty()) {
      return text;
    }
    String scanned = text;
    if (maskTail && scanned.endsWith("\uFFFD")) {
      // a cut through a multi-byte character: what came before it may be the start of a secret
      scanned = scanned.substring(0, scanned.length() - 1);
    }
    StringBuilder out = null;
    int copied = 0;
    int length = scanned.length();
    for (int i = 0; i < length; ) {
      char c = scanned.charAt(i);
      int matched = (c < 128 ? firstAscii[c] : anyNonAscii) ? matchAt(scanned, i, maskTail) : 0;
      if (matched == 0) {
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(length + 16);
      }
      out.append(scanned, copied, i).append(replacement);
      i += matched;
      copied = i;
    }
    if (out == null) {
      return scanned.length() == text.length() ? text : scanned;
    }
    return out.append(scanned, copied, length).toString();
  }

  /** The length of the longest form at {@code at} (with {@code tail}, or of its beginning that ends the text), or 0. */
  private int matchAt(String text, int at, boolean tail) {
    int left = text.length() - at;
    for (String form : forms) {
      if (form.length() <= left) {
        if (text.regionMatches(true, at, form, 0, form.length())) {
          return form.length();
        }
      } else if (tail && text.regionMatches(true, at, form, 0, left)) {
        return left;
      }
    }
    return 0;
  }
}
