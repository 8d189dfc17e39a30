package dev.maverick.handler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonConfigTest {

  @Test
  void untypedValuesTakeTheirNaturalJavaTypes() {
    Map<String, Object> read = JsonConfig.read("""
        // a comment
        { "name": "echo", "max_queue_size": 8, "offer_timeout": 1.5, "verbose": true,
          /* arrays */ "tags": ["a", "b"], "sizes": [1, 2], "weights": [1, 2.5], "none": [] }
        """);
    assertThat(read).containsExactly(Map.entry("name", "echo"), Map.entry("max_queue_size", 8L),
        Map.entry("offer_timeout", 1.5), Map.entry("verbose", true), Map.entry("tags", new String[] {"a", "b"}),
        Map.entry("sizes", new Long[] {1L, 2L}), Map.entry("weights", new Double[] {1.0, 2.5}),
        Map.entry("none", new String[0]));
  }

  @Test
  void typedKeysConvertAndCheckRanges() {
    Map<String, Object> read = JsonConfig.read("""
        { "a:Integer": 8, "b:int[]": [1, 2], "c:Collection<String>": ["x"], "d:Float": 0.5,
          "e:Character": "z", "f:Short": -3, "g:String": "7", "h:boolean[]": [true] }
        """);
    assertThat(read.get("a")).isEqualTo(8);
    assertThat(read.get("b")).isEqualTo(new int[] {1, 2});
    assertThat(read.get("c")).isEqualTo(List.of("x"));
    assertThat(read.get("d")).isEqualTo(0.5f);
    assertThat(read.get("e")).isEqualTo('z');
    assertThat(read.get("f")).isEqualTo((short) -3);
    assertThat(read.get("g")).isEqualTo("7");
    assertThat(read.get("h")).isEqualTo(new boolean[] {true});
    assertThatThrownBy(() -> JsonConfig.read("{\"a:Byte\": 300}"))
        .hasMessageContaining("\"a:Byte\"").hasMessageContaining("does not fit in Byte");
    assertThatThrownBy(() -> JsonConfig.read("{\"a:Integer\": 1.5}")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> JsonConfig.read("{\"a:Widget\": 1}")).hasMessageContaining("unknown type Widget");
  }

  @Test
  void writingThenReadingGivesTheSameTypesAndValues() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", "say \"hi\"\n");
    properties.put("count", 3L);
    properties.put("small", 3);
    properties.put("ratio", 0.25);
    properties.put("on", false);
    properties.put("tags", new String[] {"x", "y"});
    properties.put("ints", new int[] {4, 5});
    properties.put("boxed", new Integer[] {6});
    properties.put("list", List.of(7L, 8L));
    properties.put("empty", new Long[0]);
    String text = JsonConfig.write(properties);
    assertThat(text).contains("\"small:Integer\": 3").contains("\"count\": 3").contains("\"ints:int[]\": [4, 5]");
    Map<String, Object> back = JsonConfig.read(text);
    assertThat(back.keySet()).containsExactlyElementsOf(properties.keySet());
    assertThat(ConfigFiles.sameValues(back, properties)).isTrue();
    assertThat(back.get("small")).isInstanceOf(Integer.class);
    assertThat(back.get("ints")).isInstanceOf(int[].class);
    assertThat(back.get("empty")).isInstanceOf(Long[].class);
  }

  @Test
  void errorsNameTheLineColumnAndWhatWasExpected() {
    assertThatThrownBy(() -> JsonConfig.read("{\n  \"a\": 1,\n  \"b\" 2\n}"))
        .hasMessage("line 3, column 7: unexpected '2'; expected ':'");
    assertThatThrownBy(() -> JsonConfig.read("[1]")).hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> JsonConfig.read("{\"a\": {\"b\": 1}}")).hasMessageContaining("not an object");
    assertThatThrownBy(() -> JsonConfig.read("{\"a\": null}")).hasMessageContaining("not null");
    assertThatThrownBy(() -> JsonConfig.read("{\"a\": [1, \"x\"]}")).hasMessageContaining("\"a\"");
    assertThatThrownBy(() -> JsonConfig.read("{\"a\": 1, \"a\": 2}")).hasMessageContaining("given twice");
    assertThatThrownBy(() -> JsonConfig.read("{\"a\": 1} x")).hasMessageContaining("after the end");
  }
}
