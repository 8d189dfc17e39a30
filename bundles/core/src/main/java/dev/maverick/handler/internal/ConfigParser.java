package dev.maverick.handler.internal;

import static dev.maverick.handler.HandlerConfig.AUTH;
import static dev.maverick.handler.HandlerConfig.CALLBACK_OVERFLOW_POLICY;
import static dev.maverick.handler.HandlerConfig.CALLBACK_QUEUE_SIZE;
import static dev.maverick.handler.HandlerConfig.CLIENT_ID_PREFIX;
import static dev.maverick.handler.HandlerConfig.DISABLE_THREAD;
import static dev.maverick.handler.HandlerConfig.EXPECTED_TYPE;
import static dev.maverick.handler.HandlerConfig.GENERATE_RESULTS_CALLBACK;
import static dev.maverick.handler.HandlerConfig.HOST;
import static dev.maverick.handler.HandlerConfig.MAX_QUEUE_SIZE;
import static dev.maverick.handler.HandlerConfig.MAX_WORKER_THREADS;
import static dev.maverick.handler.HandlerConfig.NAME;
import static dev.maverick.handler.HandlerConfig.NETWORK_TIMEOUT;
import static dev.maverick.handler.HandlerConfig.OFFER_TIMEOUT;
import static dev.maverick.handler.HandlerConfig.OVERFLOW_POLICY;
import static dev.maverick.handler.HandlerConfig.PORT;
import static dev.maverick.handler.HandlerConfig.RESULT_OVERFLOW_POLICY;
import static dev.maverick.handler.HandlerConfig.RESULT_QUEUE_SIZE;
import static dev.maverick.handler.HandlerConfig.RUN_AS_THREAD;
import static dev.maverick.handler.HandlerConfig.SHUTDOWN_TIMEOUT;
import static dev.maverick.handler.HandlerConfig.WAIT_STRATEGY;
import static dev.maverick.handler.HandlerConfig.VERBOSE;
import static dev.maverick.handler.HandlerConfig.WORKER_THREADS;

