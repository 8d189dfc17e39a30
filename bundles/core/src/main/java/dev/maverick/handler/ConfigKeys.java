package dev.maverick.handler;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rules for configuration keys, handler names and values that every module applies: the core,
 * the DS glue of handler bundles, the admin and the runtime's configuration files. Each rule lives
 * here once, so that no two modules can disagree on it.
 *
 * <ul>
 *   <li>A key a user sets matches {@value #KEY_RULE}.</li>
 *   <li>Framework keys (Config Admin's, DS's, FileInstall's and the service properties a handler
 *       registers) are recognised case-insensitively, because Config Admin compares keys without
 *       case: {@code Service.Pid} is {@code service.pid}. A user may not set them.</li>
 *   <li>Two keys that differ only in case are one key to Config Admin, so a set of keys holding
 *       both is refused rather than resolved by chance.</li>
 *   <li>A string value holding <code>${</code> is refused: configuration files are interpolated
 *       when they are read, so such a value could copy another key's secret or the environment
 *       into a readable key.</li>
 * </ul>
 */
public final class ConfigKeys {

  /** What a key a user sets may look like, in words. */
  public static final String KEY_RULE = "1 to 128 letters, digits, '.', '_' or '-'";
  /** What a handler (or wire) name may look like, in words. */
  public static final String NAME_RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** Lower-case prefixes of the keys the framework, Config Admin, DS, FileInstall and our services own. */
  private static final String[] FRAMEWORK_PREFIXES = {
      "service.", "component.", "osgi.", "felix.", "handler.", "wire.", "."};
  /** Lower-case framework keys that are not under one of the prefixes. */
  private static final String OBJECT_CLASS = "objectclass";
  /** A key whose last word names a credential. */
  private static final Pattern SECRET_KEY = Pattern.compile(
      "(^|[._-])(auth|password|passwd|pwd|token|secret|api[._-]?key|apikey|credentials?)$");
  /** Distances up to this make a "did you mean" suggestion. */
  private static final int MAX_SUGGESTION_DISTANCE = 3;

  private ConfigKeys() {}

  /**
   * True for keys the framework, Config Admin, DS or FileInstall own, and for the service
   * properties handlers and wires register ({@code handler.*}, {@code wire.*}); compared without
   * case, as Config Admin compares keys.
   */
  public static boolean isFrameworkKey(String key) {
    if (key == null) {
      return false;
    }
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.equals(OBJECT_CLASS)) {
      return true;
    }
    for (String prefix : FRAMEWORK_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True for keys that hold a secret, to be masked wherever they are shown: {@code auth} and any
   * key whose last word names a password, token, secret, API key or credentials
   * ({@code admin_token}, {@code trust_store_password}); {@code auth_header} is not. Compared
   * without case.
   */
  public static boolean isSecretKey(String key) {
    return key != null && SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).find();
  }

  /** True if {@code key} matches {@value #KEY_RULE}. */
  public static boolean isValidKey(String key) {
    return key != null && KEY.matcher(key).matches();
  }

  /** True if {@code name} matches {@value #NAME_RULE}. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Checks one key a user sets: it must match {@value #KEY_RULE} and must not be a framework key.
   *
   * @throws InvalidConfigurationException naming the key and the rule
   */
  public static void checkUserKey(String key) {
    if (!isValidKey(key)) {
      throw new InvalidConfigurationException(String.valueOf(key), key, "a key of " + KEY_RULE);
    }
    if (isFrameworkKey(key)) {
      throw new InvalidConfigurationException(key, key,
          "a key of your own: keys starting service., component., osgi., felix., handler., wire. or '.', "
              + "and objectClass (in any case) belong to the framework");
    }
  }

  /**
   * Checks the keys a user sets, together: each as {@link #checkUserKey}, and no two that differ
   * only in case.
   *
   * @throws InvalidConfigurationException naming the first key that breaks a rule
   */
  public static void checkUserKeys(Collection<String> keys) {
    Map<String, String> seen = new TreeMap<>();
    for (String key : keys) {
      checkUserKey(key);
      String other = seen.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
      if (other != null) {
        throw new InvalidConfigurationException(key, key,
            "one spelling per key: '" + other + "' is the same key to Config Admin, which ignores case");
      }
    }
  }

  /**
   * Checks a value a user stores under {@code key}: a string (or a string in an array or
   * collection) must not hold <code>${</code>, which configuration files would interpolate.
   *
   * @throws InvalidConfigurationException naming the key and the rule (the value masked if the key is a secret)
   */
  public static void checkUserValue(String key, Object value) {
    if (value instanceof String text) {
      if (text.contains("${")) {
        throw new InvalidConfigurationException(key, value,
            "a value without '${': configuration files would interpolate it (write '$' and '{' apart, e.g. '$ {')");
      }
    } else if (value instanceof Object[] array) {
      for (Object element : array) {
        checkUserValue(key, element);
      }
    } else if (value instanceof Collection<?> collection) {
      for (Object element : collection) {
        checkUserValue(key, element);
      }
    }
  }

  /**
   * The known key nearest to a key that is not known, for a "did you mean" hint: the closest by
   * edit distance (ignoring case), if it is close enough to be a typo.
   */
  public static Optional<String> nearest(String key, Collection<String> known) {
    if (key == null) {
      return Optional.empty();
    }
    String lower = key.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = editDistance(lower, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.min(MAX_SUGGESTION_DISTANCE, Math.max(1, lower.length() / 3));
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /**
   * A string as a value in an LDAP filter (RFC 4515): {@code \ * ( )} and NUL escaped, so that a
   * name or PID can never widen or break the filter it is put in.
   */
  public static String ldapValue(String value) {
    StringBuilder escaped = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> escaped.append("\\5c");
        case '*' -> escaped.append("\\2a");
        case '(' -> escaped.append("\\28");
        case ')' -> escaped.append("\\29");
        case '\0' -> escaped.append("\\00");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /** Levenshtein distance; keys are short, so the quadratic table is fine. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
