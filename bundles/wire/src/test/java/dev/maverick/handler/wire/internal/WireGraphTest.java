package dev.maverick.handler.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.wire.WireConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireGraphTest {
  private final Set<String> handlers = Set.of("stt", "llm", "echo", "letters", "a", "b", "c");
  private final WireGraph graph = new WireGraph(handlers::contains);

  private static Map<String, Object> wire(String name, String from, String to) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("name", name);
    properties.put("from", from);
    properties.put("to", to);
    return properties;
  }

  private void add(String name, String from, String to) {
    graph.add("dev.maverick.handler.wire~" + name, WireConfig.fromMap(wire(name, from, to)));
  }

  @Test
  void aWireThatClosesACycleIsRefusedNamingTheCycle() {
    add("voice", "stt", "llm");
    assertThatThrownBy(() -> graph.validate(wire("back", "llm", "stt"), false))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("invalid value for 'to'")
        .hasMessageContaining("back: llm -> stt -> llm (through wire 'voice')");
  }

  @Test
  void aLongerCycleIsNamedHopByHop() {
    add("one", "a", "b");
    add("two", "b", "c");
    assertThatThrownBy(() -> add("three", "c", "echo, a"))
        .hasMessageContaining("three: c -> a -> b -> c (through wire 'one', 'two')");
  }

  @Test
  void aWireToItsOwnSourceIsACycle() {
    assertThatThrownBy(() -> graph.validate(wire("loop", "stt", "stt"), false))
        .hasMessageContaining("loop: stt -> stt");
  }

  @Test
  void aCycleThroughTheDeadLetterIsRefusedOnThatKey() {
    add("voice", "stt", "llm");
    Map<String, Object> properties = wire("replies", "llm", "echo");
    properties.put("dead_letter", "stt");
    InvalidConfigurationException e = (InvalidConfigurationException) org.assertj.core.api.Assertions
        .catchThrowable(() -> graph.validate(properties, false));
    assertThat(e.key()).isEqualTo("dead_letter");
    assertThat(e.getMessage()).contains("replies: llm -> stt -> llm");
  }

  @Test
  void aSecondWireFromOneSourceIsRefusedNamingTheWireThatReadsIt() {
    add("voice", "stt", "llm");
    assertThatThrownBy(() -> graph.validate(wire("log", "stt", "echo"), false))
        .hasMessageContaining("invalid value for 'from'")
        .hasMessageContaining("the results of 'stt' are read by wire 'voice'")
        .hasMessageContaining("two wires from one source are one wire with two targets");
  }

  @Test
  void namesAreUnique() {
    add("voice", "stt", "llm");
    assertThatThrownBy(() -> graph.add("dev.maverick.handler.wire~another", WireConfig.fromMap(wire("voice", "echo", "a"))))
        .hasMessageContaining("'name'")
        .hasMessageContaining("is the wire of configuration dev.maverick.handler.wire~voice");
  }

  @Test
  void validatingAWireOfAnExistingNameTakesItAsReplaced() {
    add("voice", "stt", "llm");
    assertThatCode(() -> graph.validate(wire("voice", "stt", "echo"), true)).doesNotThrowAnyException();
  }

  @Test
  void aRemovedWireFreesItsSourceAndName() {
    add("voice", "stt", "llm");
    graph.remove("dev.maverick.handler.wire~voice");
    assertThatCode(() -> add("other", "stt", "echo")).doesNotThrowAnyException();
    assertThat(graph.readerOf("stt")).contains("other");
  }

  @Test
  void aRefusedWireIsToldWhenAWireLeavesTheGraph() {
    add("voice", "stt", "llm");
    java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
    graph.onChange("dev.maverick.handler.wire~log", told::incrementAndGet);
    graph.remove("dev.maverick.handler.wire~nothing-there");
    assertThat(told.get()).as("nothing left, nothing told").isZero();
    graph.remove("dev.maverick.handler.wire~voice");
    assertThat(told.get()).isEqualTo(1);
    graph.onChange("dev.maverick.handler.wire~log", null);
    add("voice", "stt", "llm");
    graph.remove("dev.maverick.handler.wire~voice");
    assertThat(told.get()).isEqualTo(1);
  }

  @Test
  void validatingDoesNotChangeTheGraph() {
    graph.validate(wire("voice", "stt", "llm"), false);
    assertThat(graph.readerOf("stt")).isEmpty();
  }

  @Test
  void unknownHandlersAreRefusedOnlyWhenTheyMustExist() {
    assertThatCode(() -> graph.validate(wire("voice", "stt", "nowhere"), false)).doesNotThrowAnyException();
    assertThatThrownBy(() -> graph.validate(wire("voice", "stt", "nowhere"), true))
        .hasMessageContaining("invalid value for 'to'").hasMessageContaining("there is no handler 'nowhere'");
    assertThatThrownBy(() -> graph.validate(wire("voice", "ghost", "echo"), true))
        .hasMessageContaining("invalid value for 'from'");
    Map<String, Object> properties = wire("voice", "stt", "echo");
    properties.put("dead_letter", "ghost");
    assertThatThrownBy(() -> graph.validate(properties, true)).hasMessageContaining("invalid value for 'dead_letter'");
  }

  @Test
  void aFanOutIsNotACycle() {
    add("voice", "stt", "llm, echo");
    assertThatCode(() -> add("replies", "llm", "echo")).doesNotThrowAnyException();
  }
}
