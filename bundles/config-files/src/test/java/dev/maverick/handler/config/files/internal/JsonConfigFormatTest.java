package dev.maverick.handler.config.files.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonConfigFormatTest {
  private final JsonConfigFormat json = new JsonConfigFormat();

  @Test
  void untypedValuesTakeTheirNaturalJavaTypes() {
    Map<String, Object> read = json.read("""
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
    Map<String, Object> read = json.read("""
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
    assertThatThrownBy(() -> json.read("{\"a:Byte\": 300}"))
        .hasMessageContaining("\"a:Byte\"").hasMessageContaining("does not fit in Byte");
    assertThatThrownBy(() -> json.read("{\"a:Integer\": 1.5}")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> json.read("{\"a:Widget\": 1}")).hasMessageContaining("unknown type Widget");
  }

  @Test
  void aKeyHoldingAColonIsAKeyUnlessWhatFollowsTheLastColonIsAType() {
    Map<String, Object> read = json.read("{\"jdbc:url\": \"x\", \"a:b:Integer\": 3, \"time:12:30\": true}");
    assertThat(read).containsExactly(Map.entry("jdbc:url", "x"), Map.entry("a:b", 3), Map.entry("time:12:30", true));
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("jdbc:url", "x");
    values.put("a:Integer", "not an integer");
    values.put("n:Long", 5L);
    String text = json.write(values);
    assertThat(text).contains("\"jdbc:url:String\": \"x\"").contains("\"a:Integer:String\"").contains("\"n:Long:Long\": 5");
    assertThat(json.read(text)).isEqualTo(values);
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
    String text = json.write(properties);
    assertThat(text).contains("\"small:Integer\": 3").contains("\"count\": 3").contains("\"ints:int[]\": [4, 5]");
    Map<String, Object> back = json.read(text);
    assertThat(back.keySet()).containsExactlyElementsOf(properties.keySet());
    assertThat(Values.sameValues(back, properties)).isTrue();
    assertThat(back.get("small")).isInstanceOf(Integer.class);
    assertThat(back.get("ints")).isInstanceOf(int[].class);
    assertThat(back.get("empty")).isInstanceOf(Long[].class);
  }

  @Test
  void everyStringComesBackIdentical() {
    Random random = new Random(11);
    for (int round = 0; round < 500; round++) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (int i = random.nextInt(5); i >= 0; i--) {
        StringBuilder value = new StringBuilder();
        for (int c = random.nextInt(30); c > 0; c--) {
          int codePoint = random.nextInt(3) == 0 ? "\\\"/${}:\n\t\u0000\u2028 ".codePointAt(random.nextInt(12))
              : random.nextInt(0xd800);
          value.appendCodePoint(codePoint);
        }
        values.put("k" + i + (random.nextBoolean() ? ":x" : ""), value.toString());
      }
      String text = json.write(values);
      assertThat(json.read(text)).as(text).isEqualTo(values);
    }
  }

  @Test
  void aNumberThatIsNotFiniteIsNeitherReadNorWritten() {
    assertThatThrownBy(() -> json.read("{\"ratio\": 1e999}")).hasMessageContaining("\"ratio\"")
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> json.write(Map.of("ratio", Double.POSITIVE_INFINITY))).hasMessageContaining("'ratio'")
        .hasMessageContaining("not a finite number");
  }

  @Test
  void errorsNameTheLineColumnAndWhatWasFound() {
    assertThatThrownBy(() -> json.read("{\n  \"a\": 1,\n  \"b\" 2\n}"))
        .hasMessageStartingWith("line 3, column ").hasMessageContaining("'2'");
    assertThatThrownBy(() -> json.read("[1]")).hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> json.read("{\"a\": {\"b\": 1}}")).hasMessageContaining("not an object");
    assertThatThrownBy(() -> json.read("{\"a\": null}")).hasMessageContaining("not null");
    assertThatThrownBy(() -> json.read("{\"a\": [1, \"x\"]}")).hasMessageContaining("\"a\"");
    assertThatThrownBy(() -> json.read("{\"a\": 1, \"a\": 2}")).hasMessageContaining("Duplicate field 'a'");
    assertThatThrownBy(() -> json.read("{\"a\": 1} x")).hasMessageContaining("line 1");
  }
}