import dev.maverick.handler.HandlerConfig;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.OverflowPolicy;
import dev.maverick.handler.WaitStrategy;
import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads the core's configuration keys from their configuration form (a string from a {@code .cfg}
 * file, a typed value from Config Admin or code) into {@link HandlerConfig.Builder} values. Each
 * key has one rule, here, which {@link HandlerConfig.Builder#set} and the builder's typed setters
 * both apply, so a value is refused with the same words whichever way it came.
 */
public final class ConfigParser {
  /** The longest duration a key takes: a year, in seconds. */
  private static final double MAX_SECONDS = 365.0 * 24 * 3600;
  private static final String SIZE_RULE = "an integer >= 0 (0 = unbounded)";
  private static final String SECONDS_RULE = "a number of seconds >= 0, decimals allowed";
  private static final String POSITIVE_SECONDS_RULE = "a number of seconds > 0, decimals allowed";
  private static final String PORT_RULE = "an integer from 1 to 65535";
  private static final String WORKER_THREADS_RULE = "an integer from 1 to " + MAX_WORKER_THREADS;
  private static final String CLASSES_RULE =
      "a class, or class names separated by commas (e.g. java.lang.String,java.util.Map)";

  private ConfigParser() {}

  /**
   * A copy of {@code base} with some keys changed; a {@code null} value removes a key (back to its
   * default). Classes and callbacks are carried over as objects: their names may not be loadable
   * through {@code classLoader}.
   */
  public static HandlerConfig with(HandlerConfig base, Map<String, ?> changes, ClassLoader classLoader) {
    HandlerConfig.Builder builder = HandlerConfig.builder().classLoader(classLoader);
    if (!changes.containsKey(EXPECTED_TYPE)) {
      builder.expectedType(base.expectedTypes().toArray(Class<?>[]::new));
    }
    if (!changes.containsKey(GENERATE_RESULTS_CALLBACK)) {
      builder.generateResultsCallback(base.generateResultsCallback().orElse(null));
    }
    base.toMap().forEach((key, value) -> {
      if (!changes.containsKey(key) && !key.equals(EXPECTED_TYPE) && !key.equals(GENERATE_RESULTS_CALLBACK)) {
        builder.set(key, value);
      }
    });
    changes.forEach((key, value) -> {
      if (value != null) {
        builder.set(key, value);
      }
    });
    return builder.build();
  }

  /**
   * Sets a key the core knows on {@code builder}, from its configuration form.
   *
   * @param classLoader where {@code expected_type} classes are looked for first (null: none of its own)
   * @return false if the core does not know the key (the caller keeps it as an extra)
   * @throws InvalidConfigurationException naming the key, the value and what is allowed
   */
  public static boolean set(HandlerConfig.Builder builder, String key, Object value, ClassLoader classLoader) {
    switch (key) {
      case NAME -> builder.name(ConfigValues.toText(NAME, value, false, "a non-blank name"));
      case HOST -> builder.host(ConfigValues.toText(HOST, value, false, "a host name or address"));
      case PORT -> builder.port(port(value));
      case AUTH -> builder.auth(ConfigValues.toText(AUTH, value, true, "a string"));
      case RUN_AS_THREAD, DISABLE_THREAD, VERBOSE -> {
        boolean flag = ConfigValues.toBoolean(key, value);
        switch (key) {
          case RUN_AS_THREAD -> builder.runAsThread(flag);
          case DISABLE_THREAD -> builder.disableThread(flag);
          default -> builder.verbose(flag);
        }
      }
      case MAX_QUEUE_SIZE -> builder.maxQueueSize(size(key, value));
      case RESULT_QUEUE_SIZE -> builder.resultQueueSize(size(key, value));
      case CALLBACK_QUEUE_SIZE -> builder.callbackQueueSize(size(key, value));
      case OVERFLOW_POLICY -> builder.overflowPolicy(policy(key, value));
      case RESULT_OVERFLOW_POLICY -> builder.resultOverflowPolicy(policy(key, value));
      case CALLBACK_OVERFLOW_POLICY -> builder.callbackOverflowPolicy(callbackPolicy(value));
      case OFFER_TIMEOUT -> builder.offerTimeout(seconds(key, value));
      case SHUTDOWN_TIMEOUT -> builder.shutdownTimeout(seconds(key, value));
      case NETWORK_TIMEOUT -> builder.networkTimeout(networkTimeout(value));
      case WORKER_THREADS -> builder.workerThreads(workerThreads(value));
      case WAIT_STRATEGY -> builder.waitStrategy(waitStrategy(value));
      case CLIENT_ID_PREFIX -> builder.clientIdPrefix(clientIdPrefix(value));
      case EXPECTED_TYPE -> builder.expectedType(classes(value, classLoader).toArray(Class<?>[]::new));
      case GENERATE_RESULTS_CALLBACK -> builder.generateResultsCallback(callback(value));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** {@code port}: 1&ndash;65535. */
  public static int port(Object value) {
    return ConfigValues.toInt(PORT, value, 1, 65535, PORT_RULE);
  }

  /** A queue size: &gt;= 0, 0 = unbounded. */
  public static int size(String key, Object value) {
    return ConfigValues.toInt(key, value, 0, Integer.MAX_VALUE, SIZE_RULE);
  }

  /** {@code worker_threads}: 1&ndash;{@value HandlerConfig#MAX_WORKER_THREADS}. */
  public static int workerThreads(Object value) {
    return ConfigValues.toInt(WORKER_THREADS, value, 1, MAX_WORKER_THREADS,
        WORKER_THREADS_RULE);
  }

  /** {@code offer_timeout}, {@code shutdown_timeout}: seconds &gt;= 0, at most a year. */
  public static Duration seconds(String key, Object value) {
    return ConfigValues.toSeconds(key, value, 0, MAX_SECONDS, SECONDS_RULE);
  }

  /** {@code network_timeout}: seconds &gt; 0, at most a year. */
  public static Duration networkTimeout(Object value) {
    return ConfigValues.toSeconds(NETWORK_TIMEOUT, value, Double.MIN_VALUE, MAX_SECONDS,
        POSITIVE_SECONDS_RULE);
  }

  /** {@code client_id_prefix}: not blank. */
  public static String clientIdPrefix(Object value) {
    return ConfigValues.toText(CLIENT_ID_PREFIX, value, false, "a non-blank string");
  }

  /** An overflow policy by its name ({@code drop_newest}, ...), or given as one. */
  public static OverflowPolicy policy(String key, Object value) {
    Object v = ConfigValues.unwrapSingle(value);
    if (v instanceof OverflowPolicy policy) {
      return policy;
    }
    if (v instanceof CharSequence text) {
      try {
        return OverflowPolicy.parse(text.toString());
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationException(key, value, "one of " + OverflowPolicy.allowedValues(), e);
      }
    }
    throw new InvalidConfigurationException(key, value, "one of " + OverflowPolicy.allowedValues());
  }

  /** {@code wait_strategy} by its name ({@code park}, {@code spin}), or given as one. */
  public static WaitStrategy waitStrategy(Object value) {
    Object v = ConfigValues.unwrapSingle(value);
    if (v instanceof WaitStrategy strategy) {
      return strategy;
    }
    try {
      if (v instanceof CharSequence text) {
        return WaitStrategy.parse(text.toString());
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(WAIT_STRATEGY, value, "one of " + WaitStrategy.allowedValues(), e);
    }
    throw new InvalidConfigurationException(WAIT_STRATEGY, value, "one of " + WaitStrategy.allowedValues());
  }

  /** {@code callback_overflow_policy}: a policy, but never {@code block}. */
  public static OverflowPolicy callbackPolicy(Object value) {
    OverflowPolicy policy = policy(CALLBACK_OVERFLOW_POLICY, value);
    if (policy == OverflowPolicy.BLOCK) {
      throw new InvalidConfigurationException(CALLBACK_OVERFLOW_POLICY, value,
          "drop_newest, drop_oldest or fail (callbacks never block their caller)");
    }
    return policy;
  }

  @SuppressWarnings("unchecked")
  private static BiFunction<Object, Map<String, ?>, Object> callback(Object value) {
    if (value instanceof BiFunction<?, ?, ?> function) {
      return (BiFunction<Object, Map<String, ?>, Object>) function;
    }
    throw new InvalidConfigurationException(GENERATE_RESULTS_CALLBACK, value,
        "a java.util.function.BiFunction<Object, Map<String, ?>, Object> (set in code, not in files)");
  }

  /** {@code expected_type}: classes, or class names separated by commas; short {@code java.lang} names, primitives and arrays work. */
  private static List<Class<?>> classes(Object value, ClassLoader classLoader) {
    List<Object> parts = new ArrayList<>();
    if (value instanceof Class<?> || value instanceof CharSequence) {
      parts.add(value);
    } else if (value instanceof Object[] array) {
      parts.addAll(Arrays.asList(array));
    } else if (value instanceof Collection<?> collection) {
      parts.addAll(collection);
    } else {
      throw new InvalidConfigurationException(EXPECTED_TYPE, value, CLASSES_RULE);
    }
    List<Class<?>> result = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof Class<?> type) {
        result.add(type);
      } else if (part instanceof CharSequence text) {
        for (String name : text.toString().split(",")) {
          if (!name.isBlank()) {
            result.add(loadClass(name.trim(), value, classLoader));
          }
        }
      } else {
        throw new InvalidConfigurationException(EXPECTED_TYPE, value, "classes or class names");
      }
    }
    return result;
  }

  private static Class<?> loadClass(String name, Object value, ClassLoader classLoader) {
    if (name.endsWith("[]")) {
      return Array.newInstance(loadClass(name.substring(0, name.length() - 2).trim(), value, classLoader), 0)
          .getClass();
    }
    Class<?> primitive = Types.primitiveNamed(name);
    if (primitive != null) {
      return primitive;
    }
    Set<String> candidates = new LinkedHashSet<>();
    candidates.add(name);
    if (name.indexOf('.') < 0) {
      candidates.add("java.lang." + name);
    }
    for (String candidate : candidates) {
      for (ClassLoader loader : loaders(classLoader)) {
        try {
          return Class.forName(candidate, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          // try the next loader
        }
      }
    }
    throw new InvalidConfigurationException(EXPECTED_TYPE, value,
        "names of classes visible to the handler; '" + name + "' was not found");
  }

  /** The given loader, then the thread's context loader, then the core bundle's. */
  private static List<ClassLoader> loaders(ClassLoader classLoader) {
    List<ClassLoader> loaders = new ArrayList<>(3);
    if (classLoader != null) {
      loaders.add(classLoader);
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      loaders.add(context);
    }
    loaders.add(HandlerConfig.class.getClassLoader());
    return loaders;
  }
}
