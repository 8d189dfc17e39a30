package dev.maverick.handler.stt.internal;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The keys of the {@code realtimestt} engine: a RealtimeSTT server's two WebSockets and how to
 * talk to it. Read and checked whatever the engine, so that a bad value is refused when it is
 * written, not when the engine is switched on.
 *
 * @param controlUrl the server's control WebSocket (commands, JSON text)
 * @param dataUrl the server's data WebSocket (audio in, transcripts out)
 * @param language sent with {@code set_parameter} once connected; empty = the server's own
 * @param connectTimeout how long a WebSocket handshake, and a control command's reply, may take
 * @param reconnectFirst the first wait before connecting again after a failure
 * @param reconnectLongest the longest wait: the wait doubles up to it
 * @param serverParameters {@code set_parameter} commands sent once connected, in order, with typed values
 * @param sendSpeed how fast fed audio is sent, in multiples of real time; 0 = as fast as the socket takes it
 * @param trailingSilence silence sent after each fed item, so that the server hears its last utterance end
 */
record RealtimeSttSettings(URI controlUrl, URI dataUrl, String language, Duration connectTimeout,
    Duration reconnectFirst, Duration reconnectLongest, Map<String, Object> serverParameters, double sendSpeed,
    Duration trailingSilence) {

  static final String CONTROL_URL = "control_url";
  static final String DATA_URL = "data_url";
  static final String LANGUAGE = "language";
  static final String CONNECT_TIMEOUT = "connect_timeout";
  static final String RECONNECT_BACKOFF = "reconnect_backoff";
  static final String SERVER_PARAMETERS = "server_parameters";
  static final String SEND_SPEED = "send_speed";
  static final String TRAILING_SILENCE = "trailing_silence";

  /** The engine's keys, in documentation order. */
  static final List<String> KEYS = List.of(CONTROL_URL, DATA_URL, LANGUAGE, CONNECT_TIMEOUT, RECONNECT_BACKOFF,
      SERVER_PARAMETERS, SEND_SPEED, TRAILING_SILENCE);

  static final String DEFAULT_CONTROL_URL = "ws://127.0.0.1:8011";
  static final String DEFAULT_DATA_URL = "ws://127.0.0.1:8012";
  static final double DEFAULT_CONNECT_TIMEOUT = 5;
  static final String DEFAULT_RECONNECT_BACKOFF = "0.5, 30";
  static final double DEFAULT_SEND_SPEED = 1;
  static final double DEFAULT_TRAILING_SILENCE = 1;

  /**
   * The parameters of the server's {@code set_parameter} allowed list that are settings (the rest
   * of that list is the recorder's state: {@code listen_start}, {@code is_recording}, ...), each
   * with the range its value must have; {@code language} has a key of its own.
   */
  static final Map<String, double[]> SETTABLE = settable();

  private static final String URL_RULE = "a ws:// or wss:// URL with a host and no user name or password, "
      + "such as ws://127.0.0.1:8011";
  private static final String LANGUAGE_RULE = "empty (the server's own) or a language code of 2 or 3 lower-case "
      + "letters, such as en or de";
  private static final String BACKOFF_RULE = "two numbers of seconds, the first wait and the longest, such as "
      + "0.5, 30 (from 0.05 to 3600, the longest not below the first)";
  private static final String PARAMETERS_RULE = "key=value pairs of the server's settable parameters: "
      + "silero_sensitivity (0 to 1), post_speech_silence_duration, deactivity_silence_confirmation_duration "
      + "(seconds, 0 to 60), wake_word_activation_delay (seconds, 0 to 3600), use_wake_words (true or false); "
      + "language has a key of its own";
  private static final Pattern LANGUAGE_CODE = Pattern.compile("[a-z]{2,3}");

  RealtimeSttSettings {
    serverParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(serverParameters));
  }

  /**
   * Reads and checks the keys.
   *
   * @throws InvalidConfigurationException naming the key, the value and what is allowed
   */
  static RealtimeSttSettings from(HandlerConfig config, SttJson json) {
    URI control = url(config, CONTROL_URL, DEFAULT_CONTROL_URL);
    URI data = url(config, DATA_URL, DEFAULT_DATA_URL);
    if (ServerClaims.sameServerSocket(control, data)) {
      throw new InvalidConfigurationException(DATA_URL, data.toString(), URL_RULE
          + ", not the control_url: the server listens on two ports (8011 and 8012 by default)");
    }
    String language = config.stringValue(LANGUAGE, "").trim();
    if (!language.isEmpty() && !LANGUAGE_CODE.matcher(language).matches()) {
      throw new InvalidConfigurationException(LANGUAGE, config.extras().get(LANGUAGE), LANGUAGE_RULE);
    }
    Duration[] backoff = backoff(config.extras().get(RECONNECT_BACKOFF));
    return new RealtimeSttSettings(control, data, language,
        config.durationValue(CONNECT_TIMEOUT, seconds(DEFAULT_CONNECT_TIMEOUT), 0.1, 300),
        backoff[0], backoff[1],
        parameters(config.extras().get(SERVER_PARAMETERS), json),
        number(config, SEND_SPEED, DEFAULT_SEND_SPEED, 0, 100, "a multiple of real time from 0 to 100; 0 = as fast as "
            + "the socket takes it (for servers that do not time silence by the clock)"),
        config.durationValue(TRAILING_SILENCE, seconds(DEFAULT_TRAILING_SILENCE), 0, 10));
  }

  private static URI url(HandlerConfig config, String key, String defaultValue) {
    Object raw = config.extras().getOrDefault(key, defaultValue);
    String text = config.stringValue(key, defaultValue).trim();
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new InvalidConfigurationException(key, raw, URL_RULE, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      throw new InvalidConfigurationException(key, raw, URL_RULE);
    }
    return uri;
  }

  private static Duration[] backoff(Object value) {
    Object raw = value == null ? DEFAULT_RECONNECT_BACKOFF : value;
    List<Object> parts = new ArrayList<>();
    if (raw instanceof CharSequence text) {
      String trimmed = text.toString().trim();
      if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
        trimmed = trimmed.substring(1, trimmed.length() - 1);
      }
      parts.addAll(Arrays.asList(trimmed.split(",", -1)));
    } else if (raw instanceof Object[] array) {
      parts.addAll(Arrays.asList(array));
    } else if (raw instanceof double[] array) {
      Arrays.stream(array).forEach(parts::add);
    } else if (raw instanceof Collection<?> collection) {
      parts.addAll(collection);
    } else {
      throw new InvalidConfigurationException(RECONNECT_BACKOFF, raw, BACKOFF_RULE);
    }
    if (parts.size() != 2) {
      throw new InvalidConfigurationException(RECONNECT_BACKOFF, raw, BACKOFF_RULE);
    }
    double first = seconds(parts.get(0), raw);
    double longest = seconds(parts.get(1), raw);
    if (first < 0.05 || first > 3600 || longest < first || longest > 3600) {
      throw new InvalidConfigurationException(RECONNECT_BACKOFF, raw, BACKOFF_RULE);
    }
    return new Duration[] {seconds(first), seconds(longest)};
  }

  private static double seconds(Object part, Object raw) {
    try {
      double value = part instanceof Number number ? number.doubleValue() : Double.parseDouble(part.toString().trim());
      if (Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new InvalidConfigurationException(RECONNECT_BACKOFF, raw, BACKOFF_RULE);
  }

  /** Reads {@code server_parameters}: a list of {@code key=value} texts (see {@link ConfigLists}). */
  static Map<String, Object> parameters(Object value, SttJson json) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (String pair : ConfigLists.texts(SERVER_PARAMETERS, value, PARAMETERS_RULE, json)) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals).trim();
      String text = equals < 0 ? "" : pair.substring(equals + 1).trim();
      double[] range = SETTABLE.get(key);
      if (range == null || text.isEmpty()) {
        throw new InvalidConfigurationException(SERVER_PARAMETERS, value, PARAMETERS_RULE + " (not '" + pair + "')");
      }
      if (parameters.containsKey(key)) {
        throw new InvalidConfigurationException(SERVER_PARAMETERS, value, PARAMETERS_RULE + " (" + key + " twice)");
      }
      parameters.put(key, parameterValue(key, text, range, value));
    }
    return parameters;
  }

  private static Object parameterValue(String key, String text, double[] range, Object raw) {
    if (range.length == 0) { // a switch
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
      }
    } else {
      try {
        double number = Double.parseDouble(text);
        if (number >= range[0] && number <= range[1]) {
          return number;
        }
      } catch (NumberFormatException e) {
        // refused below
      }
    }
    throw new InvalidConfigurationException(SERVER_PARAMETERS, raw, PARAMETERS_RULE + " (" + key + "=" + text
        + " is out of its range)");
  }

  private static double number(HandlerConfig config, String key, double defaultValue, double min, double max,
      String rule) {
    Object raw = config.extras().get(key);
    if (raw == null) {
      return defaultValue;
    }
    try {
      double value = raw instanceof Number number ? number.doubleValue() : Double.parseDouble(raw.toString().trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new InvalidConfigurationException(key, raw, rule);
  }

  private static Map<String, double[]> settable() {
    Map<String, double[]> ranges = new LinkedHashMap<>();
    ranges.put("silero_sensitivity", new double[] {0, 1});
    ranges.put("post_speech_silence_duration", new double[] {0, 60});
    ranges.put("deactivity_silence_confirmation_duration", new double[] {0, 60});
    ranges.put("wake_word_activation_delay", new double[] {0, 3600});
    ranges.put("use_wake_words", new double[0]);
    return java.util.Collections.unmodifiableMap(ranges);
  }

  private static Duration seconds(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
