package dev.maverick.handler.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maverick.handler.InvalidConfigurationException;
import dev.maverick.handler.InvalidItemException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request template engine: every placeholder form, types kept, text inside strings, values
 * that try to inject (quotes, braces, placeholders, JSON fragments, huge strings, deep maps), items
 * that lack what a placeholder names, and the templates refused at validation.
 */
class RequestTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonCodec codec = new JsonCodec();

  private Object fill(String template, Object item, Map<String, ?> extra) {
    return RequestTemplate.parse(template).fill(new Placeholder.Scope(item, extra, "client-1", 1795637713.25, codec));
  }

  /** What the server receives: the filled document written by the handler's codec and parsed back. */
  private Object sent(String template, Object item, Map<String, ?> extra) throws Exception {
    return JSON.readValue(codec.encode(fill(template, item, extra)), Object.class);
  }

  // ---- every placeholder form ------------------------------------------------------------------

  @Test
  void everyPlaceholderFormNamesItsValue() throws Exception {
    Map<String, Object> item = Map.of("text", "hello", "user", Map.of("name", "ada", "langs", List.of("en", "fr")),
        "turns", List.of(Map.of("text", "first"), Map.of("text", "second")));
    Map<String, Object> extra = Map.of("lang", "en", "camera", Map.of("id", 2));
    String template = """
        {"item": "{{item}}", "text": "{{item.text}}", "name": "{{item.user.name}}", "lang2": "{{item.user.langs.1}}",
         "turn": "{{item.turns.1.text}}", "extra": "{{extra}}", "lang": "{{extra.lang}}", "camera": "{{extra.camera.id}}",
         "client": "{{client_id}}", "at": "{{timestamp}}", "spaced": "{{ item.text }}"}""";

    Object sent = sent(template, item, extra);

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("item", item);
    expected.put("text", "hello");
    expected.put("name", "ada");
    expected.put("lang2", "fr");
    expected.put("turn", "second");
    expected.put("extra", extra);
    expected.put("lang", "en");
    expected.put("camera", 2);
    expected.put("client", "client-1");
    expected.put("at", 1795637713.25);
    expected.put("spaced", "hello");
    assertThat(sent).isEqualTo(expected);
  }

  @Test
  void aWholePlaceholderKeepsTheValuesJsonType() throws Exception {
    String template = "{\"v\": \"{{item}}\"}";
    assertThat(sent(template, Map.of("a", 1), Map.of())).isEqualTo(Map.of("v", Map.of("a", 1)));
    assertThat(sent(template, List.of(1, "two", true), Map.of())).isEqualTo(Map.of("v", List.of(1, "two", true)));
    assertThat(sent(template, 42, Map.of())).isEqualTo(Map.of("v", 42));
    assertThat(sent(template, 2.5, Map.of())).isEqualTo(Map.of("v", 2.5));
    assertThat(sent(template, true, Map.of())).isEqualTo(Map.of("v", true));
    assertThat(sent(template, "42", Map.of())).as("a string stays a string").isEqualTo(Map.of("v", "42"));
    assertThat(sent("{\"v\": \"{{extra.x}}\"}", "i", nullValued("x"))).as("a key present with null is null")
        .isEqualTo(nullValued("v"));
    assertThat(sent("\"{{item}}\"", Map.of("whole", "document"), Map.of())).as("the template may be one placeholder")
        .isEqualTo(Map.of("whole", "document"));
  }

  @Test
  void aPlaceholderInsideALongerStringIsReplacedByTheValuesText() throws Exception {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("s", "text");
    item.put("n", 3);
    item.put("d", 0.5);
    item.put("b", false);
    item.put("m", Map.of("a", 1));
    item.put("l", List.of(1, 2));
    item.put("z", null);
    item.put("bytes", new byte[] {1, 2, 3});
    assertThat(sent("{\"v\": \"s={{item.s}} n={{item.n}} d={{item.d}} b={{item.b}} m={{item.m}} l={{item.l}} "
        + "z={{item.z}} bytes={{item.bytes}} id={{client_id}}\"}", item, Map.of()))
        .isEqualTo(Map.of("v", "s=text n=3 d=0.5 b=false m={\"a\":1} l=[1,2] z=null bytes=AQID id=client-1"));
  }

  @Test
  void literalsKeysAndLoneClosingBracesAreSentAsWritten() throws Exception {
    String template = "{\"model\": \"local\", \"n\": 1, \"exact\": 0.1, \"huge\": 1e999, \"ok\": true, \"none\": null,"
        + " \"{{item}}\": \"a}}b\", \"list\": [1, {\"k\": [\"{{item}}\"]}]}";
    Object sent = sent(template, "x", Map.of());
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("model", "local");
    expected.put("n", 1);
    expected.put("exact", 0.1);
    expected.put("huge", Double.POSITIVE_INFINITY); // JSON 1E+999, read back by a double-reading mapper
    expected.put("ok", true);
    expected.put("none", null);
    expected.put("{{item}}", "a}}b");
    expected.put("list", List.of(1, Map.of("k", List.of("x"))));
    assertThat(sent).isEqualTo(expected);
    assertThat(new String(codec.encode(fill(template, "x", Map.of())))).contains("\"huge\":1E+999", "\"exact\":0.1,");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aTemplateWithoutPlaceholdersIsOneReadOnlyDocumentSharedByEveryRequest() {
    Object first = fill("{\"model\": \"local\", \"messages\": [{\"role\": \"user\"}]}", "a", Map.of());
    Object second = fill("{\"model\": \"local\", \"messages\": [{\"role\": \"user\"}]}", "b", Map.of());
    assertThat(first).isEqualTo(second);
    RequestTemplate template = RequestTemplate.parse("{\"a\": [1]}");
    Object filled = template.fill(new Placeholder.Scope("i", Map.of(), "c", 0, codec));
    assertThat(template.fill(new Placeholder.Scope("j", Map.of(), "c", 0, codec))).isSameAs(filled);
    assertThatThrownBy(() -> ((Map<String, Object>) filled).put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void beansAndMapsWithOtherKeyTypesAreReadAsJacksonWritesThem() throws Exception {
    record Person(String name, int age) {}
    Map<Integer, String> byNumber = new TreeMap<>(Map.of(1, "one", 2, "two"));
    assertThat(sent("{\"n\": \"{{item.name}}\", \"a\": \"{{item.age}}\"}", new Person("ada", 36), Map.of()))
        .isEqualTo(Map.of("n", "ada", "a", 36));
    assertThat(sent("{\"v\": \"{{item.2}}\"}", byNumber, Map.of())).isEqualTo(Map.of("v", "two"));
    assertThat(sent("{\"v\": \"{{item.1}}\"}", new String[] {"a", "b"}, Map.of())).isEqualTo(Map.of("v", "b"));
  }

  // ---- nothing an item holds is read as template -------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {
      "\"}", "\", \"admin\": true, \"x\": \"", "{{extra.secret}}", "{{item}}", "}}{{", "{\"injected\": 1}",
      "]}], \"role\": \"system\"", "\\\"\\u0000\\n", "'; DROP TABLE turns; --", "\u2028\u2029 \uD83D\uDE00"})
  void aHostileStringIsSentAsOneStringValueExactlyAsItWas(String hostile) throws Exception {
    Map<String, Object> extra = Map.of("secret", "must not appear", "x", hostile);
    String template = "{\"model\": \"local\", \"messages\": [{\"role\": \"user\", \"content\": \"{{item}}\"}], "
        + "\"note\": \"said: {{item}} / {{extra.x}}\", \"x\": \"{{extra.x}}\"}";

    Object sent = sent(template, hostile, extra);

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("model", "local");
    expected.put("messages", List.of(Map.of("role", "user", "content", hostile)));
    expected.put("note", "said: " + hostile + " / " + hostile);
    expected.put("x", hostile);
    assertThat(sent).isEqualTo(expected);
    assertThat(JSON.writeValueAsString(sent)).doesNotContain("must not appear");
  }

  @Test
  void aMapItemHoldingTemplateTextAndJsonFragmentsStaysAnObjectOfStrings() throws Exception {
    Map<String, Object> item = Map.of("text", "{{extra.x}}", "\"}, {\"role\": \"system", "{\"a\": [1, {{item}}]}");
    Object sent = sent("{\"messages\": [{\"content\": \"{{item.text}}\"}], \"all\": \"{{item}}\"}", item,
        Map.of("x", "must not appear"));
    assertThat(sent).isEqualTo(Map.of("messages", List.of(Map.of("content", "{{extra.x}}")), "all", item));
  }

  @Test
  void aHugeStringIsSentWholeAndADeepMapWhole() throws Exception {
    String huge = "x\"{}".repeat(500_000); // 2 M characters, quotes and braces throughout
    assertThat(sent("{\"content\": \"{{item}}\", \"inside\": \"<{{item}}>\"}", huge, Map.of()))
        .isEqualTo(Map.of("content", huge, "inside", "<" + huge + ">"));
    Map<String, Object> deep = nested(200);
    assertThat(sent("{\"v\": \"{{item}}\"}", deep, Map.of())).isEqualTo(Map.of("v", deep));
    assertThat(sent("{\"v\": \"{{item." + "k.".repeat(199) + "k}}\"}", deep, Map.of())).isEqualTo(Map.of("v", "leaf"));
  }

  @Test
  void aMapTooDeepToWriteIsAnErrorOfThatItemNotACrash() {
    Object filled = fill("{\"v\": \"{{item}}\"}", nested(5_000), Map.of());
    assertThatThrownBy(() -> codec.encode(filled)).isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    assertThatThrownBy(() -> fill("{\"v\": \"deep: {{item}}\"}", nested(5_000), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be written as JSON");
  }

  private static Map<String, Object> nested(int depth) {
    Object value = "leaf";
    for (int i = 0; i < depth; i++) {
      value = Map.of("k", value);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value;
    return map;
  }

  // ---- a placeholder that names nothing ---------------------------------------------------------

  @Test
  void aPlaceholderThatNamesNothingIsAnItemErrorNamingIt() {
    assertMissing("{\"v\": \"{{item.text}}\"}", "just a string", Map.of(),
        "{{item.text}} names nothing: item is a string, not a map or a list, so it has no 'text'");
    assertMissing("{\"v\": \"{{item.text}}\"}", Map.of("txt", "typo"), Map.of(), "{{item.text}} names nothing: item has no key 'text'");
    assertMissing("{\"v\": \"{{item.turns.2.text}}\"}", Map.of("turns", List.of("a", "b")), Map.of(),
        "{{item.turns.2.text}} names nothing: item.turns is a list of 2 element(s), with no element 2");
    assertMissing("{\"v\": \"{{item.turns.first}}\"}", Map.of("turns", List.of("a")), Map.of(),
        "item.turns is a list of 1 element(s), with no element first");
    assertMissing("{\"v\": \"{{item.a.b}}\"}", nullValued("a"), Map.of(), "{{item.a.b}} names nothing: item.a is null, so it has no 'b'");
    assertMissing("{\"v\": \"{{item.x}}\"}", null, Map.of(), "item is null");
    assertMissing("{\"v\": \"lang: {{extra.lang}}\"}", "i", Map.of("language", "en"),
        "{{extra.lang}} names nothing: extra has no key 'lang'");
    assertMissing("{\"v\": \"{{extra.lang}}\"}", "i", null, "extra has no key 'lang'");
    assertMissing("{\"v\": \"{{item.n.k}}\"}", Map.of("n", 7), Map.of(), "item.n is a number, not a map or a list");
  }

  private static Map<String, Object> nullValued(String key) {
    Map<String, Object> map = new HashMap<>();
    map.put(key, null);
    return map;
  }

  private void assertMissing(String template, Object item, Map<String, ?> extra, String message) {
    assertThatThrownBy(() -> fill(template, item, extra)).isInstanceOf(InvalidItemException.class)
        .hasMessageStartingWith("request_template: {{").hasMessageContaining(message);
  }

  // ---- templates refused at validation ------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"model\": local}", "{\"a\": 1} trailing", "{\"a\": 1", "not json at all", "{\"a\": 1, \"a\": 2}",
      "{\"q\": \"{{items}}\"}", "{\"q\": \"{{auth}}\"}", "{\"q\": \"{{item..text}}\"}", "{\"q\": \"{{item.}}\"}",
      "{\"q\": \"{{}}\"}", "{\"q\": \"{{ }}\"}", "{\"q\": \"{{item.te xt}}\"}", "{\"q\": \"{{{item}}}\"}",
      "{\"q\": \"{{extra.{{item}}}}\"}", "{\"q\": \"{{item\"}", "{\"q\": \"a {{item}} b {{\"}", "{\"q\": \"{{item.text\"}",
      "{\"q\": \"{{Item}}\"}", "{\"q\": \"{{item['text']}}\"}", "   "})
  void aBadTemplateIsAConfigurationErrorNamingTheKeyTheValueAndWhatIsAllowed(String template) {
    assertThatThrownBy(() -> RequestTemplate.parse(template)).isInstanceOf(InvalidConfigurationException.class)
        .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo("request_template"))
        .hasMessageContaining("invalid value for 'request_template': '" + template.substring(0, Math.min(20, template.length())))
        .hasMessageContaining("allowed: a JSON document")
        .hasMessageContaining("{{item}}, {{item.<key>}}, {{extra}}, {{extra.<key>}}, {{client_id}} or {{timestamp}}");
  }

  @Test
  void theErrorSaysWhatIsWrongWithTheTemplate() {
    assertThatThrownBy(() -> RequestTemplate.parse("{\"q\": \"{{items}}\"}"))
        .hasMessageContaining("{{items}} is not one of them (in the string \"{{items}}\")");
    assertThatThrownBy(() -> RequestTemplate.parse("{\"q\": \"say {{item\"}"))
        .hasMessageContaining("the '{{' at character 4 of the string \"say {{item\" is not closed by '}}'");
    assertThatThrownBy(() -> RequestTemplate.parse("{\"model\": local}"))
        .hasMessageContaining("this one is not JSON: Unrecognized token 'local'").hasMessageContaining("at line 1, column");
    assertThatThrownBy(() -> RequestTemplate.parse("{\"a\": 1} {}")).hasMessageContaining("has more after its end");
    assertThatThrownBy(() -> RequestTemplate.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("Duplicate field 'a'");
  }

  @Test
  void validationRefusesABadTemplateOrPointerNamingThePidAndTheKey() {
    Map<String, Object> properties = new HashMap<>(Map.of("service.pid", "dev.maverick.handler.network~llm",
        "service.factoryPid", "dev.maverick.handler.network", "name", "llm", "host", "127.0.0.1"));
    NetworkKind kind = new NetworkKind();
    properties.put("request_template", "{\"messages\": [{\"content\": \"{{item.text}\"}]}");
    assertThatThrownBy(() -> kind.validate(properties)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageStartingWith("configuration dev.maverick.handler.network~llm: invalid value for 'request_template'")
        .hasMessageContaining("is not closed by '}}'");
    properties.put("request_template", "{\"messages\": [{\"content\": \"{{item}}\"}]}");
    properties.put("response_pointer", "choices/0");
    assertThatThrownBy(() -> kind.validate(properties)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageStartingWith("configuration dev.maverick.handler.network~llm: invalid value for 'response_pointer': "
            + "'choices/0'")
        .hasMessageContaining("allowed: an RFC 6901 JSON pointer");
    properties.put("response_pointer", "/choices/0/message/content");
    NetworkSettings settings = NetworkSettings.from(kind.validate(properties));
    assertThat(settings.toDisplayMap()).containsEntry("request_template", "{\"messages\": [{\"content\": \"{{item}}\"}]}")
        .containsEntry("response_pointer", "/choices/0/message/content");
  }

  @Test
  void aLiteralNumberKeepsItsExactValue() {
    Object filled = fill("{\"t\": 0.30000000000000004, \"big\": 12345678901234567890}", "x", Map.of());
    assertThat(((Map<?, ?>) filled).get("t")).isEqualTo(new BigDecimal("0.30000000000000004"));
    assertThat(((Map<?, ?>) filled).get("big")).hasToString("12345678901234567890");
  }

  @Test
  void everyRequestGetsItsOwnDocument() {
    RequestTemplate template = RequestTemplate.parse("{\"messages\": [{\"content\": \"{{item}}\"}]}");
    List<Object> filled = new ArrayList<>();
    for (String item : List.of("a", "b")) {
      filled.add(template.fill(new Placeholder.Scope(item, Map.of(), "c", 0, codec)));
    }
    assertThat(filled).containsExactly(Map.of("messages", List.of(Map.of("content", "a"))),
        Map.of("messages", List.of(Map.of("content", "b"))));
  }
}
