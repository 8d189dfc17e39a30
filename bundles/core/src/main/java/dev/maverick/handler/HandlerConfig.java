package dev.maverick.handler;

import dev.maverick.handler.internal.ConfigParser;
import dev.maverick.handler.internal.ConfigValues;
import dev.maverick.handler.internal.ConfigViews;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The immutable configuration of a handler. Build it in code with {@link #builder()}, or from
 * Config Admin properties and {@code .cfg} files with {@link #fromMap(Map)}. Keys are the seed's
 * own, snake_case, everywhere; durations are seconds, decimals allowed.
 *
 * <p>Every value is checked when it is set: a wrong type, a negative size, an unknown policy, a
 * port outside 1&ndash;65535 or an unknown class fails with an {@link InvalidConfigurationException}
 * naming the key, the value and what is allowed. Keys this class does not know are kept, so that
 * a handler subclass can read its own with {@link #intValue}, {@link #stringValue} and friends,
 * which check values the same way. The keys' names are in {@link CoreKeys}, which this class
 * implements, so that {@code HandlerConfig.NAME} and its siblings name them too.
 */
public final class HandlerConfig implements CoreKeys {

  /** What a secret looks like when shown. */
  public static final String MASK = "********";

  /** The most worker threads one handler may run. */
  public static final int MAX_WORKER_THREADS = 256;


  private static final HandlerConfig DEFAULTS = builder().build();

  private final String name;
  private final String host;
  private final Integer port;
  private final String auth;
  private final boolean runAsThread;
  private final boolean disableThread;
  private final int maxQueueSize;
  private final Integer resultQueueSize;
  private final int callbackQueueSize;
  private final OverflowPolicy overflowPolicy;
  private final OverflowPolicy resultOverflowPolicy;
  private final OverflowPolicy callbackOverflowPolicy;
  private final Duration offerTimeout;
  private final Duration shutdownTimeout;
  private final int workerThreads;
  private final WaitStrategy waitStrategy;
  private final boolean verbose;
  private final List<Class<?>> expectedTypes;
  private final BiFunction<Object, Map<String, ?>, Object> generateResultsCallback;
  private final Duration networkTimeout;
  private final String clientIdPrefix;
  private final Map<String, Object> extras;

  private HandlerConfig(Builder b) {
    this.name = b.name;
    this.host = b.host;
    this.port = b.port;
    this.auth = b.auth;
    this.runAsThread = b.runAsThread;
    this.disableThread = b.disableThread;
    this.maxQueueSize = b.maxQueueSize;
    this.resultQueueSize = b.resultQueueSize;
    this.callbackQueueSize = b.callbackQueueSize;
    this.overflowPolicy = b.overflowPolicy;
    this.resultOverflowPolicy = b.resultOverflowPolicy;
    this.callbackOverflowPolicy = b.callbackOverflowPolicy;
    this.offerTimeout = b.offerTimeout;
    this.shutdownTimeout = b.shutdownTimeout;
    this.workerThreads = b.workerThreads;
    this.waitStrategy = b.waitStrategy;
    this.verbose = b.verbose;
    this.expectedTypes = List.copyOf(b.expectedTypes);
    this.generateResultsCallback = b.generateResultsCallback;
    this.networkTimeout = b.networkTimeout;
    this.clientIdPrefix = b.clientIdPrefix;
    this.extras = Collections.unmodifiableMap(new LinkedHashMap<>(b.extras));
  }

  /** A builder with the seed's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The seed's defaults. */
  public static HandlerConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Reads a configuration from properties (Config Admin, {@code .cfg} files, JSON). Values may be
   * strings or typed; {@code null} values are ignored; unknown keys are kept. Classes named in
   * {@code expected_type} are loaded through the thread's context class loader, then this
   * bundle's.
   *
   * @throws InvalidConfigurationException naming the first bad key, its value and what is allowed
   */
  public static HandlerConfig fromMap(Map<String, ?> properties) {
    return fromMap(properties, null);
  }

  /**
   * As {@link #fromMap(Map)}, loading {@code expected_type} classes through {@code classLoader}
   * (in OSGi: the handler bundle's, so that its imports are visible).
   */
  public static HandlerConfig fromMap(Map<String, ?> properties, ClassLoader classLoader) {
    Builder builder = builder().classLoader(classLoader);
    properties.forEach((key, value) -> {
      if (key != null && value != null) {
        builder.set(key, value);
      }
    });
    return builder.build();
  }

  /**
   * A copy with some keys changed; a {@code null} value removes a key (back to its default).
   *
   * @throws InvalidConfigurationException as {@link #fromMap(Map)}
   */
  public HandlerConfig with(Map<String, ?> changes) {
    return with(changes, null);
  }

  /** As {@link #with(Map)}, loading {@code expected_type} classes through {@code classLoader}. */
  public HandlerConfig with(Map<String, ?> changes, ClassLoader classLoader) {
    return ConfigParser.with(this, changes, classLoader);
  }

  /** Whether a key holds a secret, to be shown masked: {@link ConfigKeys#isSecretKey}. */
  public static boolean isSecretKey(String key) {
    return ConfigKeys.isSecretKey(key);
  }

  // ---- the seed's keys ---------------------------------------------------------------------

  /** {@code name}, if set. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** {@code host}, if set. */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  /** {@code port}, if set. */
  public Optional<Integer> port() {
    return Optional.ofNullable(port);
  }

  /** {@code auth}, if set. A secret: never log it. */
  public Optional<String> auth() {
    return Optional.ofNullable(auth);
  }

  /** {@code run_as_thread} (default true). */
  public boolean runAsThread() {
    return runAsThread;
  }

  /** {@code disable_thread} (default false). */
  public boolean disableThread() {
    return disableThread;
  }

  /** True when worker threads may run on their own: {@code run_as_thread && !disable_thread}. */
  public boolean threaded() {
    return runAsThread && !disableThread;
  }

  /** {@code max_queue_size}: input queue capacity (default 128; 0 = unbounded). */
  public int maxQueueSize() {
    return maxQueueSize;
  }

  /** {@code result_queue_size}: result queue capacity, {@code max_queue_size} unless set. */
  public int resultQueueSize() {
    return resultQueueSize != null ? resultQueueSize : maxQueueSize;
  }

  /** {@code callback_queue_size} (default 128; 0 = unbounded). */
  public int callbackQueueSize() {
    return callbackQueueSize;
  }

  /** {@code overflow_policy} (default {@code drop_newest}). */
  public OverflowPolicy overflowPolicy() {
    return overflowPolicy;
  }

  /** {@code result_overflow_policy}, {@code overflow_policy} unless set. */
  public OverflowPolicy resultOverflowPolicy() {
    return resultOverflowPolicy != null ? resultOverflowPolicy : overflowPolicy;
  }

  /**
   * {@code callback_overflow_policy}; unless set, {@code overflow_policy}, except that an inherited
   * {@code block} becomes {@code drop_newest}: emitting a callback never blocks the caller (the
   * seed's promise), unless asked for by name here.
   */
  public OverflowPolicy callbackOverflowPolicy() {
    if (callbackOverflowPolicy != null) {
      return callbackOverflowPolicy;
    }
    return overflowPolicy == OverflowPolicy.BLOCK ? OverflowPolicy.DROP_NEWEST : overflowPolicy;
  }

  /** {@code offer_timeout} (default 1 s; zero = wait until room or close). */
  public Duration offerTimeout() {
    return offerTimeout;
  }

  /** {@code shutdown_timeout} (default 5 s). */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** {@code worker_threads} (default 1). */
  public int workerThreads() {
    return workerThreads;
  }

  /** {@code wait_strategy} (default {@code park}). */
  public WaitStrategy waitStrategy() {
    return waitStrategy;
  }

  /** {@code verbose} (default false). */
  public boolean verbose() {
    return verbose;
  }

  /** {@code expected_type}: the classes an item may be an instance of; empty = any. */
  public List<Class<?>> expectedTypes() {
    return expectedTypes;
  }

  /** {@code generate_results_callback}, if set. */
  public Optional<BiFunction<Object, Map<String, ?>, Object>> generateResultsCallback() {
    return Optional.ofNullable(generateResultsCallback);
  }

  /** {@code network_timeout}, if set. */
  public Optional<Duration> networkTimeout() {
    return Optional.ofNullable(networkTimeout);
  }

  /** {@code client_id_prefix} (default {@code client}). */
  public String clientIdPrefix() {
    return clientIdPrefix;
  }

  // ---- keys of subclasses --------------------------------------------------------------------

  /** The keys this class does not know, as given (subclass keys, Config Admin's own properties). */
  public Map<String, Object> extras() {
    return extras;
  }

  /** The raw value of any key: a known key in its configuration form, or an extra as given. */
  public Optional<Object> get(String key) {
    return Optional.ofNullable(toMap().get(key));
  }

  /** A string-valued extra key, or {@code defaultValue} when absent. */
  public String stringValue(String key, String defaultValue) {
    Object value = extras.get(key);
    return value == null ? defaultValue : ConfigValues.toText(key, value, true, "a string");
  }

  /** A boolean extra key ({@code true}/{@code false}), or {@code defaultValue} when absent. */
  public boolean booleanValue(String key, boolean defaultValue) {
    Object value = extras.get(key);
    return value == null ? defaultValue : ConfigValues.toBoolean(key, value);
  }

  /** An integer extra key in [min, max], or {@code defaultValue} when absent. */
  public int intValue(String key, int defaultValue, int min, int max) {
    Object value = extras.get(key);
    return value == null ? defaultValue : ConfigValues.toInt(key, value, min, max, ConfigValues.integerRule(min, max));
  }

  /** A long extra key in [min, max], or {@code defaultValue} when absent. */
  public long longValue(String key, long defaultValue, long min, long max) {
    Object value = extras.get(key);
    return value == null ? defaultValue : ConfigValues.toLong(key, value, min, max, ConfigValues.integerRule(min, max));
  }

  /** A seconds-valued extra key in [minSeconds, maxSeconds], or {@code defaultValue} when absent. */
  public Duration durationValue(String key, Duration defaultValue, double minSeconds, double maxSeconds) {
    Object value = extras.get(key);
    return value == null ? defaultValue
        : ConfigValues.toSeconds(key, value, minSeconds, maxSeconds, ConfigValues.secondsRule(minSeconds, maxSeconds));
  }

  /** An extra key that must be one of {@code allowed} (ignoring case), or {@code defaultValue} when absent. */
  public String choiceValue(String key, String defaultValue, Collection<String> allowed) {
    Object value = extras.get(key);
    return value == null ? defaultValue : ConfigValues.toChoice(key, value, allowed);
  }

  // ---- views -------------------------------------------------------------------------------

  /**
   * The configuration as properties, snake_case keys in configuration form (durations as seconds,
   * policies by name, classes by name): the known keys that are set, then the extras. Secrets are
   * included as they are; use {@link #toDisplayMap()} to show a configuration.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    putIfSet(map, NAME, name);
    putIfSet(map, HOST, host);
    putIfSet(map, PORT, port);
    putIfSet(map, AUTH, auth);
    map.put(RUN_AS_THREAD, runAsThread);
    map.put(DISABLE_THREAD, disableThread);
    map.put(MAX_QUEUE_SIZE, maxQueueSize);
    putIfSet(map, RESULT_QUEUE_SIZE, resultQueueSize);
    map.put(CALLBACK_QUEUE_SIZE, callbackQueueSize);
    map.put(OVERFLOW_POLICY, overflowPolicy.configValue());
    putIfSet(map, RESULT_OVERFLOW_POLICY, resultOverflowPolicy == null ? null : resultOverflowPolicy.configValue());
    putIfSet(map, CALLBACK_OVERFLOW_POLICY, callbackOverflowPolicy == null ? null : callbackOverflowPolicy.configValue());
    map.put(OFFER_TIMEOUT, ConfigValues.seconds(offerTimeout));
    map.put(SHUTDOWN_TIMEOUT, ConfigValues.seconds(shutdownTimeout));
    map.put(WORKER_THREADS, workerThreads);
    map.put(WAIT_STRATEGY, waitStrategy.configValue());
    map.put(VERBOSE, verbose);
    if (!expectedTypes.isEmpty()) {
      map.put(EXPECTED_TYPE, expectedTypes.stream().map(Class::getName).collect(Collectors.joining(",")));
    }
    putIfSet(map, GENERATE_RESULTS_CALLBACK, generateResultsCallback);
    putIfSet(map, NETWORK_TIMEOUT, networkTimeout == null ? null : ConfigValues.seconds(networkTimeout));
    map.put(CLIENT_ID_PREFIX, clientIdPrefix);
    extras.forEach(map::putIfAbsent);
    return map;
  }

  /**
   * As {@link #toMap()}, for people: secrets masked, the callback shown as {@code <code>}, and
   * effective values of the keys that default to another ({@code result_queue_size}, policies).
   */
  public Map<String, Object> toDisplayMap() {
    return ConfigViews.display(this);
  }

  private static void putIfSet(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  @Override
  public boolean equals(Object other) {
    return this == other || other instanceof HandlerConfig that && ConfigViews.sameForms(toMap(), that.toMap());
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, host, port, maxQueueSize, overflowPolicy, workerThreads);
  }

  /** The display map: secrets are masked. */
  @Override
  public String toString() {
    return "HandlerConfig" + toDisplayMap();
  }

  /** Builds a {@link HandlerConfig}; every setter checks its value at once. */
  public static final class Builder {
    private String name;
    private String host;
    private Integer port;
    private String auth;
    private boolean runAsThread = true;
    private boolean disableThread;
    private int maxQueueSize = 128;
    private Integer resultQueueSize;
    private int callbackQueueSize = 128;
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_NEWEST;
    private OverflowPolicy resultOverflowPolicy;
    private OverflowPolicy callbackOverflowPolicy;
    private Duration offerTimeout = Duration.ofSeconds(1);
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private int workerThreads = 1;
    private WaitStrategy waitStrategy = WaitStrategy.PARK;
    private boolean verbose;
    private List<Class<?>> expectedTypes = List.of();
    private BiFunction<Object, Map<String, ?>, Object> generateResultsCallback;
    private Duration networkTimeout;
    private String clientIdPrefix = "client";
    private final Map<String, Object> extras = new LinkedHashMap<>();
    private ClassLoader classLoader;

    private Builder() {}

    /** Where {@link #set} loads {@code expected_type} classes from; null = context loader, then this bundle's. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = classLoader;
      return this;
    }

    /** {@code name}: letters, digits, '.', '_' and '-', at most 64, starting with a letter or digit. */
    public Builder name(String name) {
      if (name != null && !ConfigKeys.isValidName(name)) {
        throw new InvalidConfigurationException(NAME, name, ConfigKeys.NAME_RULE);
      }
      this.name = name;
      return this;
    }

    /** {@code host}. */
    public Builder host(String host) {
      if (host != null && (host.isBlank() || host.chars().anyMatch(Character::isWhitespace))) {
        throw new InvalidConfigurationException(HOST, host, "a host name or address without blanks");
      }
      this.host = host;
      return this;
    }

    /** {@code port}: 1&ndash;65535. */
    public Builder port(int port) {
      this.port = ConfigParser.port(port);
      return this;
    }

    /** {@code auth}: a credential (a secret; never logged). */
    public Builder auth(String auth) {
      this.auth = auth;
      return this;
    }

    /** {@code run_as_thread}. */
    public Builder runAsThread(boolean runAsThread) {
      this.runAsThread = runAsThread;
      return this;
    }

    /** {@code disable_thread}. */
    public Builder disableThread(boolean disableThread) {
      this.disableThread = disableThread;
      return this;
    }

    /** {@code max_queue_size}: &gt;= 0, 0 = unbounded. */
    public Builder maxQueueSize(int size) {
      this.maxQueueSize = ConfigParser.size(MAX_QUEUE_SIZE, size);
      return this;
    }

    /** {@code result_queue_size}: &gt;= 0, 0 = unbounded. */
    public Builder resultQueueSize(int size) {
      this.resultQueueSize = ConfigParser.size(RESULT_QUEUE_SIZE, size);
      return this;
    }

    /** {@code callback_queue_size}: &gt;= 0, 0 = unbounded. */
    public Builder callbackQueueSize(int size) {
      this.callbackQueueSize = ConfigParser.size(CALLBACK_QUEUE_SIZE, size);
      return this;
    }

    /** {@code overflow_policy}. */
    public Builder overflowPolicy(OverflowPolicy policy) {
      this.overflowPolicy = Objects.requireNonNull(policy, OVERFLOW_POLICY);
      return this;
    }

    /** {@code result_overflow_policy}; null = follow {@code overflow_policy}. */
    public Builder resultOverflowPolicy(OverflowPolicy policy) {
      this.resultOverflowPolicy = policy;
      return this;
    }

    /** {@code callback_overflow_policy}; null = follow {@code overflow_policy} (without {@code block}). */
    public Builder callbackOverflowPolicy(OverflowPolicy policy) {
      this.callbackOverflowPolicy = policy;
      return this;
    }

    /** {@code offer_timeout}: &gt;= 0; zero = wait until there is room or the handler closes. */
    public Builder offerTimeout(Duration timeout) {
      this.offerTimeout = ConfigParser.seconds(OFFER_TIMEOUT, timeout);
      return this;
    }

    /** {@code shutdown_timeout}: &gt;= 0. */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = ConfigParser.seconds(SHUTDOWN_TIMEOUT, timeout);
      return this;
    }

    /** {@code worker_threads}: 1&ndash;{@value HandlerConfig#MAX_WORKER_THREADS}. */
    public Builder workerThreads(int threads) {
      this.workerThreads = ConfigParser.workerThreads(threads);
      return this;
    }

    /** {@code wait_strategy}. */
    public Builder waitStrategy(WaitStrategy strategy) {
      this.waitStrategy = Objects.requireNonNull(strategy, WAIT_STRATEGY);
      return this;
    }

    /** {@code verbose}. */
    public Builder verbose(boolean verbose) {
      this.verbose = verbose;
      return this;
    }

    /** {@code expected_type}: an item must be an instance of one of these; none = any item. */
    public Builder expectedType(Class<?>... types) {
      for (Class<?> type : types) {
        Objects.requireNonNull(type, EXPECTED_TYPE);
      }
      this.expectedTypes = List.of(types);
      return this;
    }

    /** {@code generate_results_callback}: {@code (item, extra) -> result}, used when generateResults is not overridden. */
    public Builder generateResultsCallback(BiFunction<Object, Map<String, ?>, Object> callback) {
      this.generateResultsCallback = callback;
      return this;
    }

    /** {@code network_timeout}: &gt; 0, at most a year; null = none. */
    public Builder networkTimeout(Duration timeout) {
      this.networkTimeout = timeout == null ? null : ConfigParser.networkTimeout(timeout);
      return this;
    }

    /** {@code client_id_prefix}: not blank. */
    public Builder clientIdPrefix(String prefix) {
      this.clientIdPrefix = ConfigParser.clientIdPrefix(prefix);
      return this;
    }

    /**
     * Sets any key from its configuration form (a string from a {@code .cfg} file, or a typed
     * value). Unknown keys are kept as extras.
     *
     * @throws InvalidConfigurationException naming the key, the value and what is allowed
     */
    public Builder set(String key, Object value) {
      if (!ConfigParser.set(this, key, value, classLoader)) {
        extras.put(key, value);
      }
      return this;
    }

    /** Builds the configuration; every value was checked when it was set. */
    public HandlerConfig build() {
      return new HandlerConfig(this);
    }
  }
}
