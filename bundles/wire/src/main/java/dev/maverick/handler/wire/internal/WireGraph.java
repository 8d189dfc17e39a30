package dev.maverick.handler.wire.internal;

import dev.maverick.handler.ConfigKeys;
import dev.maverick.handler.Handler;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.wire.WireConfig;
import dev.maverick.handler.wire.WireValidator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The graph of every wire of this runtime, and the rules a new wire must keep in it: a name no
 * other wire has, a source no other wire reads ("two wires from one source are one wire with two
 * targets"), and no cycle (a result must never come back to where it was made). The running wires
 * add themselves; {@link WireValidator#validate} checks a configuration against it without
 * changing it. Edges run from a wire's source to each of its targets and to its dead letter.
 */
@Component(service = {WireValidator.class, WireGraph.class})
public final class WireGraph implements WireValidator {

  /** One wire in the graph. */
  private record Edges(String pid, String name, String from, List<String> to, String deadLetter) {
    List<String> successors() {
      List<String> all = new ArrayList<>(to);
      if (deadLetter != null) {
        all.add(deadLetter);
      }
      return all;
    }
  }

  private final Predicate<String> handlerExists;
  private final Map<String, Edges> byPid = new LinkedHashMap<>();
  /** Wires the graph refused, by PID: told when a wire leaves, so that they can try again. */
  private final Map<String, Runnable> waiting = new java.util.concurrent.ConcurrentHashMap<>();

  /** The graph of a runtime: a handler exists when a {@code Handler} service of that name is registered. */
  @Activate
  public WireGraph(BundleContext context) {
    this(name -> registered(context, name));
  }

  /** A graph that asks {@code handlerExists} whether a handler of a name is there. */
  WireGraph(Predicate<String> handlerExists) {
    this.handlerExists = handlerExists;
  }

  @Override
  public WireConfig validate(Map<String, ?> properties, boolean handlersMustExist) {
    WireConfig config = WireConfig.fromMap(properties);
    synchronized (this) {
      check(config, null, config.name());
    }
    if (handlersMustExist) {
      requireHandler(WireConfig.FROM, config.from(), config.from());
      for (String target : config.to()) {
        requireHandler(WireConfig.TO, config.to(), target);
      }
      if (config.deadLetter().isPresent()) {
        requireHandler(WireConfig.DEAD_LETTER, config.deadLetter().get(), config.deadLetter().get());
      }
    }
    return config;
  }

  /**
   * Adds a running wire.
   *
   * @throws InvalidConfigurationException if it breaks a rule of the graph (the graph is unchanged)
   */
  synchronized void add(String pid, WireConfig config) {
    check(config, pid, null);
    byPid.put(pid, new Edges(pid, config.name(), config.from(), config.to(), config.deadLetter().orElse(null)));
  }

  /**
   * Removes the wire of a configuration, if it is in the graph, then tells every refused wire
   * (outside the graph's lock: each tries {@link #add} again).
   */
  void remove(String pid) {
    boolean removed;
    synchronized (this) {
      removed = byPid.remove(pid) != null;
    }
    if (removed) {
      for (Map.Entry<String, Runnable> refused : List.copyOf(waiting.entrySet())) {
        if (!refused.getKey().equals(pid)) {
          refused.getValue().run();
        }
      }
    }
  }

  /** Tells {@code retry} when a wire leaves the graph, until it is set to null for that PID. */
  void onChange(String pid, Runnable retry) {
    if (retry == null) {
      waiting.remove(pid);
    } else {
      waiting.put(pid, retry);
    }
  }

  /** The wire reading {@code handler}'s results, if any: its name. */
  synchronized java.util.Optional<String> readerOf(String handler) {
    return byPid.values().stream().filter(edges -> edges.from().equals(handler)).map(Edges::name).findFirst();
  }

  /**
   * Checks a wire against every other: the one of configuration {@code ownPid} and the one named
   * {@code replacing} are the same wire, being replaced.
   */
  private void check(WireConfig config, String ownPid, String replacing) {
    List<Edges> others = new ArrayList<>();
    for (Edges edges : byPid.values()) {
      if (!edges.pid().equals(ownPid) && !edges.name().equals(replacing)) {
        others.add(edges);
      }
    }
    for (Edges other : others) {
      if (other.name().equals(config.name())) {
        throw new InvalidConfigurationException(WireConfig.NAME, config.name(), "a name no other wire has: '"
            + config.name() + "' is the wire of configuration " + other.pid());
      }
      if (other.from().equals(config.from())) {
        throw new InvalidConfigurationException(WireConfig.FROM, config.from(), "a handler no other wire reads: the "
            + "results of '" + config.from() + "' are read by wire '" + other.name() + "'; two wires from one source "
            + "are one wire with two targets (add the targets to wire '" + other.name() + "')");
      }
    }
    Edges self = new Edges(ownPid == null ? "" : ownPid, config.name(), config.from(), config.to(),
        config.deadLetter().orElse(null));
    others.add(self);
    List<String> cycle = cycleThrough(self, others);
    if (cycle != null) {
      String firstHop = cycle.get(1);
      boolean viaDeadLetter = !config.to().contains(firstHop);
      String key = viaDeadLetter ? WireConfig.DEAD_LETTER : WireConfig.TO;
      Object value = viaDeadLetter ? config.deadLetter().orElse("") : config.to();
      throw new InvalidConfigurationException(key, value, "handlers that do not lead back to '" + config.from()
          + "': the wire would close the cycle " + describe(config.name(), cycle, others));
    }
  }

  /** A path from the wire's source back to it through its own edges and then any wire's, or null. */
  private static List<String> cycleThrough(Edges self, List<Edges> all) {
    Map<String, List<String>> successors = new LinkedHashMap<>();
    for (Edges edges : all) {
      successors.computeIfAbsent(edges.from(), any -> new ArrayList<>()).addAll(edges.successors());
    }
    for (String first : self.successors()) {
      Deque<List<String>> paths = new ArrayDeque<>();
      paths.add(List.of(self.from(), first));
      Set<String> seen = new HashSet<>();
      while (!paths.isEmpty()) {
        List<String> path = paths.poll();
        String last = path.get(path.size() - 1);
        if (last.equals(self.from())) {
          return path;
        }
        if (!seen.add(last)) {
          continue;
        }
        for (String next : successors.getOrDefault(last, List.of())) {
          List<String> longer = new ArrayList<>(path);
          longer.add(next);
          paths.add(longer);
        }
      }
    }
    return null;
  }

  /** {@code voice: stt -> llm -> stt}, and the other wires the cycle runs through. */
  private static String describe(String wire, List<String> cycle, List<Edges> all) {
    Set<String> through = new TreeSet<>();
    for (int i = 1; i + 1 < cycle.size(); i++) {
      String hopFrom = cycle.get(i);
      String hopTo = cycle.get(i + 1);
      for (Edges edges : all) {
        if (edges.from().equals(hopFrom) && edges.successors().contains(hopTo) && !edges.name().equals(wire)) {
          through.add(edges.name());
        }
      }
    }
    return wire + ": " + String.join(" -> ", cycle)
        + (through.isEmpty() ? "" : " (through wire " + String.join(", ", through.stream().map(n -> "'" + n + "'").toList()) + ")");
  }

  private void requireHandler(String key, Object value, String name) {
    if (!handlerExists.test(name)) {
      throw new InvalidConfigurationException(key, value, "the names of registered handlers; there is no handler '"
          + name + "'");
    }
  }

  private static boolean registered(BundleContext context, String name) {
    try {
      ServiceReference<?>[] found = context.getServiceReferences(Handler.class.getName(),
          "(" + Handler.NAME_PROPERTY + "=" + ConfigKeys.ldapValue(Objects.requireNonNull(name)) + ")");
      return found != null && found.length > 0;
    } catch (InvalidSyntaxException e) {
      return false;
    }
  }
}
