package dev.maverick.handler.network.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.maverick.handler.InvalidConfigurationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code request_template}: the JSON document a network handler sends instead of the seed's
 * payload, with {@link Placeholder}s in its string values. It is parsed once, when the
 * configuration is applied, into a tree of parts; each request fills a copy of it with values,
 * never with text:
 * <ul>
 *   <li>a string value that is exactly one placeholder ({@code "{{item}}"}) becomes the value it
 *       names, with its JSON type: a map stays an object, a number a number, a string a string;
 *   <li>a placeholder inside a longer string ({@code "Say: {{item.text}}"}) is replaced by the
 *       value's text: a string as it is, anything else as its JSON text ({@code 3}, {@code true},
 *       {@code {"a":1}}, {@code null});
 *   <li>object keys, and everything else, are sent as written.
 * </ul>
 * The filled document is then written by Jackson, so a value holding {@code "}}, braces, JSON
 * fragments or {@code {{extra.x}}} stays one string value: nothing an item holds is ever read as
 * template. A literal {@code {{} cannot be written in a template; {@code }}} alone can.
 */
final class RequestTemplate {
  static final String KEY = "request_template";
  static final String RULE = "a JSON document (an object, an array or a value) whose string values may hold "
      + "placeholders: " + Placeholder.FORMS + "; '{{' always opens a placeholder";

  /** One part of the parsed document, filled for each request. */
  private sealed interface Part permits Literal, Whole, Text, Fields, Elements {
    Object fill(Placeholder.Scope scope);
  }

  /** A value with no placeholder in it: the same, read-only object for every request. */
  private record Literal(Object value) implements Part {
    @Override
    public Object fill(Placeholder.Scope scope) {
      return value;
    }
  }

  /** A string value that is exactly one placeholder: the value with its type. */
  private record Whole(Placeholder placeholder) implements Part {
    @Override
    public Object fill(Placeholder.Scope scope) {
      return placeholder.resolve(scope);
    }
  }

  /** A string value with placeholders among text: a string. */
  private record Text(List<Object> pieces) implements Part {
    @Override
    public Object fill(Placeholder.Scope scope) {
      StringBuilder text = new StringBuilder();
      for (Object piece : pieces) {
        if (piece instanceof Placeholder placeholder) {
          text.append(scope.json().text(placeholder.resolve(scope)));
        } else {
          text.append((String) piece);
        }
      }
      return text.toString();
    }
  }

  /** An object with a placeholder somewhere inside. */
  private record Fields(List<String> names, List<Part> values) implements Part {
    @Override
    public Object fill(Placeholder.Scope scope) {
      Map<String, Object> object = new LinkedHashMap<>(names.size() * 2);
      for (int i = 0; i < names.size(); i++) {
        object.put(names.get(i), values.get(i).fill(scope));
      }
      return object;
    }
  }

  /** An array with a placeholder somewhere inside. */
  private record Elements(List<Part> values) implements Part {
    @Override
    public Object fill(Placeholder.Scope scope) {
      List<Object> array = new ArrayList<>(values.size());
      for (Part value : values) {
        array.add(value.fill(scope));
      }
      return array;
    }
  }

  private final String source;
  private final Part root;

  private RequestTemplate(String source, Part root) {
    this.source = source;
    this.root = root;
  }

  /**
   * Parses a template.
   *
   * @throws InvalidConfigurationException naming {@value #KEY}, the template and what is wrong:
   *     not JSON (with the parser's line and column), a placeholder of no allowed form, an unclosed
   *     {@code {{}, a key written twice
   */
  static RequestTemplate parse(String source) {
    JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    try (JsonParser parser = factory.createParser(source)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new InvalidConfigurationException(KEY, source, RULE + "; this one is empty");
      }
      Part root = read(parser, first, source);
      if (parser.nextToken() != null) {
        throw new InvalidConfigurationException(KEY, source, RULE + "; this one has more after its end, at line "
            + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr());
      }
      return new RequestTemplate(source, root);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigurationException(KEY, source, RULE + "; this one is not JSON: " + JsonCodec.describe(e));
    } catch (IOException e) {
      throw new InvalidConfigurationException(KEY, source, RULE + "; it could not be read: " + e.getMessage(), e);
    }
  }

  private static Part read(JsonParser parser, JsonToken token, String source) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        List<String> names = new ArrayList<>();
        List<Part> values = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
          names.add(parser.currentName());
          values.add(read(parser, parser.nextToken(), source));
        }
        if (values.stream().allMatch(Literal.class::isInstance)) {
          Map<String, Object> object = new LinkedHashMap<>();
          for (int i = 0; i < names.size(); i++) {
            object.put(names.get(i), ((Literal) values.get(i)).value());
          }
          return new Literal(Collections.unmodifiableMap(object));
        }
        return new Fields(List.copyOf(names), List.copyOf(values));
      }
      case START_ARRAY -> {
        List<Part> values = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
          values.add(read(parser, next, source));
        }
        if (values.stream().allMatch(Literal.class::isInstance)) {
          List<Object> array = new ArrayList<>(values.size());
          values.forEach(value -> array.add(((Literal) value).value()));
          return new Literal(Collections.unmodifiableList(array));
        }
        return new Elements(List.copyOf(values));
      }
      case VALUE_STRING -> {
        return string(parser.getText(), source);
      }
      case VALUE_NUMBER_INT -> {
        return new Literal(parser.getNumberValue());
      }
      case VALUE_NUMBER_FLOAT -> { // exactly as written: 1e999 is no Infinity, 0.1 no 0.1000000000000000055
        return new Literal(parser.getDecimalValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new Literal(token == JsonToken.VALUE_TRUE);
      }
      default -> { // VALUE_NULL; the parser reports anything else as malformed
        return new Literal(null);
      }
    }
  }

  /** A string value: literal text, one whole placeholder, or text with placeholders. */
  private static Part string(String value, String source) {
    int open = value.indexOf("{{");
    if (open < 0) {
      return new Literal(value);
    }
    List<Object> pieces = new ArrayList<>();
    int from = 0;
    while (open >= 0) {
      int close = value.indexOf("}}", open + 2);
      if (close < 0) {
        throw new InvalidConfigurationException(KEY, source, RULE + "; the '{{' at character " + open
            + " of the string \"" + value + "\" is not closed by '}}'");
      }
      Placeholder placeholder;
      try {
        placeholder = Placeholder.parse(value.substring(open + 2, close));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationException(KEY, source, RULE + "; " + e.getMessage()
            + " (in the string \"" + value + "\")");
      }
      if (open > from) {
        pieces.add(value.substring(from, open));
      }
      pieces.add(placeholder);
      from = close + 2;
      open = value.indexOf("{{", from);
    }
    if (from < value.length()) {
      pieces.add(value.substring(from));
    }
    return pieces.size() == 1 ? new Whole((Placeholder) pieces.get(0)) : new Text(List.copyOf(pieces));
  }

  /**
   * The document for one request: plain maps, lists and values, ready for Jackson.
   *
   * @throws dev.maverick.handler.InvalidItemException naming the placeholder that names nothing for this item
   */
  Object fill(Placeholder.Scope scope) {
    return root.fill(scope);
  }

  /** The template as configured. */
  String source() {
    return source;
  }

  @Override
  public String toString() {
    return source;
  }
}
